"""Data-subject authorization (当事人授权, art. 14): a person lets one consumer use their records of one dataset.

The resident ID is turned into its keyed subject key at once (`desensitize.subject.subject_key`) and
then forgotten: only the key is stored, and neither the ID nor the key reaches the audit, a log or an
error message. Authorizing or revoking rebuilds the consumer's access database immediately, so a
revoked subject's rows are gone from it before the call returns.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from governance import access, audit, consumers, rules, store
from governance.model import Authorization, GovernanceError
from governance.session import Gov, transaction

DEFAULT_TERM = timedelta(days=365)


def subject_key_of(resident_id: str, gov: Gov) -> str:
    """The subject key of a valid resident ID; the refusal never repeats the ID."""
    from desensitize.subject import subject_key
    from quality.validators.normalize import normalize_identifier
    from quality.validators.resident_id import is_valid_resident_id

    if not is_valid_resident_id(normalize_identifier(resident_id), gov.now.date()):
        raise GovernanceError("the subject's ID is not a valid resident ID number (length, date or check character)")
    return subject_key(resident_id)


def authorize(
    gov: Gov, subject_id: str, consumer_id: str, dataset_id: str, scope: str, until: datetime | None = None
) -> Authorization:
    """Record a subject's authorization from their resident ID (kept only as its key)."""
    return authorize_key(gov, subject_key_of(subject_id, gov), consumer_id, dataset_id, scope, until)


def authorize_key(
    gov: Gov, subject_key: str, consumer_id: str, dataset_id: str, scope: str, until: datetime | None = None
) -> Authorization:
    """Record an authorization for an already keyed subject and rebuild the consumer's access."""
    consumers.active(gov, consumer_id)
    ds = gov.dataset(dataset_id)
    if not rules.about_persons(ds):
        raise GovernanceError(f"{ds.id} holds no records keyed by a resident ID; there is nothing to authorize")
    if not scope.strip():
        raise GovernanceError("an authorization states its scope (what the subject allows the data to be used for)")
    until = until or gov.now + DEFAULT_TERM
    if until <= gov.now:
        raise GovernanceError(f"the authorization's expiry ({until:%Y-%m-%d}) must be in the future")
    record = Authorization(
        authorization_id=store.next_id(gov.con, "gov_authorization_seq"),
        subject_key=subject_key,
        consumer_id=consumer_id,
        dataset_id=ds.id,
        scope=scope.strip(),
        granted_at=gov.now,
        expires_at=until,
        revoked_at=None,
    )
    with transaction(gov):
        store.insert(gov.con, record)
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "authorization",
            consumer_id=consumer_id,
            dataset_id=ds.id,
            ref=record.authorization_id,
            details={"scope": record.scope, "expires_at": until},
        )
    access.build(gov, consumer_id)
    return record


def _matching(
    gov: Gov, authorization_id: str | None, subject_id: str | None, consumer_id: str | None, dataset_id: str | None
) -> list[Authorization]:
    if authorization_id:
        found = store.get(gov.con, Authorization, authorization_id)
        if found is None:
            raise GovernanceError(f"no authorization {authorization_id}")
        return [found]
    if not (subject_id and consumer_id and dataset_id):
        raise GovernanceError("name the authorization, or the subject's ID with the consumer and the dataset")
    key = subject_key_of(subject_id, gov)
    found = store.select(gov.con, Authorization, subject_key=key, consumer_id=consumer_id, dataset_id=dataset_id)
    if not found:
        raise GovernanceError(f"this subject has not authorized {consumer_id} for {dataset_id}")
    return found


def revoke(
    gov: Gov,
    authorization_id: str | None = None,
    subject_id: str | None = None,
    consumer_id: str | None = None,
    dataset_id: str | None = None,
) -> list[Authorization]:
    """Revoke now; the subject's rows leave the consumer's access database before this returns."""
    live = [a for a in _matching(gov, authorization_id, subject_id, consumer_id, dataset_id) if a.revoked_at is None]
    if not live:
        raise GovernanceError("the authorization is already revoked")
    with transaction(gov):
        for a in live:
            store.update(gov.con, Authorization, a.authorization_id, revoked_at=gov.now)
            audit.append(
                gov.con,
                gov.now,
                gov.actor,
                "authorization.revoke",
                consumer_id=a.consumer_id,
                dataset_id=a.dataset_id,
                ref=a.authorization_id,
            )
    access.rebuild(gov, [a.consumer_id for a in live])
    return [store.get(gov.con, Authorization, a.authorization_id) for a in live]
