"""`pdl audit verify|show|head`: the hash-chained audit log of decisions and accesses (art. 36-37)."""

from __future__ import annotations

import argparse
import sys

from governance.model import GovernanceError
from pdl.commands.governance import refusals
from warehouse.db import reader
from warehouse.lake import Lake


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("audit", help="verify or show the tamper-evident audit log")
    actions = parser.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help="check every hash and link; name the first tampered entry")
    verify.add_argument("--head", help="SEQ:HASH recorded earlier (pdl audit head), to detect truncation")
    verify.set_defaults(func=_verify)
    show = actions.add_parser("show", help="the newest entries")
    show.add_argument("--consumer")
    show.add_argument("--action", dest="kind", help="e.g. grant, access.read, authorization.revoke")
    show.add_argument("--limit", type=int, default=20)
    show.set_defaults(func=_show)
    actions.add_parser("head", help="SEQ:HASH of the newest entry, to keep outside the lake").set_defaults(func=_head)


def _entries() -> list:
    from governance import audit

    lake = Lake.from_env()
    if not lake.db_path.exists():
        raise GovernanceError(f"no warehouse at {lake.db_path}")
    with reader(lake) as con:
        return audit.entries(con)


def _parse_head(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise GovernanceError("--head takes SEQ:HASH as printed by `pdl audit head`")
    return int(seq), digest


@refusals
def _verify(args: argparse.Namespace) -> int:
    from governance import audit

    result = audit.verify(_entries(), _parse_head(args.head))
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


@refusals
def _show(args: argparse.Namespace) -> int:
    rows = [
        e
        for e in _entries()
        if (not args.consumer or e.consumer_id == args.consumer) and (not args.kind or e.action == args.kind)
    ][-args.limit :]
    for e in rows:
        who = e.consumer_id or "-"
        what = e.dataset_id or e.ref or "-"
        count = "" if e.row_count is None else f" rows={e.row_count}"
        print(
            f"{e.seq:>5} {e.logged_at:%Y-%m-%d %H:%M:%S} {e.action:<22} {who:<16} {what:<26} by {e.actor}{count}"
            f"{' purpose=' + e.purpose if e.purpose else ''}"
        )
    return 0


@refusals
def _head(args: argparse.Namespace) -> int:
    entries = _entries()
    print(f"{entries[-1].seq}:{entries[-1].hash}" if entries else "0:" + "0" * 64)
    return 0
