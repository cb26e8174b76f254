"""The WebSocket Origin check, port included (an ASGI middleware; no Streamlit here).

Streamlit admits a WebSocket whose ``Origin`` names the same host as the request, or any port of
``localhost`` and of this computer's addresses: it compares host names, not ports. So a page
served from another port of the same host (another app, a developer's server) could open the
explorer's ``/_stcore/stream`` in a signed-in person's browser. ``OriginCheck`` refuses every
WebSocket whose ``Origin`` is not exactly (scheme, host and port) the address the browser asked
for, or one listed as allowed (``server.corsAllowedOrigins`` and the ``redirect_uri``'s origin).
A connection without ``Origin`` (not a browser, so no one else's cookies) is let through, as
Streamlit does.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

LOG = logging.getLogger("iro_explorer")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
WEB_SCHEMES = {"ws": "http", "wss": "https"}

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def normalise_origin(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin such as ``https://iro.council.gov.uk``; None when it is not one."""
    try:
        parts = urlsplit(origin.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if scheme not in ("http", "https") or not host or port is None:
        return None
    return scheme, host, port


def request_origin(host_header: str, scheme: str) -> tuple[str, str, int] | None:
    """The origin the browser asked for: the request's scheme (http/https) and its Host header."""
    web_scheme = WEB_SCHEMES.get(scheme, scheme)
    return normalise_origin(f"{web_scheme}://{host_header}") if host_header else None


def origin_allowed(origin: str | None, host_header: str, scheme: str, allowed: Iterable[str] = ()) -> bool:
    """Whether a WebSocket from ``origin`` may connect to ``scheme://host_header`` (see the module)."""
    if origin is None:
        return True
    wanted = normalise_origin(origin)
    if wanted is None:
        return False
    if wanted == request_origin(host_header, scheme):
        return True
    return wanted in {normalise_origin(a) for a in allowed}


class OriginCheck:
    """ASGI middleware: refuse (HTTP 403) a WebSocket whose Origin fails ``origin_allowed``.

    ``allowed`` is called for each connection (it reads settings that may load after start).
    Behind a reverse proxy, the proxy's ``X-Forwarded-Proto`` gives the scheme the browser used.
    """

    def __init__(self, app: Callable[..., Awaitable[None]], allowed: Callable[[], Iterable[str]] = tuple) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "websocket":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        scheme = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower() or str(scope.get("scheme", "ws"))
        origin = headers.get("origin")
        if origin_allowed(origin, headers.get("host", ""), scheme, self.allowed()):
            await self.app(scope, receive, send)
            return
        LOG.warning("refused a WebSocket from Origin %r to Host %r", origin, headers.get("host"))
        message = await receive()  # websocket.connect; closing before accepting answers HTTP 403
        if message.get("type") == "websocket.connect":
            await send({"type": "websocket.close", "code": 1008})
