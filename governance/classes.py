"""Class changes (art. 22): recorded with reason, a filing record for any downgrade, a review date for restricted.

The catalog YAML declares a dataset's classes; a recorded change takes effect for governance at once
(`effective_catalog` applies every change in order), so a downgrade closes unreviewed access without
waiting for the YAML to be edited. `catalog_drift` lists datasets whose YAML still says otherwise, so
the declaration is brought in line (and the safe layer rewritten for the new class).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb

from catalog.model import Dataset, OpenDecl, ShareDecl
from catalog.vocabulary import OPEN_LABELS, SHARE_LABELS, OpenClass, ShareClass
from governance import audit, store
from governance.model import AUTHORITY_SHORT, ClassChange, GovernanceError, Target
from governance.rules import OPEN_RANK, SHARE_RANK
from governance.session import Gov, transaction


@dataclass(frozen=True)
class Drift:
    dataset_id: str
    attribute: Target
    declared: str
    recorded: str


def _class_of(ds: Dataset, attribute: Target) -> str:
    return (ds.share if attribute == Target.SHARE else ds.open).klass.value


def _label(attribute: Target, klass: str) -> str:
    return SHARE_LABELS[ShareClass(klass)] if attribute == Target.SHARE else OPEN_LABELS[OpenClass(klass)]


def _apply(ds: Dataset, change: ClassChange) -> Dataset:
    fields = {"class": change.new_class, "reason": change.reason, "basis": change.basis}
    if change.attribute == Target.SHARE:
        return ds.model_copy(update={"share": ShareDecl.model_validate(fields)})
    return ds.model_copy(update={"open": OpenDecl.model_validate(fields | {"review_due": change.next_review})})


def apply_changes(declared: Iterable[Dataset], changes: Iterable[ClassChange]) -> dict[str, Dataset]:
    """The catalog with changes applied in the order they were recorded."""
    catalog = {d.id: d for d in declared}
    for change in changes:
        if change.dataset_id in catalog:
            catalog[change.dataset_id] = _apply(catalog[change.dataset_id], change)
    return catalog


def recorded(con: duckdb.DuckDBPyConnection) -> list[ClassChange]:
    return store.select(con, ClassChange, order=("changed_at",))


def effective_catalog(con: duckdb.DuckDBPyConnection, declared: Iterable[Dataset]) -> dict[str, Dataset]:
    return apply_changes(declared, recorded(con))


def is_downgrade(attribute: Target, old: str, new: str) -> bool:
    if attribute == Target.SHARE:
        return SHARE_RANK[ShareClass(new)] < SHARE_RANK[ShareClass(old)]
    return OPEN_RANK[OpenClass(new)] < OPEN_RANK[OpenClass(old)]


def check_change(
    ds: Dataset,
    attribute: Target,
    new: str,
    reason: str,
    basis: str | None,
    filing_ref: str | None,
    next_review: date | None,
    today: date,
) -> None:
    """Refuse a change the regulation does not allow, saying what is missing."""
    valid = ShareClass if attribute == Target.SHARE else OpenClass
    if new not in {c.value for c in valid}:
        raise GovernanceError(
            f"{attribute.value} class must be one of {', '.join(c.value for c in valid)}; got {new!r}"
        )
    old = _class_of(ds, attribute)
    if new == old:
        raise GovernanceError(f"{ds.id} is already {attribute.value} class {old}")
    move = f"{ds.id} {attribute.value} class from {old} ({_label(attribute, old)}) to {new} ({_label(attribute, new)})"
    if not reason.strip():
        raise GovernanceError(f"changing {move} needs a reason")
    if new != "unconditional" and not (basis or "").strip():
        raise GovernanceError(f"changing {move} needs a legal basis (art. 13, 19)")
    if is_downgrade(attribute, old, new) and not (filing_ref or "").strip():
        raise GovernanceError(f"downgrading {move} needs a filing record with {AUTHORITY_SHORT} (art. 22); none given")
    if new == "restricted" and (next_review is None or next_review <= today):
        raise GovernanceError(
            f"restricted data is re-evaluated periodically (art. 22): {move} needs a future review date"
        )


def change(
    gov: Gov,
    dataset_id: str,
    attribute: Target,
    new: str,
    reason: str,
    basis: str | None = None,
    filing_ref: str | None = None,
    next_review: date | None = None,
) -> ClassChange:
    """Record a class change and rebuild every access database under the new class."""
    from governance import access

    ds = gov.dataset(dataset_id)
    check_change(ds, attribute, new, reason, basis, filing_ref, next_review, gov.now.date())
    with transaction(gov):
        record = ClassChange(
            change_id=store.next_id(gov.con, "gov_class_change_seq"),
            dataset_id=ds.id,
            attribute=attribute,
            old_class=_class_of(ds, attribute),
            new_class=new,
            reason=reason,
            basis=basis,
            filing_ref=filing_ref,
            next_review=next_review,
            decided_by=gov.actor,
            changed_at=gov.now,
        )
        store.insert(gov.con, record)
        audit.append(
            gov.con,
            gov.now,
            gov.actor,
            "class.change",
            dataset_id=ds.id,
            ref=record.change_id,
            details={
                "attribute": attribute.value,
                "old": record.old_class,
                "new": new,
                "reason": reason,
                "filing_ref": filing_ref,
                "next_review": next_review,
            },
        )
    access.rebuild_all(gov)
    return record


def catalog_drift(con: duckdb.DuckDBPyConnection, declared: Iterable[Dataset]) -> list[Drift]:
    """Datasets whose YAML class differs from the last recorded change: the declaration needs updating."""
    declared = {d.id: d for d in declared}
    last = {(c.dataset_id, c.attribute): c for c in recorded(con)}
    return [
        Drift(ds_id, attr, _class_of(declared[ds_id], attr), c.new_class)
        for (ds_id, attr), c in sorted(last.items())
        if ds_id in declared and _class_of(declared[ds_id], attr) != c.new_class
    ]
