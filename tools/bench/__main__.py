"""Command line: ``python -m tools.bench [--quick] [--scale S] [--repeats N] [--no-app]`` (``make bench``)."""

import sys

from tools.bench.run import main

if __name__ == "__main__":
    sys.exit(main())
