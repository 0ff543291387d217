"""`pdl quality check|report|docs`: an extract checked before it is handed in, the provider scorecard and
the Great Expectations Data Docs.

`check` evaluates one extract against its dataset's rules and prints what its load would give (rows to
quarantine, rules, line numbers, the gate); it writes nothing and exits 1 when the load would be
blocked, 2 when the file would be rejected unread.
`report` reads `meta.quality_results` and writes the Chinese scorecard (per agency with `--agency`).
`docs` validates each dataset's current raw rows with the expectation suite generated from the
catalog and builds GX Data Docs; it is the only command that imports Great Expectations (slow to
import), and it does so only when run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from warehouse.db import reader
from warehouse.lake import Lake


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("quality", help="extract checks, quality scorecards and Data Docs")
    actions = parser.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="check an extract against its dataset's rules; nothing is loaded")
    check.add_argument("dataset", help="catalog dataset id, e.g. dq_rsj_social_insurance")
    check.add_argument("path", type=Path, help="the extract: CSV, XLSX, JSON Lines or Parquet")
    check.add_argument("--json", action="store_true", help="print the machine-readable result")
    check.set_defaults(func=_check)
    report = actions.add_parser("report", help="write the provider quality scorecard (HTML) and print its path")
    report.add_argument("--agency", default=None, help="provider code, e.g. scjg (default: every agency)")
    report.set_defaults(func=_report)
    docs = actions.add_parser("docs", help="build Great Expectations Data Docs from the catalog rules")
    docs.add_argument("--dataset", default=None, help="dataset id (default: every dataset with a load)")
    docs.add_argument("--rows", type=int, default=200_000, help="validate at most this many rows per dataset")
    docs.set_defaults(func=_docs)


def _report(args: argparse.Namespace) -> int:
    from quality.report import write_scorecard
    from quality.results import results

    lake = Lake.from_env()
    if not lake.db_path.exists():
        print(f"no warehouse at {lake.db_path}; run the pipeline first")
        return 1
    with reader(lake) as con:
        known = sorted({r["provider_code"] for r in results(con)})
        if args.agency and args.agency not in known:
            print(f"no quality results for agency '{args.agency}' (known: {', '.join(known) or 'none'})")
            return 1
        path = write_scorecard(con, lake.reports_dir, args.agency)
    print(path)
    return 0


def _docs(args: argparse.Namespace) -> int:
    from catalog import load_catalog
    from quality.expectations import build_data_docs
    from warehouse.clock import county_today
    from warehouse.ingest import raw_files

    lake = Lake.from_env()
    if not lake.db_path.exists():
        print(f"no warehouse at {lake.db_path}; run the pipeline first")
        return 1
    datasets = [d for d in load_catalog() if args.dataset in (None, d.id)]
    if not datasets:
        print(f"unknown dataset '{args.dataset}'")
        return 1
    with reader(lake) as con:
        sources = {d.id: raw_files(lake, d, con) for d in datasets}
    index = build_data_docs(
        [(d, sources[d.id]) for d in datasets if sources[d.id]],
        lake.reports_dir / "gx",
        today=county_today(),
        max_rows=args.rows,
    )
    print(index)
    return 0


def _check(args: argparse.Namespace) -> int:
    from catalog import load_catalog
    from quality.precheck import check_extract
    from quality.references import reference_lookups
    from quality.results import previous_load_rows
    from warehouse.clock import county_today
    from warehouse.headers import HeaderMismatch
    from warehouse.readers import ExtractError

    dataset = next((d for d in load_catalog() if d.id == args.dataset), None)
    if dataset is None:
        print(f"error: unknown dataset '{args.dataset}' (pdl catalog list shows them)", file=sys.stderr)
        return 2
    lake, lookups, previous = Lake.from_env(), {}, None
    if lake.db_path.exists():
        lookups = reference_lookups(lake, dataset)
        with reader(lake) as con:
            previous = previous_load_rows(con, dataset.id)
    if not args.path.is_file():
        print(f"error: no such file: {args.path}", file=sys.stderr)
        return 2
    try:
        result = check_extract(dataset, args.path, today=county_today(), lookups=lookups, previous_rows=previous)
    except (ExtractError, HeaderMismatch) as exc:
        print(f"error: {exc} (ingestion would reject this file)", file=sys.stderr)
        return 2
    found = _check_result(dataset, args.path, result)
    print(json.dumps(found, ensure_ascii=False) if args.json else _check_text(found))
    return 1 if result.blocked_by else 0


def _check_result(dataset, path: Path, result) -> dict[str, Any]:
    from quality.results import column_label

    stats = result.checked.stats
    rules = [
        {
            "rule": r.rule,
            "column": column_label(dataset, r.column),
            "severity": r.severity,
            "dimension": r.dimension,
            "rows": r.count,
            "lines": list(r.examples),
            "details": dict(r.details),
        }
        for r in stats.failing
    ]
    checks = [
        {"check": o.name, "passed": o.passed, "blocking": o.blocking, "says": o.description} for o in result.outcomes
    ]
    return {
        "dataset": dataset.id,
        "file": str(path),
        "rows": stats.rows,
        "clean": result.checked.clean_rows,
        "quarantined": result.checked.quarantined_rows,
        "normalized": sum(stats.normalized.values()),
        "not_checked": list(stats.skipped),
        "failing_rules": rules,
        "checks": checks,
        "blocked_by": result.blocked_by,
    }


def _check_text(found: dict[str, Any]) -> str:
    counts = f"{found['clean']:,} would be clean, {found['quarantined']:,} quarantined"
    normalized = f"{found['normalized']:,} values normalized"
    lines = [
        f"{found['file']} as {found['dataset']}: {found['rows']:,} rows; {counts}, {normalized}. Nothing was loaded."
    ]
    if found["not_checked"]:
        lines.append(f"not checked here: {', '.join(found['not_checked'])}")
    if found["failing_rules"]:
        lines.append("failing rules (rows; first lines of the file):")
        for r in found["failing_rules"]:
            shown = ", ".join(str(n) for n in r["lines"])
            lines.append(f"  {r['severity']:<7} {r['rule']:<22} {r['column']}: {r['rows']:,} (lines {shown})")
    lines.append("checks:")
    for c in found["checks"]:
        state = "pass" if c["passed"] else ("FAIL" if c["blocking"] else "warn")
        lines.append(f"  {state:<4} {c['check']}: {c['says']}")
    if found["blocked_by"]:
        lines.append(f"the load would be BLOCKED by {', '.join(found['blocked_by'])}: correct the file and check again")
    else:
        lines.append("the load would pass the gate")
    return "\n".join(lines)
