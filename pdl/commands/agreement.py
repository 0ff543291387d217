"""`pdl agreement sign|revoke|list`: restricted-open use agreements (art. 24) and their public list (art. 23)."""

from __future__ import annotations

import argparse

from governance.model import AUTHORITY_SHORT
from pdl.commands.governance import day, gov_session, refusals, until


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("agreement", help="use agreements for restricted open data")
    actions = parser.add_subparsers(dest="action", required=True)
    sign = actions.add_parser("sign", help="sign and file the agreement of a pending open request; access opens")
    sign.add_argument("request_id")
    sign.add_argument("--filing", required=True, help="filing number with the authority")
    sign.add_argument("--signed-on", type=day, help="YYYY-MM-DD (default: today)")
    sign.add_argument("--until", type=until, help="YYYY-MM-DD, end of validity (default: the request's)")
    sign.set_defaults(func=_sign)
    revoke = actions.add_parser("revoke", help="end an agreement now; restricted open access closes")
    revoke.add_argument("agreement_id")
    revoke.add_argument("--reason", required=True)
    revoke.set_defaults(func=_revoke)
    actions.add_parser("list", help="the public list of recipients of restricted open data").set_defaults(func=_list)


@refusals
def _sign(args: argparse.Namespace) -> int:
    from governance import agreements

    with gov_session(AUTHORITY_SHORT) as gov:
        a = agreements.sign(gov, args.request_id, args.filing, args.signed_on, args.until)
    print(
        f"{a.agreement_id}: signed and filed ({a.filing_ref}); {a.consumer_id} reads open.{a.dataset_id} until "
        f"{a.valid_until:%Y-%m-%d}; recipients list republished"
    )
    return 0


@refusals
def _revoke(args: argparse.Namespace) -> int:
    from governance import agreements

    with gov_session(AUTHORITY_SHORT) as gov:
        a = agreements.revoke(gov, args.agreement_id, args.reason)
    print(f"{a.agreement_id}: revoked; access of {a.consumer_id} rebuilt")
    return 0


@refusals
def _list(args: argparse.Namespace) -> int:
    from governance import agreements

    with gov_session(AUTHORITY_SHORT) as gov:
        frame = agreements.recipients(gov)
    for r in frame.iter_rows(named=True):
        print(
            f"{r['agreement_id']} {r['dataset_id']:<26} {r['recipient']:<24} {r['status']:<8} "
            f"signed {r['signed_on']} until {r['valid_until']}  {r['purpose']}"
        )
    print(f"{frame.height} agreement(s)")
    return 0
