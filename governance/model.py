"""The governance records as plain values: consumers, requests, reviews, grants, authorizations, agreements.

Field names are the column names of the `meta` tables (migration 0003), so `store.py` maps rows to
these types one to one. The decision functions in `rules.py` take and return only these types, so
they are testable without DuckDB and reusable by a later interface service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

AUTHORITY_NAME = "德清县大数据发展管理局"
AUTHORITY_SHORT = "县大数据局"


class ConsumerKind(StrEnum):
    AGENCY = "agency"
    PUBLIC = "public"
    RESEARCHER = "researcher"
    COMPANY = "company"


class ConsumerState(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class Credit(StrEnum):
    GOOD = "good"
    WARNING = "warning"
    BAD = "bad"


class Target(StrEnum):
    SHARE = "share"
    OPEN = "open"


class Mode(StrEnum):
    INTERFACE = "interface"
    COPY = "copy"


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVOKED = "revoked"


class Role(StrEnum):
    AUTHORITY = "authority"
    PROVIDER = "provider"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class RowScope(StrEnum):
    ALL = "all"
    CONSENT = "consent"


class Status(StrEnum):
    """Status of a grant or an agreement; expiry is not a status but a date compared with `now`."""

    ACTIVE = "active"
    REVOKED = "revoked"
    ENDED = "ended"


@dataclass(frozen=True)
class Consumer:
    consumer_id: str
    name: str
    kind: ConsumerKind
    qual_storage: bool
    qual_processing: bool
    qual_security: bool
    qual_note: str | None
    credit: Credit
    state: ConsumerState
    state_reason: str | None
    registered_at: datetime
    state_changed_at: datetime

    @property
    def qualified(self) -> bool:
        """Meets the storage, processing and security conditions of art. 23."""
        return self.qual_storage and self.qual_processing and self.qual_security

    @property
    def natural_person(self) -> bool:
        return self.kind == ConsumerKind.PUBLIC


@dataclass(frozen=True)
class Request:
    request_id: str
    consumer_id: str
    dataset_id: str
    target: Target
    purpose: str
    columns: tuple[str, ...]
    mode: Mode
    dataset_class: str
    valid_until: datetime
    status: RequestStatus
    status_reason: str | None
    requested_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class Review:
    request_id: str
    role: Role
    reviewer: str
    decision: Decision
    reason: str
    reviewed_at: datetime


@dataclass(frozen=True)
class Grant:
    grant_id: str
    request_id: str
    consumer_id: str
    dataset_id: str
    columns: tuple[str, ...]
    row_scope: RowScope
    purpose: str
    mode: Mode
    share_class: str
    valid_from: datetime
    valid_until: datetime
    status: Status
    status_reason: str | None
    granted_at: datetime

    def current(self, now: datetime) -> bool:
        return self.status == Status.ACTIVE and self.valid_from <= now < self.valid_until


@dataclass(frozen=True)
class Authorization:
    """当事人授权: one data subject lets one consumer use their records of one dataset, until expiry."""

    authorization_id: str
    subject_key: str
    consumer_id: str
    dataset_id: str
    scope: str
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def current(self, now: datetime) -> bool:
        revoked = self.revoked_at is not None and self.revoked_at <= now
        return not revoked and self.granted_at <= now < self.expires_at


@dataclass(frozen=True)
class Agreement:
    """A restricted-open use agreement (开放利用协议, art. 24)."""

    agreement_id: str
    request_id: str
    consumer_id: str
    dataset_id: str
    purpose: str
    term_feedback: str
    term_purpose: str
    term_no_redistribution: str
    term_citation: str
    term_security: str
    term_inspection: str
    signed_on: date
    valid_from: datetime
    valid_until: datetime
    filed_with: str
    filing_ref: str
    status: Status
    status_reason: str | None
    recorded_at: datetime

    def current(self, now: datetime) -> bool:
        return self.status == Status.ACTIVE and self.valid_from <= now < self.valid_until


@dataclass(frozen=True)
class ClassChange:
    change_id: str
    dataset_id: str
    attribute: Target
    old_class: str
    new_class: str
    reason: str
    basis: str | None
    filing_ref: str | None
    next_review: date | None
    decided_by: str
    changed_at: datetime


@dataclass(frozen=True)
class Demand:
    """A request for data outside the catalog (art. 27) and the agency's reply."""

    demand_id: str
    consumer_id: str
    description: str
    addressed_to: str | None
    status: str
    reply: str | None
    answered_by: str | None
    requested_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True)
class CreditRecord:
    record_id: str
    consumer_id: str
    kind: str
    description: str
    credit_after: Credit
    recorded_at: datetime


@dataclass(frozen=True)
class Holdings:
    """Everything that decides what one consumer may read: its grants, agreements and authorizations."""

    grants: tuple[Grant, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    authorizations: tuple[Authorization, ...] = ()


class GovernanceError(Exception):
    """A refused governance action; the message says what is missing and never holds personal values."""
