"""Registering data consumers: agencies, public users, researchers and companies, with qualifications (art. 23).

A consumer's id names its access database file, so it is a plain identifier; for a natural person it
should not be their name (the audit records consumer ids).
"""

from __future__ import annotations

import re

from governance import access, audit, store
from governance.model import Consumer, ConsumerKind, ConsumerState, Credit, GovernanceError
from governance.session import Gov, transaction


def add(
    gov: Gov,
    consumer_id: str,
    name: str,
    kind: ConsumerKind,
    storage: bool = False,
    processing: bool = False,
    security: bool = False,
    note: str | None = None,
) -> Consumer:
    """Register a consumer (active, good credit) and give it its first access database."""
    access.path_for(gov.lake, consumer_id)
    if re.search(r"[0-9]{11,}", consumer_id):
        raise GovernanceError("a consumer id must not hold a personal identifier (no long runs of digits)")
    if not name.strip():
        raise GovernanceError("a consumer needs a name")
    if store.get(gov.con, Consumer, consumer_id):
        raise GovernanceError(f"consumer {consumer_id} is already registered")
    consumer = Consumer(
        consumer_id=consumer_id,
        name=name.strip(),
        kind=ConsumerKind(kind),
        qual_storage=storage,
        qual_processing=processing,
        qual_security=security,
        qual_note=note,
        credit=Credit.GOOD,
        state=ConsumerState.ACTIVE,
        state_reason=None,
        registered_at=gov.now,
        state_changed_at=gov.now,
    )
    with transaction(gov):
        store.insert(gov.con, consumer)
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "consumer.add",
            consumer_id=consumer_id,
            details={"kind": consumer.kind.value, "storage": storage, "processing": processing, "security": security},
        )
    access.build(gov, consumer_id)
    return consumer


def get(gov: Gov, consumer_id: str) -> Consumer:
    found = store.get(gov.con, Consumer, consumer_id)
    if found is None:
        raise GovernanceError(f"no consumer {consumer_id}; register it with `pdl consumer add`")
    return found


def active(gov: Gov, consumer_id: str) -> Consumer:
    """The consumer, refusing one that is suspended or terminated."""
    consumer = get(gov, consumer_id)
    if consumer.state != ConsumerState.ACTIVE:
        raise GovernanceError(
            f"consumer {consumer_id} is {consumer.state.value}: {consumer.state_reason or ''}".rstrip(": ")
        )
    return consumer


def all_consumers(gov: Gov) -> list[Consumer]:
    return store.select(gov.con, Consumer)
