"""The served explorer (`streamlit run serve.py`) refuses a WebSocket from another port of the same host.

No browser needed: the WebSocket handshake is sent by hand with the ``Origin`` a page on
http://127.0.0.1:<other port> would send (a browser always sends its page's origin).
"""

from __future__ import annotations

import base64
import os
import socket
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def _handshake(url: str, origin: str) -> str:
    """The status line the server answers a WebSocket upgrade to /_stcore/stream with."""
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).split(b"\r\n", 1)[0].decode()


def test_a_websocket_from_another_port_is_refused_and_the_apps_own_is_not(app_url: str):
    port = urlsplit(app_url).port
    assert " 101 " in _handshake(app_url, app_url)
    assert " 403 " in _handshake(app_url, f"http://127.0.0.1:{port + 1}")
    assert " 403 " in _handshake(app_url, f"http://localhost:{port + 1}")
