"""The WebSocket Origin check compares scheme, host and port, not the host alone."""

from __future__ import annotations

import asyncio

import pytest

from iro_metrics.access.origin import OriginCheck, origin_allowed


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed", "expected"),
    [
        ("http://localhost:8501", "localhost:8501", "ws", (), True),  # the app's own page
        ("http://localhost:9999", "localhost:8501", "ws", (), False),  # another page on the same host
        ("http://127.0.0.1:8502", "127.0.0.1:8501", "ws", (), False),
        ("https://localhost:8501", "localhost:8501", "ws", (), False),  # another scheme is another origin
        ("https://iro.council.gov.uk", "iro.council.gov.uk", "https", (), True),  # behind a proxy (X-Forwarded-Proto)
        ("https://iro.council.gov.uk:443", "iro.council.gov.uk", "https", (), True),  # the default port, written out
        ("https://iro.council.gov.uk:8443", "iro.council.gov.uk", "https", (), False),
        ("https://iro.council.gov.uk", "127.0.0.1:8501", "ws", ("https://iro.council.gov.uk/oauth2callback",), True),
        ("https://iro.council.gov.uk:8443", "127.0.0.1:8501", "ws", ("https://iro.council.gov.uk",), False),
        ("null", "localhost:8501", "ws", (), False),  # a sandboxed frame or a file
        (None, "localhost:8501", "ws", (), True),  # not a browser: no one's cookies to misuse
    ],
)
def test_origin_allowed(origin, host, scheme, allowed, expected):
    assert origin_allowed(origin, host, scheme, allowed) is expected


def _connect(origin: str | None, host: str = "localhost:8501") -> tuple[bool, list[dict]]:
    reached: list[bool] = []
    sent: list[dict] = []

    async def inner(scope, receive, send) -> None:
        reached.append(True)

    async def receive() -> dict:
        return {"type": "websocket.connect"}

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [(b"host", host.encode())] + ([(b"origin", origin.encode())] if origin else [])
    scope = {"type": "websocket", "scheme": "ws", "path": "/_stcore/stream", "headers": headers}
    asyncio.run(OriginCheck(inner, allowed=tuple)(scope, receive, send))
    return bool(reached), sent


def test_the_middleware_closes_a_websocket_from_another_port_before_the_app_sees_it():
    assert _connect("http://localhost:8501") == (True, [])
    assert _connect("http://localhost:9999") == (False, [{"type": "websocket.close", "code": 1008}])
