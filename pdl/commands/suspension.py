"""`pdl suspend|reinstate|terminate CONSUMER --reason ...` (art. 38-39)."""

from __future__ import annotations

import argparse

from governance.model import AUTHORITY_SHORT
from pdl.commands.governance import gov_session, refusals

ACTIONS = {
    "suspend": "close all of a consumer's access now (kept for reinstatement)",
    "reinstate": "restore a suspended consumer's access",
    "terminate": "end a consumer's use for good; writes a credit record",
}


def register(sub: argparse._SubParsersAction) -> None:
    for name, text in ACTIONS.items():
        parser = sub.add_parser(name, help=text)
        parser.add_argument("consumer_id")
        parser.add_argument("--reason", required=True)
        parser.set_defaults(func=_act, verb=name)


@refusals
def _act(args: argparse.Namespace) -> int:
    from governance import suspension

    with gov_session(AUTHORITY_SHORT) as gov:
        c = getattr(suspension, args.verb)(gov, args.consumer_id, args.reason)
        built = (gov.lake.access_dir / f"{c.consumer_id}.duckdb").exists()
    print(
        f"{c.consumer_id}: {c.state.value}, credit {c.credit.value}; "
        f"access database {'rebuilt' if built else 'removed'}"
    )
    return 0
