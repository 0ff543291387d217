"""Typed model of one catalog entry (a dataset declaration) and its columns.

Validation lives here, in the types: a bad entry fails with the field and what was expected.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from catalog.vocabulary import (
    NON_PERSONAL_ENTITIES,
    ColumnType,
    DataFormat,
    Entity,
    Frequency,
    Grade,
    LoadMode,
    OpenClass,
    ShareClass,
)

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_FREQUENCY_ALIASES = {
    "realtime": "实时",
    "daily": "每日",
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "yearly": "每年",
    "annual": "每年",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Provider(_Strict):
    """The providing agency (提供单位); `code` names its landing folder and Dagster group."""

    code: Identifier
    name: Text


class ShareDecl(_Strict):
    """Share attribute (共享属性, art. 13)."""

    klass: ShareClass = Field(alias="class")
    reason: str | None = None
    basis: str | None = None

    @model_validator(mode="after")
    def _reason_and_basis(self) -> ShareDecl:
        if self.klass != ShareClass.UNCONDITIONAL and not (self.reason and self.basis):
            raise ValueError(f"share class '{self.klass}' needs both a reason and a legal basis")
        return self


class OpenDecl(_Strict):
    """Open attribute (开放属性, art. 19-22); restricted data carries its next review date."""

    klass: OpenClass = Field(alias="class")
    reason: str | None = None
    basis: str | None = None
    review_due: date | None = None

    @model_validator(mode="after")
    def _reason_and_basis(self) -> OpenDecl:
        if self.klass != OpenClass.UNCONDITIONAL and not (self.reason and self.basis):
            raise ValueError(f"open class '{self.klass}' needs both a reason and a legal basis")
        return self


class QualityPolicy(_Strict):
    """Dataset-level thresholds of the quality gate (art. 10)."""

    min_completeness: float = Field(0.95, ge=0, le=1)
    max_quarantine_ratio: float = Field(0.05, ge=0, le=1)
    max_row_drop_ratio: float = Field(0.5, ge=0, le=1)


class PolicyOverride(_Strict):
    """A per-dataset exception to the county desensitization policy."""

    column: Identifier
    destination: Literal["share_unconditional", "share_restricted", "open", "all"] = "all"
    operator: Identifier


class Column(_Strict):
    """One declared column; `aliases` are the headers agencies actually send (often Chinese)."""

    name: Identifier
    aliases: list[Text] = Field(default_factory=list)
    type: ColumnType = ColumnType.STRING
    required: bool = False
    description: str = ""
    entity: Entity | None = None
    grade: Grade = Grade.L1
    quasi_identifier: bool = False
    free_text: bool = False
    values: list[str] | None = None
    min: float | None = None
    max: float | None = None
    references: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

    @property
    def personal(self) -> bool:
        """True where the column holds, or may hold, personal data of a natural person."""
        return self.free_text or (self.entity is not None and self.entity not in NON_PERSONAL_ENTITIES)

    @property
    def headers(self) -> list[str]:
        """Every header that maps to this column: its name and its aliases."""
        return [self.name, *self.aliases]


class Dataset(_Strict):
    """A dataset declaration: the catalog item of art. 9 plus its columns."""

    id: Identifier
    title: Text
    provider: Provider
    data_subject: Text
    share: ShareDecl
    open: OpenDecl
    format: DataFormat
    data_type: Literal["structured", "semi_structured", "unstructured"] = "structured"
    update_frequency: Frequency
    load_mode: LoadMode = LoadMode.SNAPSHOT
    primary_key: list[Identifier] = Field(default_factory=list)
    event_time_column: Identifier | None = None
    description: str = ""
    quality: QualityPolicy = QualityPolicy()
    policy_overrides: list[PolicyOverride] = Field(default_factory=list)
    columns: list[Column] = Field(min_length=1)

    @field_validator("update_frequency", mode="before")
    @classmethod
    def _frequency_alias(cls, value: object) -> object:
        return _FREQUENCY_ALIASES.get(str(value).lower(), value)

    @model_validator(mode="after")
    def _columns_consistent(self) -> Dataset:
        names = [c.name for c in self.columns]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"column names must be unique; repeated: {', '.join(dupes)}")
        headers = [h for c in self.columns for h in c.headers]
        clashes = sorted({h for h in headers if headers.count(h) > 1})
        if clashes:
            raise ValueError(f"a header may map to one column only; ambiguous: {', '.join(clashes)}")
        for field, refs in (("primary_key", self.primary_key), ("event_time_column", [self.event_time_column])):
            unknown = [r for r in refs if r is not None and r not in names]
            if unknown:
                raise ValueError(f"{field} names unknown column(s): {', '.join(unknown)}")
        unknown = [o.column for o in self.policy_overrides if o.column not in names]
        if unknown:
            raise ValueError(f"policy_overrides name unknown column(s): {', '.join(unknown)}")
        return self

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def personal_columns(self) -> list[Column]:
        return [c for c in self.columns if c.personal]

    @property
    def max_grade(self) -> Grade:
        return max((c.grade for c in self.columns), key=lambda g: g.value)

    @property
    def shareable(self) -> bool:
        return self.share.klass != ShareClass.NON_SHAREABLE

    @property
    def openable(self) -> bool:
        return self.open.klass != OpenClass.PROHIBITED
