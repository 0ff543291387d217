"""`pdl authorize` and `pdl authorize revoke`: a data subject's authorization (当事人授权, art. 14).

The resident ID is read from `--subject-id` or, with `--subject-id -`, from standard input (no echo on a
terminal, nothing in the shell history), turned into its subject key at once, and never stored, logged
or printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from governance.model import AUTHORITY_SHORT, GovernanceError
from pdl.commands.governance import gov_session, refusals, until

ACTOR = f"当事人（{AUTHORITY_SHORT}受理）"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("authorize", help="record a data subject's authorization of a consumer (or revoke it)")
    _subject_options(parser)
    parser.add_argument("--scope", help="what the subject allows the data to be used for")
    parser.add_argument("--until", type=until, help="YYYY-MM-DD, expiry (default: one year)")
    parser.set_defaults(func=_authorize)
    actions = parser.add_subparsers(dest="action")
    revoke = actions.add_parser("revoke", help="revoke now, by authorization id or by subject, consumer and dataset")
    revoke.add_argument("authorization_id", nargs="?")
    _subject_options(revoke)
    revoke.set_defaults(func=_revoke)


def _subject_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--subject-id", help="the subject's resident ID, or '-' to read it from standard input")
    parser.add_argument("--consumer")
    parser.add_argument("--dataset")


def _subject_id(value: str | None) -> str | None:
    if value != "-":
        return value
    return getpass.getpass("resident ID: ") if sys.stdin.isatty() else sys.stdin.readline().strip()


@refusals
def _authorize(args: argparse.Namespace) -> int:
    from governance import consent

    missing = [
        f"--{n.replace('_', '-')}" for n in ("subject_id", "consumer", "dataset", "scope") if not getattr(args, n)
    ]
    if missing:
        raise GovernanceError(f"an authorization needs {', '.join(missing)}")
    with gov_session(ACTOR) as gov:
        a = consent.authorize(gov, _subject_id(args.subject_id), args.consumer, args.dataset, args.scope, args.until)
    print(
        f"{a.authorization_id}: {a.consumer_id} may use this subject's records of {a.dataset_id} until "
        f"{a.expires_at:%Y-%m-%d}; access rebuilt"
    )
    return 0


@refusals
def _revoke(args: argparse.Namespace) -> int:
    from governance import consent

    with gov_session(ACTOR) as gov:
        done = consent.revoke(gov, args.authorization_id, _subject_id(args.subject_id), args.consumer, args.dataset)
    for a in done:
        print(
            f"{a.authorization_id}: revoked; {a.consumer_id}'s access to {a.dataset_id} rebuilt without these records"
        )
    return 0
