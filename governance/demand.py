"""Demand requests for data outside the catalog (art. 27): recorded, evaluated, answered.

A registered consumer says what it needs; the request is addressed to an agency when the consumer
knows which one holds it, otherwise to the authority, who forwards it. The answer closes it.
"""

from __future__ import annotations

from governance import audit, consumers, store
from governance.model import AUTHORITY_NAME, Demand, GovernanceError
from governance.session import Gov, transaction


def add(gov: Gov, consumer_id: str, description: str, addressed_to: str | None = None) -> Demand:
    consumers.active(gov, consumer_id)
    if not description.strip():
        raise GovernanceError("a demand request says what data is needed")
    record = Demand(
        demand_id=store.next_id(gov.con, "gov_demand_seq"),
        consumer_id=consumer_id,
        description=description.strip(),
        addressed_to=addressed_to,
        status="open",
        reply=None,
        answered_by=None,
        requested_at=gov.now,
        answered_at=None,
    )
    with transaction(gov):
        store.insert(gov.con, record)
        audit.append(
            gov.con,
            gov.now,
            consumer_id,
            "demand.add",
            consumer_id=consumer_id,
            ref=record.demand_id,
            details={"description": record.description, "addressed_to": addressed_to},
        )
    return record


def answer(gov: Gov, demand_id: str, reply: str, by: str | None = None) -> Demand:
    """The agency's (or the authority's) reply; the demand is then answered."""
    demand = store.get(gov.con, Demand, demand_id)
    if demand is None:
        raise GovernanceError(f"no demand request {demand_id}")
    if demand.status != "open":
        raise GovernanceError(f"demand request {demand_id} was already answered")
    if not reply.strip():
        raise GovernanceError("an answer to a demand request gives a reply (art. 27)")
    by = by or demand.addressed_to or AUTHORITY_NAME
    with transaction(gov):
        store.update(
            gov.con, Demand, demand_id, status="answered", reply=reply.strip(), answered_by=by, answered_at=gov.now
        )
        audit.append(
            gov.con,
            gov.now,
            by,
            "demand.answer",
            consumer_id=demand.consumer_id,
            ref=demand_id,
            details={"reply": reply.strip()},
        )
    return store.get(gov.con, Demand, demand_id)


def open_demands(gov: Gov) -> list[Demand]:
    return store.select(gov.con, Demand, order=("requested_at",), status="open")
