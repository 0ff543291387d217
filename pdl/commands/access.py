"""`pdl access build|show|read|export`: per-consumer access databases and the accesses the platform serves."""

from __future__ import annotations

import argparse

from governance.model import Target
from pdl.commands.governance import gov_session, refusals

PLATFORM = "平台"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("access", help="build and inspect access databases (PDL_HOME/access/<consumer>.duckdb)")
    actions = parser.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="rebuild access databases now (expiry is evaluated here)")
    build.add_argument("consumers", nargs="*", help="consumer ids (default: all)")
    build.add_argument(
        "--materialize",
        action="store_true",
        help="copy rows into the file instead of views over the safe layer (default: PDL_ACCESS_MATERIALIZE)",
    )
    build.set_defaults(func=_build)
    show = actions.add_parser("show", help="what a consumer may read now, and why not the rest")
    show.add_argument("consumer_id")
    show.set_defaults(func=_show)
    read = actions.add_parser("read", help="serve rows of a consumer's view (audited)")
    read.add_argument("consumer_id")
    read.add_argument("view", help="share.<dataset> or open.<dataset>")
    read.add_argument("--limit", type=int, default=10)
    read.set_defaults(func=_read)
    export = actions.add_parser("export", help="write a copy of a shared dataset (needs a copy grant, art. 15)")
    export.add_argument("consumer_id")
    export.add_argument("dataset")
    export.set_defaults(func=_export)


@refusals
def _build(args: argparse.Namespace) -> int:
    from governance import access, agreements

    with gov_session(PLATFORM) as gov:
        ids = args.consumers or [c.consumer_id for c in access.store.select(gov.con, access.Consumer)]
        results = [access.build(gov, c, args.materialize or None) for c in ids]
        agreements.publish_recipients(gov)
    for r in results:
        where = str(r.path) if r.path else "removed (consumer not active)"
        print(f"{r.consumer_id:<20} {len(r.views)} view(s), {sum(v.rows for v in r.views)} row(s): {where}")
    return 0


@refusals
def _show(args: argparse.Namespace) -> int:
    from governance import access

    with gov_session(PLATFORM) as gov:
        for ds_id in sorted(gov.catalog()):
            for target in Target:
                v = access.explain(gov, args.consumer_id, target, ds_id)
                if v.access:
                    a = v.access
                    rows = (
                        "all rows"
                        if a.subject_keys is None
                        else f"rows of {len(a.subject_keys)} authorizing subject(s)"
                    )
                    print(f"  yes {a.view:<32} {rows}; columns {', '.join(a.columns)} [{', '.join(a.basis)}]")
                else:
                    print(f"  no  {target.value}.{ds_id:<26} {v.reason}")
    return 0


@refusals
def _read(args: argparse.Namespace) -> int:
    from governance import access

    with gov_session(args.consumer_id) as gov:
        columns, rows = access.read(gov, args.consumer_id, args.view, args.limit)
    print("\t".join(columns))
    for row in rows:
        print("\t".join("" if v is None else str(v) for v in row))
    print(f"({len(rows)} row(s), audited)")
    return 0


@refusals
def _export(args: argparse.Namespace) -> int:
    from governance import access

    with gov_session(args.consumer_id) as gov:
        path, rows = access.export(gov, args.consumer_id, args.dataset)
    print(f"{rows} row(s) written to {path} (audited)")
    return 0
