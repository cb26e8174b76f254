"""Shared test set-up: tests import their small-dataset builders from tests/builders.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
