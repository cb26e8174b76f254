"""Shared test set-up. Tests mirror the package (tests/<module>/), import their small-dataset builders as
``from tests.builders import ...`` (the repository root is on the path: pyproject's ``pythonpath``)."""

import gc

import pytest
from hypothesis import settings

# Property tests check values, never speed: on CI's two shared cores a case can take longer than
# Hypothesis's default 200 ms deadline, which would fail a correct test. Speed lives in `make bench`.
settings.register_profile("iro", deadline=None)
settings.load_profile("iro")


@pytest.fixture(autouse=True, scope="session")
def _unfreeze_garbage_collection_at_the_end():
    """The app freezes long-lived objects out of the garbage collector (ui/state.py); AppTest runs it in
    this process. Unfreeze at the end, so that extension objects are freed before exit."""
    yield
    gc.unfreeze()
    gc.collect()
