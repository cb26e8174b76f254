"""The explorer with its first page prepared while the server starts: ``streamlit run serve.py``.

The same app as ``streamlit run app.py`` (Streamlit's ``st.App`` runs app.py for every session),
but the server answers only once ``ui.warm_up`` has loaded the dataset the app opens first and
worked out the Overview for its default selection, so the first person to open the page does not
wait for that (at national scale about 3 s more at start, 2-3 s less on the first page).

It also refuses a WebSocket from any other origin, port included (iro_metrics.access.origin):
run the explorer with ``serve.py``, not ``app.py``, wherever more than one person can reach it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st
from starlette.middleware import Middleware

from iro_metrics.access.origin import OriginCheck
from ui import app_auth
from ui.warm_up import warm_up, warm_up_quarters

LOG = logging.getLogger("iro_explorer")


@asynccontextmanager
async def _prepared(_app: Any) -> AsyncIterator[None]:
    seconds = await asyncio.to_thread(warm_up)
    LOG.info("first page prepared in %.1f s", seconds)
    # The quarterly trend next, while the first visitor's browser draws the page.
    threading.Thread(target=warm_up_quarters, name="iro-warm-up-quarters", daemon=True).start()
    yield


# Streamlit's own WebSocket Origin check ignores the port; this one does not (see the module).
app = st.App(
    "app.py", lifespan=_prepared, middleware=[Middleware(OriginCheck, allowed=app_auth.websocket_allowed_origins)]
)
