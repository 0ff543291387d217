"""Share and open requests, their dual review, the grants they produce, and revocation (art. 14-16, 23).

An unconditional share request is granted at once; a restricted or non-shareable one needs the data
authority and the providing agency to approve, and either can reject; a copy (export) needs the
authority's own approval even for unconditional data. An open request for restricted open data is
approved by signing its use agreement (`agreements.sign`); the authority can reject it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from catalog.model import Dataset
from catalog.vocabulary import OpenClass
from governance import access, audit, consumers, rules, store
from governance.model import (
    AUTHORITY_NAME,
    AUTHORITY_SHORT,
    Agreement,
    ConsumerKind,
    Credit,
    Decision,
    GovernanceError,
    Grant,
    Mode,
    Request,
    RequestStatus,
    Review,
    Role,
    Status,
    Target,
)
from governance.session import Gov, transaction

DEFAULT_TERM = timedelta(days=365)


def _until(gov: Gov, until: datetime | None) -> datetime:
    until = until or gov.now + DEFAULT_TERM
    if until <= gov.now:
        raise GovernanceError(f"the end of validity ({until:%Y-%m-%d}) must be in the future")
    return until


def _purpose(purpose: str) -> str:
    if not purpose.strip():
        raise GovernanceError("a request states its purpose: shared data serves the requester's duties only (art. 16)")
    return purpose.strip()


def get(gov: Gov, request_id: str) -> Request:
    found = store.get(gov.con, Request, request_id)
    if found is None:
        raise GovernanceError(f"no request {request_id}")
    return found


def _new(
    gov: Gov,
    consumer_id: str,
    ds: Dataset,
    target: Target,
    purpose: str,
    columns: tuple[str, ...],
    mode: Mode,
    until: datetime | None,
) -> Request:
    klass = (ds.share if target == Target.SHARE else ds.open).klass.value
    return Request(
        request_id=store.next_id(gov.con, "gov_request_seq"),
        consumer_id=consumer_id,
        dataset_id=ds.id,
        target=target,
        purpose=_purpose(purpose),
        columns=columns,
        mode=mode,
        dataset_class=klass,
        valid_until=_until(gov, until),
        status=RequestStatus.PENDING,
        status_reason=None,
        requested_at=gov.now,
        decided_at=None,
    )


def _log_request(gov: Gov, req: Request) -> None:
    store.insert(gov.con, req)
    audit.append(
        gov.con,
        gov.now,
        req.consumer_id,
        f"request.{req.target.value}",
        consumer_id=req.consumer_id,
        dataset_id=req.dataset_id,
        ref=req.request_id,
        purpose=req.purpose,
        details={"columns": list(req.columns), "mode": req.mode.value, "class": req.dataset_class},
    )


AUTO_GRANT = "平台（无条件共享，即时授予）"


def _grant(gov: Gov, req: Request, ds: Dataset, why: str, actor: str) -> Grant:
    allowed = set(rules.shareable_columns(ds))
    grant = Grant(
        grant_id=store.next_id(gov.con, "gov_grant_seq"),
        request_id=req.request_id,
        consumer_id=req.consumer_id,
        dataset_id=ds.id,
        columns=tuple(c for c in req.columns if c in allowed),
        row_scope=rules.row_scope(ds),
        purpose=req.purpose,
        mode=req.mode,
        share_class=ds.share.klass.value,
        valid_from=gov.now,
        valid_until=req.valid_until,
        status=Status.ACTIVE,
        status_reason=None,
        granted_at=gov.now,
    )
    store.insert(gov.con, grant)
    store.update(gov.con, Request, req.request_id, status=RequestStatus.APPROVED, status_reason=why, decided_at=gov.now)
    audit.append(
        gov.con,
        gov.now,
        actor,
        "grant",
        consumer_id=req.consumer_id,
        dataset_id=ds.id,
        ref=grant.grant_id,
        purpose=grant.purpose,
        details={
            "request": req.request_id,
            "columns": list(grant.columns),
            "row_scope": grant.row_scope.value,
            "mode": grant.mode.value,
            "valid_until": grant.valid_until,
            "why": why,
        },
    )
    return grant


def request_share(
    gov: Gov,
    consumer_id: str,
    dataset_id: str,
    purpose: str,
    columns: tuple[str, ...] = (),
    mode: Mode = Mode.INTERFACE,
    until: datetime | None = None,
) -> tuple[Request, Grant | None]:
    """Ask for shared data; unconditional data by interface is granted at once."""
    consumer = consumers.active(gov, consumer_id)
    if consumer.kind != ConsumerKind.AGENCY:
        raise GovernanceError(
            f"sharing (共享) is between agencies (art. 2, 14); {consumer.kind.value} {consumer_id} can ask for open "
            "data instead: pdl request open"
        )
    ds = gov.dataset(dataset_id)
    req = _new(gov, consumer_id, ds, Target.SHARE, purpose, rules.requested_columns(ds, columns), Mode(mode), until)
    grant = None
    with transaction(gov):
        _log_request(gov, req)
        if not rules.required_reviews(ds, req.mode):
            grant = _grant(gov, req, ds, "unconditional share, granted at once (art. 14)", AUTO_GRANT)
    if grant:
        access.build(gov, consumer_id)
    return get(gov, req.request_id), grant


def open_conditions(gov: Gov, consumer_id: str, ds: Dataset) -> None:
    consumer = consumers.active(gov, consumer_id)
    if ds.open.klass == OpenClass.PROHIBITED:
        raise GovernanceError(f"{ds.id} is prohibited from opening (禁止开放, art. 21) and cannot be requested")
    if ds.open.klass != OpenClass.RESTRICTED:
        return
    lacking = [
        n
        for n, ok in (
            ("storage", consumer.qual_storage),
            ("processing", consumer.qual_processing),
            ("security", consumer.qual_security),
        )
        if not ok
    ]
    if lacking:
        raise GovernanceError(
            f"restricted open data needs storage, processing and security capability (art. 23); "
            f"{consumer_id} lacks {', '.join(lacking)}"
        )
    if consumer.credit == Credit.BAD:
        raise GovernanceError(
            f"{consumer_id} has a bad credit record (art. 23, 39) and cannot obtain restricted open data"
        )


def request_open(gov: Gov, consumer_id: str, dataset_id: str, purpose: str, until: datetime | None = None) -> Request:
    """Apply for open data: unconditional is approved at once; restricted waits for a use agreement."""
    ds = gov.dataset(dataset_id)
    open_conditions(gov, consumer_id, ds)
    req = _new(gov, consumer_id, ds, Target.OPEN, purpose, (), Mode.INTERFACE, until)
    with transaction(gov):
        _log_request(gov, req)
        if ds.open.klass == OpenClass.UNCONDITIONAL:
            why = "unconditional open data, no agreement needed"
            store.update(
                gov.con, Request, req.request_id, status=RequestStatus.APPROVED, status_reason=why, decided_at=gov.now
            )
    return get(gov, req.request_id)


def _role(ds: Dataset, by: str) -> Role:
    if by in ("authority", AUTHORITY_SHORT, AUTHORITY_NAME):
        return Role.AUTHORITY
    if by in (ds.provider.code, ds.provider.name):
        return Role.PROVIDER
    raise GovernanceError(
        f"{by} does not review {ds.id}: its reviewers are {AUTHORITY_SHORT} (authority) and "
        f"{ds.provider.name} ({ds.provider.code})"
    )


def _check_review(gov: Gov, req: Request, ds: Dataset, role: Role, decision: Decision, reason: str) -> None:
    if req.status != RequestStatus.PENDING:
        raise GovernanceError(f"request {req.request_id} is already {req.status.value}")
    if not reason.strip():
        raise GovernanceError("a review states its reason")
    if req.target == Target.OPEN:
        if decision == Decision.APPROVE:
            raise GovernanceError(
                f"open request {req.request_id} is approved by signing its use agreement (art. 24): "
                f"pdl agreement sign {req.request_id}"
            )
        if role != Role.AUTHORITY:
            raise GovernanceError(f"open request {req.request_id} is reviewed by {AUTHORITY_SHORT}")
    elif role not in rules.required_reviews(ds, req.mode):
        raise GovernanceError(f"request {req.request_id} needs no review by {rules.reviewer_name(ds, role)}")
    if store.select(gov.con, Review, request_id=req.request_id, role=role):
        raise GovernanceError(f"request {req.request_id} was already reviewed by {rules.reviewer_name(ds, role)}")


def review(gov: Gov, request_id: str, by: str, decision: Decision, reason: str) -> tuple[Request, Grant | None, str]:
    """One reviewer's approval or rejection; returns the request, the grant once complete, and the progress."""
    req = get(gov, request_id)
    ds = gov.dataset(req.dataset_id)
    role, decision = _role(ds, by), Decision(decision)
    _check_review(gov, req, ds, role, decision, reason)
    reviewer = AUTHORITY_NAME if role == Role.AUTHORITY else ds.provider.name
    grant = None
    with transaction(gov):
        store.insert(gov.con, Review(request_id, role, reviewer, decision, reason.strip(), gov.now))
        audit.append(
            gov.con,
            gov.now,
            reviewer,
            f"review.{decision.value}",
            consumer_id=req.consumer_id,
            dataset_id=ds.id,
            ref=request_id,
            details={"role": role.value, "reason": reason.strip()},
        )
        reviews = store.select(gov.con, Review, request_id=request_id)
        if decision == Decision.REJECT:
            store.update(
                gov.con,
                Request,
                request_id,
                status=RequestStatus.REJECTED,
                status_reason=f"rejected by {reviewer}: {reason.strip()}",
                decided_at=gov.now,
            )
        elif {r.role for r in reviews} >= set(rules.required_reviews(ds, req.mode)):
            grant = _grant(gov, req, ds, "approved by " + " and ".join(r.reviewer for r in reviews), reviewer)
    if grant:
        access.build(gov, req.consumer_id)
    progress = rules.review_progress(ds, req, reviews) if req.target == Target.SHARE else ""
    return get(gov, request_id), grant, progress


def revoke(gov: Gov, request_id: str, reason: str) -> Request:
    """Withdraw a request, or end the grant it produced at once, e.g. on misuse (art. 14)."""
    req = get(gov, request_id)
    if req.status in (RequestStatus.REJECTED, RequestStatus.REVOKED):
        raise GovernanceError(f"request {request_id} is already {req.status.value}")
    signed = store.select(gov.con, Agreement, request_id=request_id, status=Status.ACTIVE)
    if signed:
        raise GovernanceError(
            f"request {request_id} holds agreement {signed[0].agreement_id}: "
            f"pdl agreement revoke {signed[0].agreement_id}"
        )
    if not reason.strip():
        raise GovernanceError("a revocation states its reason")
    with transaction(gov):
        store.update(
            gov.con, Request, request_id, status=RequestStatus.REVOKED, status_reason=reason.strip(), decided_at=gov.now
        )
        for grant in store.select(gov.con, Grant, request_id=request_id, status=Status.ACTIVE):
            store.update(gov.con, Grant, grant.grant_id, status=Status.REVOKED, status_reason=reason.strip())
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "request.revoke",
            consumer_id=req.consumer_id,
            dataset_id=req.dataset_id,
            ref=request_id,
            details={"reason": reason.strip()},
        )
    access.build(gov, req.consumer_id)
    return get(gov, request_id)


def progress(gov: Gov, req: Request) -> str:
    """What a request waits for (e.g. "... needs approval from 县大数据局 and 德清县公安局; 1 of 2 given")."""
    reviews = store.select(gov.con, Review, request_id=req.request_id)
    return rules.request_reason(gov.dataset(req.dataset_id), req, reviews) or req.status.value


def all_requests(gov: Gov) -> list[Request]:
    return store.select(gov.con, Request, order=("requested_at",))


def pending(gov: Gov) -> list[Request]:
    return store.select(gov.con, Request, order=("requested_at",), status=RequestStatus.PENDING)
