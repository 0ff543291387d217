"""Supervision of consumers (art. 38-39): breach records, suspension, reinstatement, termination, credit.

Suspension closes all of a consumer's access at once (its access database is removed) while keeping
its grants and agreements, so reinstatement restores exactly what it had. Termination ends every grant
and agreement, removes the access database for good and writes a credit record.
"""

from __future__ import annotations

from governance import access, agreements, audit, consumers, store
from governance.model import Agreement, Consumer, ConsumerState, Credit, CreditRecord, GovernanceError, Grant, Status
from governance.session import Gov, transaction


def _credit_record(gov: Gov, consumer_id: str, kind: str, description: str, credit: Credit) -> CreditRecord:
    record = CreditRecord(store.next_id(gov.con, "gov_credit_seq"), consumer_id, kind, description, credit, gov.now)
    store.insert(gov.con, record)
    return record


def _change_state(gov: Gov, consumer: Consumer, state: ConsumerState, credit: Credit, kind: str, reason: str) -> None:
    if not reason.strip():
        raise GovernanceError(f"a {kind} states its reason")
    store.update(
        gov.con,
        Consumer,
        consumer.consumer_id,
        state=state,
        state_reason=reason.strip(),
        state_changed_at=gov.now,
        credit=credit,
    )
    record = _credit_record(gov, consumer.consumer_id, kind, reason.strip(), credit)
    audit.append(
        gov.con,
        gov.now,
        gov.actor,
        f"consumer.{kind}",
        consumer_id=consumer.consumer_id,
        ref=record.record_id,
        details={"reason": reason.strip(), "credit": credit.value},
    )


def record_breach(gov: Gov, consumer_id: str, description: str) -> CreditRecord:
    """A breach of an agreement or of the purpose of a grant, on the consumer's credit file (art. 39)."""
    consumer = consumers.get(gov, consumer_id)
    if not description.strip():
        raise GovernanceError("a breach record describes the breach")
    credit = Credit.BAD if consumer.credit == Credit.BAD else Credit.WARNING
    with transaction(gov):
        store.update(gov.con, Consumer, consumer_id, credit=credit)
        record = _credit_record(gov, consumer_id, "breach", description.strip(), credit)
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "consumer.breach",
            consumer_id=consumer_id,
            ref=record.record_id,
            details={"description": description.strip(), "credit": credit.value},
        )
    return record


def suspend(gov: Gov, consumer_id: str, reason: str) -> Consumer:
    """Close all of a consumer's access now (art. 38); grants and agreements are kept for reinstatement."""
    consumer = consumers.active(gov, consumer_id)
    credit = Credit.BAD if consumer.credit == Credit.BAD else Credit.WARNING
    with transaction(gov):
        _change_state(gov, consumer, ConsumerState.SUSPENDED, credit, "suspension", reason)
    access.build(gov, consumer_id)
    return consumers.get(gov, consumer_id)


def reinstate(gov: Gov, consumer_id: str, reason: str) -> Consumer:
    """Restore a suspended consumer's access once the breach is remedied."""
    consumer = consumers.get(gov, consumer_id)
    if consumer.state != ConsumerState.SUSPENDED:
        raise GovernanceError(f"only a suspended consumer can be reinstated; {consumer_id} is {consumer.state.value}")
    with transaction(gov):
        _change_state(gov, consumer, ConsumerState.ACTIVE, consumer.credit, "reinstatement", reason)
    access.build(gov, consumer_id)
    return consumers.get(gov, consumer_id)


def terminate(gov: Gov, consumer_id: str, reason: str) -> Consumer:
    """End a consumer's use for good: grants and agreements ended, access removed, credit record written."""
    consumer = consumers.get(gov, consumer_id)
    if consumer.state == ConsumerState.TERMINATED:
        raise GovernanceError(f"consumer {consumer_id} is already terminated")
    ended = store.select(gov.con, Agreement, consumer_id=consumer_id, status=Status.ACTIVE)
    with transaction(gov):
        for grant in store.select(gov.con, Grant, consumer_id=consumer_id, status=Status.ACTIVE):
            store.update(gov.con, Grant, grant.grant_id, status=Status.ENDED, status_reason="consumer terminated")
        for agreement in ended:
            store.update(
                gov.con, Agreement, agreement.agreement_id, status=Status.ENDED, status_reason="consumer terminated"
            )
        _change_state(gov, consumer, ConsumerState.TERMINATED, Credit.BAD, "termination", reason)
    if ended:
        agreements.publish_recipients(gov)
    access.build(gov, consumer_id)
    return consumers.get(gov, consumer_id)
