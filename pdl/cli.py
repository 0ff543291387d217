"""Entry point of the `pdl` console script.

Each module in `pdl.commands` contributes its sub-commands through `register(subparsers)`; this file
only discovers and dispatches, so adding a command never means editing a central list.
"""

from __future__ import annotations

import warehouse.allocator  # noqa: F401 - first: Polars' allocator reads its settings when Polars loads

# isort: split
import argparse
import importlib
import pkgutil
import sys

import pdl.commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pdl", description="Deqing County public-data lakehouse")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(pdl.commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"pdl.commands.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
