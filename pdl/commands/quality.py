"""`pdl quality report|docs`: the provider scorecard and the Great Expectations Data Docs.

`report` reads `meta.quality_results` and writes the Chinese scorecard (per agency with `--agency`).
`docs` validates each dataset's current raw rows with the expectation suite generated from the
catalog and builds GX Data Docs; it is the only command that imports Great Expectations (slow to
import), and it does so only when run.
"""

from __future__ import annotations

import argparse
from datetime import date

from warehouse.db import reader
from warehouse.lake import Lake


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("quality", help="quality scorecards and Data Docs")
    actions = parser.add_subparsers(dest="action", required=True)
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
        today=date.today(),
        max_rows=args.rows,
    )
    print(index)
    return 0
