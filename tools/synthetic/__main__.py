"""Command line: ``python -m tools.synthetic --out DIR [--seed N]`` writes the synthetic dataset (``make data``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.synthetic.generator import DEFAULT_SEED, generate


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the synthetic Kent into ``--out``; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="the dataset folder to write (e.g. data)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"another synthetic council (default {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    generate(args.out, seed=args.seed)
    print(f"Wrote the synthetic dataset to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
