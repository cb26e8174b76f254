"""Shared test set-up: tests import their small-dataset builders from tests/builders.py."""

import gc
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True, scope="session")
def _unfreeze_garbage_collection_at_the_end():
    """The app freezes long-lived objects out of the garbage collector (ui.py); AppTest runs it in
    this process. Unfreeze at the end, so that extension objects are freed before exit."""
    yield
    gc.unfreeze()
    gc.collect()
