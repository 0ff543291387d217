"""`pdl review approve|reject REQUEST --by authority|<provider code> --reason ...` (art. 14)."""

from __future__ import annotations

import argparse

from governance.model import Decision, RequestStatus
from pdl.commands.governance import gov_session, refusals


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("review", help="the authority's or the providing agency's decision on a request")
    actions = parser.add_subparsers(dest="action", required=True)
    for decision in Decision:
        action = actions.add_parser(decision.value, help=f"{decision.value} a pending request, with reason")
        action.add_argument("request_id")
        action.add_argument("--by", required=True, help="'authority' (县大数据局) or the provider's code, e.g. gaj")
        action.add_argument("--reason", required=True)
        action.set_defaults(func=_review, decision=decision)


@refusals
def _review(args: argparse.Namespace) -> int:
    from governance import requests

    with gov_session(args.by) as gov:
        req, grant, progress = requests.review(gov, args.request_id, args.by, args.decision, args.reason)
    if grant:
        print(f"{req.request_id}: approved by both; granted as {grant.grant_id}; access of {req.consumer_id} rebuilt")
    elif req.status == RequestStatus.REJECTED:
        print(f"{req.request_id}: rejected ({req.status_reason})")
    else:
        print(f"{req.request_id}: {progress}")
    return 0
