"""Map the headers an agency sent to the catalog's columns, through the declared aliases.

Headers are compared after NFKC folding (full-width brackets and letters equal their ASCII forms),
trimming and case-folding, so `注册资本(万元)` matches the alias `注册资本（万元）`.
"""

from __future__ import annotations

import unicodedata

from catalog.model import Dataset


def fold(header: str) -> str:
    return unicodedata.normalize("NFKC", header).strip().casefold()


class HeaderMismatch(ValueError):
    """The file's headers do not fit the declaration; says which are unknown, missing or repeated."""


def map_headers(dataset: Dataset, headers: list[str]) -> dict[str, str]:
    """{header as sent: catalog column name}, or HeaderMismatch naming every offending header."""
    lookup = {fold(h): c.name for c in dataset.columns for h in c.headers}
    mapping, unknown, repeated = {}, [], []
    for header in headers:
        column = lookup.get(fold(header))
        if column is None:
            unknown.append(header)
        elif column in mapping.values():
            repeated.append(header)
        else:
            mapping[header] = column
    missing = [c.name for c in dataset.columns if c.required and c.name not in mapping.values()]
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)} (not declared in catalog entry {dataset.id})")
    if repeated:
        problems.append(f"column(s) sent twice: {', '.join(repeated)}")
    if missing:
        wanted = [f"{m} ({'/'.join(dataset.column(m).aliases) or m})" for m in missing]
        problems.append(f"missing required column(s) {', '.join(wanted)}")
    if problems:
        raise HeaderMismatch("; ".join(problems))
    return mapping
