"""`pdl scan PATH [--json]`: show which columns of an agency file look like personal data."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from desensitize.classify import Classification
from desensitize.scan import as_contract, classify_file
from warehouse.readers import ExtractError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("scan", help="classify the columns of a CSV, XLSX or Parquet file (personal data?)")
    parser.add_argument("path", type=Path, help="the file to scan")
    parser.add_argument("--json", action="store_true", help="print the machine-readable result")
    parser.set_defaults(func=_scan)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(path: Path, rows: int, columns: list[tuple[str, Classification]]) -> str:
    name_width = max([_width("column"), *(_width(n) for n, _ in columns)])
    lines = [f"{path}: {rows:,} rows, {len(columns)} columns", ""]
    lines.append(f"{_pad('column', name_width)}  {'entity':<18}  confidence  evidence")
    for name, found in columns:
        entity = found.entity or "-"
        lines.append(f"{_pad(name, name_width)}  {entity:<18}  {found.confidence:>10.2f}  {found.evidence}")
    return "\n".join(lines)


def _scan(args: argparse.Namespace) -> int:
    try:
        rows, columns = classify_file(args.path)
    except (ExtractError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_contract(args.path, rows, columns), ensure_ascii=False))
    else:
        print(_table(args.path, rows, columns))
    return 0
