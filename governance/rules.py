"""Pure decisions: what may consumer C read of dataset D now, and what is still missing when it may not.

No I/O: inputs are the catalog entry (with its current classes), the consumer, its holdings (grants,
agreements, authorizations), the safe-layer files that exist (path and columns) and `now`. The access
database builder and, later, the interface service both ask these functions, so the rules live once.

The rules (art. 14, 15, 22-24, 38):
- share: for agencies only, through a current grant. Unconditional requests are granted at once;
  restricted and non-shareable ones need the authority and the providing agency; a copy needs the
  authority's own approval. A grant issued under a more open class than the current one is void.
- non-shareable data goes out only desensitized: its personal columns are withheld altogether.
- records about natural persons (a resident-ID column, keyed as `_subject` in the safe layer) of a
  restricted or non-shareable dataset are filtered to the subjects who authorized this consumer.
- open: unconditional data to every active consumer; restricted data only under a current agreement;
  prohibited data never.
- a consumer that is not active reads nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from catalog.model import Dataset
from catalog.vocabulary import OPEN_LABELS, SHARE_LABELS, Entity, OpenClass, ShareClass
from governance.model import (
    AUTHORITY_SHORT,
    Consumer,
    ConsumerKind,
    ConsumerState,
    Decision,
    GovernanceError,
    Holdings,
    Mode,
    Request,
    RequestStatus,
    Review,
    Role,
    RowScope,
    Status,
    Target,
)

SUBJECT_COLUMN = "_subject"  # desensitize.subject.SUBJECT_COLUMN (kept free of its key-loading imports)
SHARE_RANK = {ShareClass.UNCONDITIONAL: 2, ShareClass.RESTRICTED: 1, ShareClass.NON_SHAREABLE: 0}
OPEN_RANK = {OpenClass.UNCONDITIONAL: 2, OpenClass.RESTRICTED: 1, OpenClass.PROHIBITED: 0}
# Which safe-layer file serves each class (as assets/safe.py writes them: non-shareable data is
# prepared for granted, desensitized use in the restricted-share file).
SHARE_FILE = {
    ShareClass.UNCONDITIONAL: "share_unconditional",
    ShareClass.RESTRICTED: "share_restricted",
    ShareClass.NON_SHAREABLE: "share_restricted",
}
OPEN_FILE = "open"


@dataclass(frozen=True)
class SafeFile:
    """A desensitized safe-layer file that exists: where it is and which columns it has."""

    path: str
    columns: tuple[str, ...]


Files = Mapping[tuple[str, str], SafeFile]  # (dataset id, destination) -> file


@dataclass(frozen=True)
class Access:
    """One view a consumer may read: its columns and, for consent-filtered data, the authorized subjects."""

    target: Target
    dataset_id: str
    path: str
    columns: tuple[str, ...]
    subject_keys: frozenset[str] | None  # None: every row
    basis: tuple[str, ...]  # grant or agreement ids, or ("open",)
    purpose: str
    copy: bool = False
    valid_until: datetime | None = None

    @property
    def view(self) -> str:
        return f"{self.target.value}.{self.dataset_id}"

    @property
    def row_scope(self) -> RowScope:
        return RowScope.ALL if self.subject_keys is None else RowScope.CONSENT


@dataclass(frozen=True)
class Verdict:
    access: Access | None
    reason: str

    @property
    def allowed(self) -> bool:
        return self.access is not None


def _deny(reason: str) -> Verdict:
    return Verdict(None, reason)


def about_persons(ds: Dataset) -> bool:
    """Records about natural persons, keyed by resident ID (so the safe layer carries `_subject`)."""
    return any(c.entity == Entity.CN_RESIDENT_ID for c in ds.columns)


def consent_required(ds: Dataset) -> bool:
    return ds.share.klass != ShareClass.UNCONDITIONAL and about_persons(ds)


def row_scope(ds: Dataset) -> RowScope:
    return RowScope.CONSENT if consent_required(ds) else RowScope.ALL


def shareable_columns(ds: Dataset) -> list[str]:
    """Columns a grant may carry: all of them, except personal ones of non-shareable data."""
    withheld = ds.share.klass == ShareClass.NON_SHAREABLE
    return [c.name for c in ds.columns if not (withheld and c.personal)]


def requested_columns(ds: Dataset, asked: Iterable[str]) -> tuple[str, ...]:
    """The columns a share request may ask for; nothing asked means every column the class allows."""
    asked = list(dict.fromkeys(asked))
    unknown = [c for c in asked if c not in {col.name for col in ds.columns}]
    if unknown:
        raise GovernanceError(
            f"{ds.id} has no column {', '.join(unknown)}; it has {', '.join(c.name for c in ds.columns)}"
        )
    allowed = shareable_columns(ds)
    withheld = [c for c in asked if c not in allowed]
    if withheld:
        raise GovernanceError(
            f"non-shareable dataset {ds.id} goes out only desensitized: personal column(s) {', '.join(withheld)} "
            "cannot be shared"
        )
    return tuple(asked or allowed)


def required_reviews(ds: Dataset, mode: Mode) -> tuple[Role, ...]:
    """Who must approve a share request: nobody (unconditional), the authority (a copy), or both."""
    if ds.share.klass != ShareClass.UNCONDITIONAL:
        return (Role.AUTHORITY, Role.PROVIDER)
    return (Role.AUTHORITY,) if mode == Mode.COPY else ()


def reviewer_name(ds: Dataset, role: Role) -> str:
    return AUTHORITY_SHORT if role == Role.AUTHORITY else ds.provider.name


def review_progress(ds: Dataset, request: Request, reviews: Iterable[Review]) -> str:
    """E.g. "restricted dataset X needs approval from 县大数据局 and 德清县公安局; 1 of 2 given"."""
    needed = required_reviews(ds, request.mode)
    given = {r.role for r in reviews if r.request_id == request.request_id and r.decision == Decision.APPROVE}
    names = " and ".join(reviewer_name(ds, role) for role in needed)
    what = (
        f"a copy of {ds.share.klass.value} dataset {ds.id}"
        if ds.share.klass == ShareClass.UNCONDITIONAL
        else f"{ds.share.klass.value} dataset {ds.id}"
    )
    return f"{what} needs approval from {names}; {len(given & set(needed))} of {len(needed)} given"


def _own(consumer: Consumer, holdings: Holdings) -> Holdings:
    """Only the consumer's own records count, whatever the caller passed."""
    me = consumer.consumer_id
    return Holdings(
        tuple(g for g in holdings.grants if g.consumer_id == me),
        tuple(a for a in holdings.agreements if a.consumer_id == me),
        tuple(a for a in holdings.authorizations if a.consumer_id == me),
    )


def _gate(consumer: Consumer) -> str | None:
    if consumer.state == ConsumerState.ACTIVE:
        return None
    return f"consumer {consumer.consumer_id} is {consumer.state.value}; all its access is closed"


def _grant_reason(ds: Dataset, holdings: Holdings, now: datetime) -> str:
    mine = [g for g in holdings.grants if g.dataset_id == ds.id]
    if not mine:
        return f"{ds.id}: no share grant for this consumer"
    last = max(mine, key=lambda g: g.granted_at)
    if last.status != Status.ACTIVE:
        return f"{ds.id}: grant {last.grant_id} was {last.status.value} ({last.status_reason or 'no reason given'})"
    if now >= last.valid_until:
        return f"{ds.id}: grant {last.grant_id} expired on {last.valid_until:%Y-%m-%d}"
    return f"{ds.id}: grant {last.grant_id} is not yet valid"


def share_verdict(consumer: Consumer, ds: Dataset, holdings: Holdings, files: Files, now: datetime) -> Verdict:
    """May `consumer` read `share.<ds>` now; which columns and rows."""
    if reason := _gate(consumer):
        return _deny(reason)
    if consumer.kind != ConsumerKind.AGENCY:
        return _deny(f"sharing (共享) is between agencies; {consumer.kind.value} {consumer.consumer_id} uses open data")
    holdings = _own(consumer, holdings)
    current = [g for g in holdings.grants if g.dataset_id == ds.id and g.current(now)]
    if not current:
        return _deny(_grant_reason(ds, holdings, now))
    honored = [g for g in current if SHARE_RANK[ds.share.klass] >= SHARE_RANK[ShareClass(g.share_class)]]
    if not honored:
        return _deny(
            f"{ds.id} was reclassified to {SHARE_LABELS[ds.share.klass]} after grant {current[0].grant_id}; "
            "a new request needs review"
        )
    file = files.get((ds.id, SHARE_FILE[ds.share.klass]))
    if file is None:
        return _deny(f"{ds.id} has no desensitized {SHARE_FILE[ds.share.klass]} file in the safe layer yet")
    granted = {c for g in honored for c in g.columns} & set(shareable_columns(ds))
    columns = tuple(c for c in file.columns if c in granted)
    if not columns:
        return _deny(f"{ds.id}: no granted column is present in the desensitized file")
    keys = None
    if consent_required(ds):
        if SUBJECT_COLUMN not in file.columns:
            return _deny(
                f"{ds.id}: the safe layer carries no subject keys ({SUBJECT_COLUMN}); consent cannot be applied"
            )
        keys = frozenset(a.subject_key for a in holdings.authorizations if a.dataset_id == ds.id and a.current(now))
    access = Access(
        Target.SHARE,
        ds.id,
        file.path,
        columns,
        keys,
        basis=tuple(g.grant_id for g in honored),
        purpose="; ".join(dict.fromkeys(g.purpose for g in honored)),
        copy=any(g.mode == Mode.COPY for g in honored),
        valid_until=max(g.valid_until for g in honored),
    )
    return Verdict(access, f"{ds.id}: granted ({', '.join(access.basis)})")


def _agreement_reason(ds: Dataset, holdings: Holdings, now: datetime) -> str:
    mine = [a for a in holdings.agreements if a.dataset_id == ds.id]
    if not mine:
        return f"restricted open dataset {ds.id} is readable only under a signed use agreement (art. 24); none"
    last = max(mine, key=lambda a: a.recorded_at)
    if last.status != Status.ACTIVE:
        why = last.status_reason or "no reason given"
        return f"{ds.id}: agreement {last.agreement_id} was {last.status.value} ({why})"
    if now >= last.valid_until:
        return f"{ds.id}: agreement {last.agreement_id} expired on {last.valid_until:%Y-%m-%d}"
    return f"{ds.id}: agreement {last.agreement_id} is not yet valid"


def open_verdict(consumer: Consumer, ds: Dataset, holdings: Holdings, files: Files, now: datetime) -> Verdict:
    """May `consumer` read `open.<ds>` now: every declared column of the open file, every row."""
    if reason := _gate(consumer):
        return _deny(reason)
    if ds.open.klass == OpenClass.PROHIBITED:
        return _deny(f"{ds.id} is {OPEN_LABELS[ds.open.klass]} (prohibited from opening)")
    file = files.get((ds.id, OPEN_FILE))
    if file is None:
        return _deny(f"{ds.id} has no desensitized open file in the safe layer yet")
    declared = {c.name for c in ds.columns}
    columns = tuple(c for c in file.columns if c in declared)
    holdings = _own(consumer, holdings)
    if ds.open.klass == OpenClass.UNCONDITIONAL:
        return Verdict(
            Access(Target.OPEN, ds.id, file.path, columns, None, ("open",), OPEN_LABELS[ds.open.klass]),
            f"{ds.id}: {OPEN_LABELS[ds.open.klass]}",
        )
    current = [a for a in holdings.agreements if a.dataset_id == ds.id and a.current(now)]
    if not current:
        return _deny(_agreement_reason(ds, holdings, now))
    access = Access(
        Target.OPEN,
        ds.id,
        file.path,
        columns,
        None,
        basis=tuple(a.agreement_id for a in current),
        purpose="; ".join(dict.fromkeys(a.purpose for a in current)),
        valid_until=max(a.valid_until for a in current),
    )
    return Verdict(access, f"{ds.id}: under agreement {', '.join(access.basis)}")


def verdicts(
    consumer: Consumer, catalog: Iterable[Dataset], holdings: Holdings, files: Files, now: datetime
) -> list[Verdict]:
    """Share and open verdicts for every dataset, in catalog order."""
    return [
        verdict(consumer, ds, holdings, files, now)
        for ds in sorted(catalog, key=lambda d: d.id)
        for verdict in (share_verdict, open_verdict)
    ]


def readable(
    consumer: Consumer, catalog: Iterable[Dataset], holdings: Holdings, files: Files, now: datetime
) -> list[Access]:
    """Every view the consumer may read now."""
    return [v.access for v in verdicts(consumer, catalog, holdings, files, now) if v.access is not None]


def request_reason(ds: Dataset, request: Request | None, reviews: Iterable[Review]) -> str | None:
    """What a request is waiting for, or why it ended; None once approved."""
    if request is None:
        return None
    if request.status == RequestStatus.PENDING and request.target == Target.SHARE:
        return review_progress(ds, request, reviews)
    if request.status == RequestStatus.PENDING:
        return f"waiting for a use agreement signed with {AUTHORITY_SHORT} (art. 24)"
    if request.status in (RequestStatus.REJECTED, RequestStatus.REVOKED):
        return f"{request.status.value}: {request.status_reason or 'no reason given'}"
    return None
