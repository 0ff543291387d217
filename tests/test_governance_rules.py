"""The role x class x state matrix on the pure decision functions: exactly which columns and rows, or nothing.

Every share class x open class x consumer state x request/agreement state x consumer kind is decided by
`rules.share_verdict` / `rules.open_verdict` and compared with an independent table of expectations.
Real access databases for a representative subset are built in test_governance_access.py.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from catalog.model import Dataset
from governance import rules
from governance.model import (
    Agreement,
    Authorization,
    Consumer,
    ConsumerKind,
    ConsumerState,
    Credit,
    GovernanceError,
    Grant,
    Holdings,
    Mode,
    Role,
    RowScope,
    Status,
)
from governance.rules import SafeFile

from governance_support import people_dataset

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SHARE_CLASSES = ("unconditional", "restricted", "non_shareable")
OPEN_CLASSES = ("unconditional", "restricted", "prohibited")
CONSUMER_STATES = tuple(ConsumerState)
STATES = ("none", "pending", "approved", "rejected", "expired", "revoked")
KINDS = tuple(ConsumerKind)
ASKED = ("resident_id", "name", "township", "amount")
FILE_COLUMNS = ("resident_id", "name", "township", "amount", "_subject")
OPEN_COLUMNS = ("township", "amount")


@functools.cache
def dataset(share: str, open_: str) -> Dataset:
    return people_dataset(share, open_)


def consumer(kind: ConsumerKind, state: ConsumerState) -> Consumer:
    return Consumer("c1", "测试用户", kind, True, True, True, None, Credit.GOOD, state, None, NOW, NOW)


def files(ds_id: str = "dq_test_people") -> dict:
    return {
        (ds_id, "share_unconditional"): SafeFile("/safe/u.parquet", FILE_COLUMNS),
        (ds_id, "share_restricted"): SafeFile("/safe/r.parquet", FILE_COLUMNS),
        (ds_id, "open"): SafeFile("/safe/o.parquet", OPEN_COLUMNS),
    }


def grant(ds: Dataset, state: str) -> tuple[Grant, ...]:
    """The grants a share request in `state` leaves behind (none unless it was approved once)."""
    if state not in ("approved", "expired", "revoked"):
        return ()
    until = NOW - DAY if state == "expired" else NOW + 100 * DAY
    status = Status.REVOKED if state == "revoked" else Status.ACTIVE
    return (
        Grant(
            "GRT-1",
            "REQ-1",
            "c1",
            ds.id,
            ASKED,
            rules.row_scope(ds),
            "核验",
            Mode.INTERFACE,
            ds.share.klass.value,
            NOW - 10 * DAY,
            until,
            status,
            None,
            NOW - 10 * DAY,
        ),
    )


def agreement(ds: Dataset, state: str) -> tuple[Agreement, ...]:
    if state not in ("approved", "expired", "revoked"):
        return ()
    until = NOW - DAY if state == "expired" else NOW + 100 * DAY
    status = Status.REVOKED if state == "revoked" else Status.ACTIVE
    return (
        Agreement(
            "AGR-1",
            "REQ-2",
            "c1",
            ds.id,
            "研究",
            *("条款",) * 6,
            (NOW - 10 * DAY).date(),
            NOW - 10 * DAY,
            until,
            "县大数据局",
            "备-1",
            status,
            None,
            NOW - 10 * DAY,
        ),
    )


def authorizations(ds_id: str = "dq_test_people") -> tuple[Authorization, ...]:
    """One current, one expired, one revoked, one future, one for another consumer, one for another dataset."""
    past, future = NOW - 10 * DAY, NOW + 10 * DAY
    return (
        Authorization("A1", "key-current", "c1", ds_id, "核验", past, future, None),
        Authorization("A2", "key-expired", "c1", ds_id, "核验", past, NOW - DAY, None),
        Authorization("A3", "key-revoked", "c1", ds_id, "核验", past, future, NOW - DAY),
        Authorization("A4", "key-later", "c1", ds_id, "核验", NOW + DAY, future, None),
        Authorization("A5", "key-other-consumer", "c2", ds_id, "核验", past, future, None),
        Authorization("A6", "key-other-dataset", "c1", "dq_other", "核验", past, future, None),
    )


def expected_share(share: str, state: str, cstate: ConsumerState, kind: ConsumerKind):
    if cstate != ConsumerState.ACTIVE or kind != ConsumerKind.AGENCY or state != "approved":
        return None
    columns = ("township", "amount") if share == "non_shareable" else ASKED
    rows = None if share == "unconditional" else frozenset({"key-current"})
    return columns, rows


def expected_open(open_: str, state: str, cstate: ConsumerState):
    if cstate != ConsumerState.ACTIVE or open_ == "prohibited":
        return None
    if open_ == "restricted" and state != "approved":
        return None
    return OPEN_COLUMNS, None


CASES = list(itertools.product(SHARE_CLASSES, OPEN_CLASSES, CONSUMER_STATES, STATES, KINDS))


@pytest.mark.parametrize(("share", "open_", "cstate", "state", "kind"), CASES)
def test_matrix(share, open_, cstate, state, kind):
    ds = dataset(share, open_)
    who = consumer(kind, cstate)
    holdings = Holdings(grant(ds, state), agreement(ds, state), authorizations())
    got_share = rules.share_verdict(who, ds, holdings, files(), NOW)
    got_open = rules.open_verdict(who, ds, holdings, files(), NOW)
    for got, want in (
        (got_share, expected_share(share, state, cstate, kind)),
        (got_open, expected_open(open_, state, cstate)),
    ):
        if want is None:
            assert got.access is None and got.reason
        else:
            assert got.access is not None, got.reason
            assert (got.access.columns, got.access.subject_keys) == want
            assert rules.SUBJECT_COLUMN not in got.access.columns


def test_matrix_covers_every_combination():
    assert len(CASES) == 3 * 3 * 3 * 6 * 4


def test_released_data_shrinks_with_the_class():
    """What an approved agency reads never grows from unconditional to restricted to non-shareable."""
    who = consumer(ConsumerKind.AGENCY, ConsumerState.ACTIVE)
    got = []
    for share in SHARE_CLASSES:
        ds = dataset(share, "prohibited")
        access = rules.share_verdict(
            who, ds, Holdings(grant(ds, "approved"), (), authorizations()), files(), NOW
        ).access
        got.append((set(access.columns), access.subject_keys))
    assert got[0][0] >= got[1][0] >= got[2][0]
    assert got[0][1] is None and got[1][1] == got[2][1] == {"key-current"}


def test_a_grant_from_before_a_downgrade_is_void():
    ds = dataset("restricted", "prohibited")
    old = replace(grant(ds, "approved")[0], share_class="unconditional")
    verdict = rules.share_verdict(
        consumer(ConsumerKind.AGENCY, ConsumerState.ACTIVE), ds, Holdings((old,)), files(), NOW
    )
    assert verdict.access is None and "reclassified" in verdict.reason


def test_a_grant_from_before_an_upgrade_still_holds():
    ds = dataset("unconditional", "prohibited")
    old = replace(grant(ds, "approved")[0], share_class="restricted")
    verdict = rules.share_verdict(
        consumer(ConsumerKind.AGENCY, ConsumerState.ACTIVE), ds, Holdings((old,)), files(), NOW
    )
    assert verdict.access is not None and verdict.access.subject_keys is None


def test_consent_data_without_subject_keys_fails_closed():
    ds = dataset("restricted", "prohibited")
    bare = {k: SafeFile(v.path, tuple(c for c in v.columns if c != "_subject")) for k, v in files().items()}
    verdict = rules.share_verdict(
        consumer(ConsumerKind.AGENCY, ConsumerState.ACTIVE), ds, Holdings(grant(ds, "approved")), bare, NOW
    )
    assert verdict.access is None and "_subject" in verdict.reason


def test_missing_safe_file_denies_with_reason():
    ds = dataset("unconditional", "unconditional")
    who = consumer(ConsumerKind.AGENCY, ConsumerState.ACTIVE)
    assert "no desensitized" in rules.share_verdict(who, ds, Holdings(grant(ds, "approved")), {}, NOW).reason
    assert "no desensitized" in rules.open_verdict(who, ds, Holdings(), {}, NOW).reason


def test_columns_follow_the_grant_and_the_file():
    ds = dataset("unconditional", "prohibited")
    narrow = replace(grant(ds, "approved")[0], columns=("township", "not_in_file"))
    access = rules.share_verdict(
        consumer(ConsumerKind.AGENCY, ConsumerState.ACTIVE), ds, Holdings((narrow,)), files(), NOW
    ).access
    assert access.columns == ("township",)


def test_expiry_is_decided_by_the_clock():
    ds = dataset("restricted", "restricted")
    who = consumer(ConsumerKind.AGENCY, ConsumerState.ACTIVE)
    holdings = Holdings(grant(ds, "approved"), agreement(ds, "approved"), authorizations())
    later = NOW + 101 * DAY
    assert rules.share_verdict(who, ds, holdings, files(), later).access is None
    assert "expired" in rules.open_verdict(who, ds, holdings, files(), later).reason
    keys = rules.share_verdict(who, ds, holdings, files(), NOW + 2 * DAY).access.subject_keys
    assert keys == {"key-current", "key-later"}


def test_required_reviews_and_progress_message():
    restricted, free = dataset("restricted", "prohibited"), dataset("unconditional", "prohibited")
    assert rules.required_reviews(restricted, Mode.INTERFACE) == (Role.AUTHORITY, Role.PROVIDER)
    assert rules.required_reviews(dataset("non_shareable", "prohibited"), Mode.INTERFACE) == (
        Role.AUTHORITY,
        Role.PROVIDER,
    )
    assert rules.required_reviews(free, Mode.INTERFACE) == ()
    assert rules.required_reviews(free, Mode.COPY) == (Role.AUTHORITY,)


def test_requested_columns_name_what_is_wrong():
    with pytest.raises(GovernanceError, match="has no column nope"):
        rules.requested_columns(dataset("restricted", "prohibited"), ["nope"])
    with pytest.raises(GovernanceError, match="personal column\\(s\\) resident_id"):
        rules.requested_columns(dataset("non_shareable", "prohibited"), ["resident_id", "township"])
    assert rules.requested_columns(dataset("non_shareable", "prohibited"), []) == ("township", "amount")
    assert rules.row_scope(dataset("restricted", "prohibited")) == RowScope.CONSENT
    assert rules.row_scope(dataset("unconditional", "prohibited")) == RowScope.ALL


def test_subject_column_matches_the_desensitizer():
    from desensitize.subject import SUBJECT_COLUMN

    assert rules.SUBJECT_COLUMN == SUBJECT_COLUMN
