"""`pdl consumer`, `pdl class` and `pdl demand`, plus what every governance command shares.

The shared part: a governance session on `PDL_HOME` with the command's actor, refusals printed as
`error: ...` (exit 1), and dates read as "through that day in county time". Other governance command
modules (request, review, authorize, agreement, suspension, access, audit) import these helpers.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from datetime import date, datetime

from governance.model import AUTHORITY_SHORT, ConsumerKind, GovernanceError, Target
from governance.session import Gov, end_of_day, session
from warehouse.lake import Lake


def gov_session(actor: str):
    return session(Lake.from_env(), actor)


def refusals(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Print a refused action's reason (it names what is missing) and exit 1."""

    @functools.wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except GovernanceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1

    return wrapper


def until(text: str) -> datetime:
    """argparse type: YYYY-MM-DD, valid through that day."""
    return end_of_day(date.fromisoformat(text))


def day(text: str) -> date:
    return date.fromisoformat(text)


def register(sub: argparse._SubParsersAction) -> None:
    _register_consumer(sub)
    _register_class(sub)
    _register_demand(sub)


def _register_consumer(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "consumer", help="register and list data consumers (agencies, public, researchers, companies)"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="register a consumer with its qualifications (art. 23)")
    add.add_argument("consumer_id", help="lowercase id; names its access database (not a person's name)")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=[k.value for k in ConsumerKind])
    for flag in ("storage", "processing", "security"):
        add.add_argument(f"--{flag}", action="store_true", help=f"has {flag} capability (art. 23)")
    add.add_argument("--note", help="evidence of the qualifications")
    add.set_defaults(func=_consumer_add)
    actions.add_parser("list", help="consumers, state and credit").set_defaults(func=_consumer_list)
    breach = actions.add_parser("breach", help="record a breach on a consumer's credit file (art. 39)")
    breach.add_argument("consumer_id")
    breach.add_argument("--description", required=True)
    breach.set_defaults(func=_consumer_breach)


@refusals
def _consumer_add(args: argparse.Namespace) -> int:
    from governance import consumers

    with gov_session(AUTHORITY_SHORT) as gov:
        c = consumers.add(
            gov,
            args.consumer_id,
            args.name,
            ConsumerKind(args.kind),
            args.storage,
            args.processing,
            args.security,
            args.note,
        )
    print(f"registered {c.consumer_id} ({c.name}, {c.kind.value}); access database built")
    return 0


@refusals
def _consumer_list(args: argparse.Namespace) -> int:
    from governance import consumers

    with gov_session(AUTHORITY_SHORT) as gov:
        rows = consumers.all_consumers(gov)
    for c in rows:
        quals = (
            ",".join(
                n
                for n, ok in (
                    ("storage", c.qual_storage),
                    ("processing", c.qual_processing),
                    ("security", c.qual_security),
                )
                if ok
            )
            or "-"
        )
        print(
            f"{c.consumer_id:<20} {c.kind.value:<10} {c.state.value:<10} credit {c.credit.value:<8} "
            f"{quals:<27} {c.name}"
        )
    print(f"{len(rows)} consumer(s)")
    return 0


@refusals
def _consumer_breach(args: argparse.Namespace) -> int:
    from governance import suspension

    with gov_session(AUTHORITY_SHORT) as gov:
        record = suspension.record_breach(gov, args.consumer_id, args.description)
    print(f"{record.record_id}: breach recorded for {args.consumer_id}; credit now {record.credit_after.value}")
    return 0


def _register_class(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("class", help="change a dataset's share or open class (art. 22) and list changes")
    actions = parser.add_subparsers(dest="action", required=True)
    change = actions.add_parser("change", help="record a class change; a downgrade needs a filing record")
    change.add_argument("dataset")
    which = change.add_mutually_exclusive_group(required=True)
    which.add_argument("--share", choices=["unconditional", "restricted", "non_shareable"])
    which.add_argument("--open", choices=["unconditional", "restricted", "prohibited"])
    change.add_argument("--reason", required=True)
    change.add_argument("--basis", help="legal basis (needed for any class but unconditional)")
    change.add_argument("--filing", help="filing record with the authority (needed for a downgrade)")
    change.add_argument("--next-review", type=day, help="next review date (needed for restricted)")
    change.set_defaults(func=_class_change)
    actions.add_parser("list", help="recorded changes, catalog drift and overdue reviews").set_defaults(
        func=_class_list
    )


@refusals
def _class_change(args: argparse.Namespace) -> int:
    from governance import classes

    attribute, new = (Target.SHARE, args.share) if args.share else (Target.OPEN, args.open)
    with gov_session(AUTHORITY_SHORT) as gov:
        c = classes.change(gov, args.dataset, attribute, new, args.reason, args.basis, args.filing, args.next_review)
    print(f"{c.change_id}: {c.dataset_id} {c.attribute.value} class {c.old_class} -> {c.new_class}; access rebuilt")
    if c.new_class != c.old_class:
        print(f"update catalog/datasets/{c.dataset_id}.yaml to match and rerun the pipeline for the safe layer")
    return 0


def _print_class_list(gov: Gov) -> None:
    from governance import classes
    from governance.status import overdue_reviews

    for c in classes.recorded(gov.con):
        print(
            f"{c.change_id} {c.changed_at:%Y-%m-%d} {c.dataset_id} {c.attribute.value}: {c.old_class} -> "
            f"{c.new_class} (filing {c.filing_ref or '-'}, next review {c.next_review or '-'})"
        )
    for d in classes.catalog_drift(gov.con, gov.declared):
        print(f"drift: {d.dataset_id} {d.attribute.value} is {d.declared} in the catalog, {d.recorded} as recorded")
    for o in overdue_reviews(gov.con, gov.now.date()):
        print(f"overdue: {o.describe(gov.now.date())}")


@refusals
def _class_list(args: argparse.Namespace) -> int:
    with gov_session(AUTHORITY_SHORT) as gov:
        _print_class_list(gov)
    return 0


def _register_demand(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demand", help="requests for data outside the catalog (art. 27)")
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="ask for data the catalog does not list")
    add.add_argument("--consumer", required=True)
    add.add_argument("--what", required=True, help="the data needed and what for")
    add.add_argument("--to", help="provider code of the agency thought to hold it")
    add.set_defaults(func=_demand_add)
    answer = actions.add_parser("answer", help="reply to a demand request")
    answer.add_argument("demand_id")
    answer.add_argument("--reply", required=True)
    answer.add_argument("--by", help="answering agency (default: the addressee, else the authority)")
    answer.set_defaults(func=_demand_answer)
    actions.add_parser("list", help="demand requests still open").set_defaults(func=_demand_list)


@refusals
def _demand_add(args: argparse.Namespace) -> int:
    from governance import demand

    with gov_session(args.consumer) as gov:
        d = demand.add(gov, args.consumer, args.what, args.to)
    print(f"{d.demand_id}: recorded, addressed to {d.addressed_to or AUTHORITY_SHORT}")
    return 0


@refusals
def _demand_answer(args: argparse.Namespace) -> int:
    from governance import demand

    with gov_session(args.by or AUTHORITY_SHORT) as gov:
        d = demand.answer(gov, args.demand_id, args.reply, args.by)
    print(f"{d.demand_id}: answered by {d.answered_by}")
    return 0


@refusals
def _demand_list(args: argparse.Namespace) -> int:
    from governance import demand

    with gov_session(AUTHORITY_SHORT) as gov:
        rows = demand.open_demands(gov)
    for d in rows:
        print(
            f"{d.demand_id} {d.requested_at:%Y-%m-%d} {d.consumer_id} -> {d.addressed_to or AUTHORITY_SHORT}: "
            f"{d.description}"
        )
    print(f"{len(rows)} open demand request(s)")
    return 0
