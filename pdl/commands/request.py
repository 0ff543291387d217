"""`pdl request share|open|list|revoke`: ask for shared or open data, see requests, end a grant."""

from __future__ import annotations

import argparse

from governance.model import AUTHORITY_SHORT, Mode, RequestStatus
from pdl.commands.governance import gov_session, refusals, until


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("request", help="request shared data (agencies) or open data (anyone registered)")
    actions = parser.add_subparsers(dest="action", required=True)
    share = actions.add_parser("share", help="request a shared dataset; unconditional data is granted at once")
    share.add_argument("dataset")
    share.add_argument("--consumer", required=True, help="the requesting agency's consumer id")
    share.add_argument("--purpose", required=True, help="the duty the data serves (art. 16)")
    share.add_argument("--columns", default="", help="comma-separated columns (default: all the class allows)")
    share.add_argument(
        "--mode",
        choices=[m.value for m in Mode],
        default=Mode.INTERFACE.value,
        help="interface access (default) or a copy, which needs the authority's approval (art. 15)",
    )
    share.add_argument("--until", type=until, help="YYYY-MM-DD, end of validity (default: one year)")
    share.set_defaults(func=_share)
    opened = actions.add_parser("open", help="apply for open data; restricted data then needs a use agreement")
    opened.add_argument("dataset")
    opened.add_argument("--consumer", required=True)
    opened.add_argument("--purpose", required=True)
    opened.add_argument("--until", type=until, help="YYYY-MM-DD, end of validity (default: one year)")
    opened.set_defaults(func=_open)
    listing = actions.add_parser("list", help="requests and their status")
    listing.add_argument("--pending", action="store_true", help="only those waiting for a decision")
    listing.set_defaults(func=_list)
    revoke = actions.add_parser("revoke", help="withdraw a request or end its grant now")
    revoke.add_argument("request_id")
    revoke.add_argument("--reason", required=True)
    revoke.set_defaults(func=_revoke)


@refusals
def _share(args: argparse.Namespace) -> int:
    from governance import requests

    columns = tuple(c.strip() for c in args.columns.split(",") if c.strip())
    with gov_session(args.consumer) as gov:
        req, grant = requests.request_share(
            gov, args.consumer, args.dataset, args.purpose, columns, Mode(args.mode), args.until
        )
        progress = "" if grant else requests.progress(gov, req)
    if grant:
        print(f"{req.request_id}: granted at once as {grant.grant_id} ({', '.join(grant.columns)}); access rebuilt")
    else:
        print(f"{req.request_id}: pending; {progress}")
    return 0


@refusals
def _open(args: argparse.Namespace) -> int:
    from governance import requests

    with gov_session(args.consumer) as gov:
        req = requests.request_open(gov, args.consumer, args.dataset, args.purpose, args.until)
    if req.status == RequestStatus.APPROVED:
        print(f"{req.request_id}: {args.dataset} is unconditional open data; readable without agreement")
    else:
        print(
            f"{req.request_id}: pending; {AUTHORITY_SHORT} signs the use agreement: pdl agreement sign {req.request_id}"
        )
    return 0


@refusals
def _list(args: argparse.Namespace) -> int:
    from governance import requests

    with gov_session(AUTHORITY_SHORT) as gov:
        rows = requests.pending(gov) if args.pending else requests.all_requests(gov)
        for r in rows:
            note = requests.progress(gov, r) if r.status == RequestStatus.PENDING else (r.status_reason or "")
            print(
                f"{r.request_id} {r.requested_at:%Y-%m-%d} {r.consumer_id:<16} {r.target.value:<5} {r.dataset_id:<26} "
                f"{r.mode.value:<9} {r.status.value:<8} {note}"
            )
    print(f"{len(rows)} request(s)")
    return 0


@refusals
def _revoke(args: argparse.Namespace) -> int:
    from governance import requests

    with gov_session(AUTHORITY_SHORT) as gov:
        req = requests.revoke(gov, args.request_id, args.reason)
    print(f"{req.request_id}: revoked; access of {req.consumer_id} rebuilt")
    return 0
