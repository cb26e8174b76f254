"""The default dataset: a synthetic Kent, simulated and calibrated to the published IRO reports."""

from tools.synthetic.generator import DEFAULT_SEED, build_tables, generate

__all__ = ["DEFAULT_SEED", "build_tables", "generate"]
