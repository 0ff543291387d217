"""`pdl demo`, `pdl run` and `pdl status`: whole-lake runs through Dagster, and what the lake holds."""

from __future__ import annotations

import argparse
import sys

from warehouse.clock import county_today
from warehouse.lake import Lake


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="generate the demo county's extracts and run everything end to end")
    demo.add_argument("--scale", type=float, default=1.0, help="row-count multiplier for the demo data")
    demo.set_defaults(func=_demo)
    run = sub.add_parser("run", help="materialize every asset once (what the landing sensor does per file)")
    run.set_defaults(func=_run)
    status = sub.add_parser("status", help="per dataset: last load, rows, quarantine, gate, freshness, publication")
    status.set_defaults(func=_status)


def _progress(text: str) -> None:
    print(f"==> {text}", flush=True)


def _demo(args: argparse.Namespace) -> int:
    from demo.generate import generate

    lake = Lake.from_env().ensure()
    _progress(f"lake at {lake.home}")
    files = generate(lake.landing, today=county_today(), scale=args.scale)
    _progress(f"demo county data: {len(files)} extract(s) dropped into {lake.landing}")
    code = _run(args, show_next=False)
    if code == 0:
        _governance_walkthrough(lake)
    _print_next(lake)
    return code


def _governance_walkthrough(lake: Lake) -> None:
    from catalog import load_catalog
    from governance import demo as governance_demo

    _progress("governance walkthrough: consumers, requests, reviews, consent, agreements, audit")
    summary = governance_demo.run(lake, load_catalog())
    for step in summary.steps:
        print(f"  - {step}")


def _run(args: argparse.Namespace, show_next: bool = True) -> int:
    from pipelines.runner import run_all

    lake = Lake.from_env().ensure()
    _progress("materializing every asset (raw -> clean -> safe -> share/open) in one Dagster run")
    result = run_all(lake)
    _print_summary(lake)
    if not result.success:
        print("some steps failed; see the messages above and `pdl status`", file=sys.stderr)
    if show_next:
        _print_next(lake)
    return 0 if result.success else 1


def _print_summary(lake: Lake) -> None:
    from warehouse.db import reader
    from warehouse.status import dataset_statuses

    with reader(lake) as con:
        rows = dataset_statuses(con)
    print()
    print(f"{'dataset':<26} {'loaded':>7} {'clean':>7} {'quarant.':>8}  gate      published")
    for s in rows:
        gate = "-" if s.blocked is None else ("BLOCKED" if s.blocked else "passed")
        print(
            f"{s.dataset:<26} {s.rows_raw or 0:>7} {s.rows_clean or 0:>7} {s.rows_quarantined or 0:>8}  "
            f"{gate:<9} {', '.join(s.published) or '-'}"
        )
    print(
        f"{len(rows)} datasets, {sum(s.rows_raw or 0 for s in rows)} rows loaded, "
        f"{sum(s.rows_quarantined or 0 for s in rows)} quarantined, "
        f"{sum(len(s.published) for s in rows)} views published"
    )


def _print_next(lake: Lake) -> None:
    print()
    print("next:")
    print("  make dev                                   # Dagster UI on http://127.0.0.1:3000")
    print('  .venv/bin/pdl sql "select * from share.dq_scjg_enterprise limit 5"   # read-only DuckDB query')
    print(f"  DuckDB file: {lake.db_path} (open read-only from any DuckDB client)")
    print("  .venv/bin/pdl status                       # per-dataset loads, quality, freshness, publication")
    print("  .venv/bin/pdl quality report --agency rsj  # a provider's scorecard (HTML)")
    received = sorted(lake.received.glob("scjg/dq_scjg_enterprise/*"))
    if received:
        print(f"  .venv/bin/pdl quality check dq_scjg_enterprise {received[-1]}   # an extract checked, nothing loaded")
    print(f"  open files: {lake.open_dir}")


def _freshness_line(status, dataset, now) -> str:
    from quality.freshness import freshness

    newest = status.newest_event
    column = dataset.event_time_column and dataset.column(dataset.event_time_column)
    if newest is not None and column is not None and column.type == "date":
        newest = newest.date()  # a date covers its whole day; meta stores it as a timestamp
    found = freshness(dataset, newest, status.last_load, now)
    return ("STALE: " if found.stale else "fresh: ") + found.reason


def _status(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from catalog import load_catalog
    from governance.status import overdue_reviews
    from warehouse.db import reader
    from warehouse.status import dataset_statuses

    lake = Lake.from_env()
    if not lake.db_path.exists():
        print(f"no warehouse at {lake.db_path}; run `pdl demo` or drop files and run `pdl run`")
        return 1
    catalog, now = {d.id: d for d in load_catalog()}, datetime.now(UTC)
    with reader(lake) as con:
        statuses, overdue = dataset_statuses(con), overdue_reviews(con, county_today(now))
    for s in statuses:
        last = s.last_load.strftime("%Y-%m-%d %H:%M") if s.last_load else "never"
        gate = "-" if s.blocked is None else ("BLOCKED by " + (s.blocked_reason or "") if s.blocked else "passed")
        print(f"{s.dataset}  {s.title} ({s.provider})")
        print(f"  last load {last}; files loaded {s.files_loaded}, rejected {s.files_rejected}")
        print(
            f"  rows raw {s.rows_raw or 0}, clean {s.rows_clean or 0}, quarantined {s.rows_quarantined or 0}; gate {gate}"
        )
        if s.dataset in catalog:
            print(f"  {_freshness_line(s, catalog[s.dataset], now)}")
        print(f"  published: {', '.join(s.published) or 'nothing'}")
    if overdue:
        print("restricted datasets past their review date (art. 22):")
        for item in overdue:
            print(f"  - {item.describe(county_today(now))}")
    return 0
