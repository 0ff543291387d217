"""Restricted-open use agreements (开放利用协议, art. 24) and the public list of their recipients (art. 23).

Restricted open data is readable only while an agreement is current: signed with the six terms of
art. 24 stated in full, filed with the authority, within its validity and not revoked. The list of who
obtained restricted open data is itself published as an open dataset, `open.pdl_restricted_open_recipients`
(Parquet and UTF-8 CSV under `PDL_HOME/open/`), rewritten on every signature and revocation; the names
of natural persons on it are masked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from catalog.model import Dataset
from catalog.vocabulary import OPEN_LABELS, OpenClass
from governance import access, audit, requests, store
from governance.model import (
    AUTHORITY_NAME,
    AUTHORITY_SHORT,
    Agreement,
    Consumer,
    GovernanceError,
    Request,
    RequestStatus,
    Status,
    Target,
)
from governance.session import Gov, transaction
from warehouse.db import quote, sql_string
from warehouse.lake import PARQUET_WRITE

RECIPIENTS = "pdl_restricted_open_recipients"
TERMS = ("term_feedback", "term_purpose", "term_no_redistribution", "term_citation", "term_security", "term_inspection")


def standard_terms(ds: Dataset, purpose: str) -> dict[str, str]:
    """The six terms art. 24 requires, in the county's standard wording."""
    return {
        "term_feedback": f"每六个月向{AUTHORITY_SHORT}反馈数据利用情况和成果",
        "term_purpose": f"数据仅用于：{purpose}；超出约定用途须重新申请",
        "term_no_redistribution": "不得向任何第三方提供、转让、出售或公开所获数据",
        "term_citation": f"成果中注明数据来源：{ds.provider.name}，德清县公共数据平台",
        "term_security": f"具备并落实数据存储、处理和安全防护措施，发生安全事件立即报告{AUTHORITY_SHORT}",
        "term_inspection": f"接受{AUTHORITY_SHORT}对数据利用情况的监督检查",
    }


def sign(
    gov: Gov,
    request_id: str,
    filing_ref: str,
    signed_on: date | None = None,
    until: datetime | None = None,
    terms: dict[str, str] | None = None,
) -> Agreement:
    """Sign and file the agreement of a pending restricted-open request; access opens at once."""
    req = requests.get(gov, request_id)
    if req.target != Target.OPEN:
        raise GovernanceError(f"use agreements are for restricted open data; {request_id} is a share request")
    if req.status != RequestStatus.PENDING:
        raise GovernanceError(f"request {request_id} is already {req.status.value}")
    ds = gov.dataset(req.dataset_id)
    if ds.open.klass != OpenClass.RESTRICTED:
        raise GovernanceError(f"{ds.id} is {OPEN_LABELS[ds.open.klass]}; only restricted open data takes an agreement")
    requests.open_conditions(gov, req.consumer_id, ds)
    if not filing_ref.strip():
        raise GovernanceError(f"an agreement is filed with {AUTHORITY_SHORT} (art. 24): give its filing number")
    stated = standard_terms(ds, req.purpose) | (terms or {})
    missing = [t for t in TERMS if not stated.get(t, "").strip()]
    if missing:
        raise GovernanceError(f"the agreement misses art. 24 term(s): {', '.join(missing)}")
    agreement = Agreement(
        agreement_id=store.next_id(gov.con, "gov_agreement_seq"),
        request_id=request_id,
        consumer_id=req.consumer_id,
        dataset_id=ds.id,
        purpose=req.purpose,
        **{t: stated[t] for t in TERMS},
        signed_on=signed_on or gov.now.date(),
        valid_from=gov.now,
        valid_until=until or req.valid_until,
        filed_with=AUTHORITY_NAME,
        filing_ref=filing_ref.strip(),
        status=Status.ACTIVE,
        status_reason=None,
        recorded_at=gov.now,
    )
    if agreement.valid_until <= gov.now:
        raise GovernanceError("the agreement's end of validity must be in the future")
    with transaction(gov):
        store.insert(gov.con, agreement)
        store.update(
            gov.con,
            Request,
            request_id,
            status=RequestStatus.APPROVED,
            status_reason=f"agreement {agreement.agreement_id} signed",
            decided_at=gov.now,
        )
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "agreement.sign",
            consumer_id=req.consumer_id,
            dataset_id=ds.id,
            ref=agreement.agreement_id,
            purpose=req.purpose,
            details={"request": request_id, "filing_ref": agreement.filing_ref, "valid_until": agreement.valid_until},
        )
    publish_recipients(gov)
    access.build(gov, req.consumer_id)
    return agreement


def revoke(gov: Gov, agreement_id: str, reason: str) -> Agreement:
    """End an agreement now (breach, withdrawal); the consumer's restricted open access closes at once."""
    agreement = store.get(gov.con, Agreement, agreement_id)
    if agreement is None:
        raise GovernanceError(f"no agreement {agreement_id}")
    if agreement.status != Status.ACTIVE:
        raise GovernanceError(f"agreement {agreement_id} is already {agreement.status.value}")
    if not reason.strip():
        raise GovernanceError("a revocation states its reason")
    with transaction(gov):
        store.update(gov.con, Agreement, agreement_id, status=Status.REVOKED, status_reason=reason.strip())
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "agreement.revoke",
            consumer_id=agreement.consumer_id,
            dataset_id=agreement.dataset_id,
            ref=agreement_id,
            details={"reason": reason.strip()},
        )
    publish_recipients(gov)
    access.build(gov, agreement.consumer_id)
    return store.get(gov.con, Agreement, agreement_id)


def _state(a: Agreement, now: datetime) -> str:
    if a.status != Status.ACTIVE:
        return a.status.value
    return "expired" if now >= a.valid_until else "active"


def _public_name(c: Consumer) -> str:
    return c.name[0] + "*" * (len(c.name) - 1) if c.natural_person else c.name


def recipients(gov: Gov) -> pl.DataFrame:
    """The public list: who obtained which restricted open dataset, for what, until when (art. 23)."""
    catalog = gov.catalog()
    people = {c.consumer_id: c for c in store.select(gov.con, Consumer)}
    rows = [
        {
            "dataset_id": a.dataset_id,
            "dataset_title": catalog[a.dataset_id].title if a.dataset_id in catalog else "",
            "recipient": _public_name(people[a.consumer_id]),
            "recipient_kind": people[a.consumer_id].kind.value,
            "purpose": a.purpose,
            "agreement_id": a.agreement_id,
            "signed_on": a.signed_on,
            "valid_until": a.valid_until.astimezone(UTC).date(),
            "status": _state(a, gov.now),
        }
        for a in store.select(gov.con, Agreement)
    ]
    schema = {
        "dataset_id": pl.String,
        "dataset_title": pl.String,
        "recipient": pl.String,
        "recipient_kind": pl.String,
        "purpose": pl.String,
        "agreement_id": pl.String,
        "signed_on": pl.Date,
        "valid_until": pl.Date,
        "status": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def publish_recipients(gov: Gov) -> pl.DataFrame:
    """Rewrite the public recipients list: open files, `open.<list>` view and its `meta.published` row."""
    frame = recipients(gov)
    folder = gov.lake.open_dir
    folder.mkdir(parents=True, exist_ok=True)
    parquet, csv = folder / f"{RECIPIENTS}.parquet", folder / f"{RECIPIENTS}.csv"
    frame.write_parquet(parquet.with_suffix(".parquet.partial"), **PARQUET_WRITE)
    parquet.with_suffix(".parquet.partial").replace(parquet)
    csv.with_suffix(".csv.partial").write_bytes(b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8"))
    csv.with_suffix(".csv.partial").replace(csv)
    view = f"open.{quote(RECIPIENTS)}"
    gov.con.execute(f"create or replace view {view} as select * from read_parquet({sql_string(str(parquet))})")
    gov.con.execute(
        f"comment on view {view} is {sql_string('受限开放数据获取主体名单 | ' + AUTHORITY_NAME + ' | 无条件开放')}"
    )
    gov.con.execute("delete from meta.published where dataset_id = ? and schema_name = 'open'", [RECIPIENTS])
    row = [RECIPIENTS, f"open.{RECIPIENTS}", OPEN_LABELS[OpenClass.UNCONDITIONAL], frame.height, frame.columns]
    gov.con.execute(
        "insert into meta.published (dataset_id, schema_name, view_name, class, class_label, row_count, columns, files,"
        " published_at) values (?, 'open', ?, 'unconditional', ?, ?, ?, ?, ?)",
        [*row, [str(parquet), str(csv)], gov.now],
    )
    return frame
