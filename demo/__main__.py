"""`python -m demo LANDING [--today YYYY-MM-DD] [--seed N] [--scale X]`: write the demo landing zone."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from demo.generate import DEFAULT_SEED, generate
from warehouse.clock import county_today


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("landing", type=Path, help="landing folder to write into")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="generation date (default: the county's today)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scale", type=float, default=1.0, help="row-count multiplier (1.0: ~16k rows in all)")
    args = parser.parse_args(argv)
    for path in generate(args.landing, args.today or county_today(), args.seed, args.scale):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
