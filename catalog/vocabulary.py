"""Controlled vocabularies of the catalog: classes, frequencies, entities and grades.

Values are English identifiers (stable for code and YAML); each carries its Chinese label as used in
the regulation, so that reports and the UI can speak the agencies' language.
"""

from datetime import timedelta
from enum import StrEnum


class ShareClass(StrEnum):
    UNCONDITIONAL = "unconditional"
    RESTRICTED = "restricted"
    NON_SHAREABLE = "non_shareable"


class OpenClass(StrEnum):
    UNCONDITIONAL = "unconditional"
    RESTRICTED = "restricted"
    PROHIBITED = "prohibited"


class Frequency(StrEnum):
    REALTIME = "实时"
    DAILY = "每日"
    WEEKLY = "每周"
    MONTHLY = "每月"
    QUARTERLY = "每季度"
    YEARLY = "每年"


class LoadMode(StrEnum):
    SNAPSHOT = "snapshot"
    APPEND = "append"


class DataFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"
    PARQUET = "parquet"


class ColumnType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


class Grade(StrEnum):
    """Sensitivity grade after Zhejiang DB33/T 2350."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    L4 = "L4"


class Entity(StrEnum):
    """Personal-data (and identifier) entities: the public vocabulary shared with desensitization."""

    CN_RESIDENT_ID = "CN_RESIDENT_ID"
    CN_MOBILE_PHONE = "CN_MOBILE_PHONE"
    CN_LANDLINE_PHONE = "CN_LANDLINE_PHONE"
    CN_BANK_CARD = "CN_BANK_CARD"
    CN_USCC = "CN_USCC"
    CN_LICENSE_PLATE = "CN_LICENSE_PLATE"
    CN_PASSPORT = "CN_PASSPORT"
    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    IP_ADDRESS = "IP_ADDRESS"
    PERSON = "PERSON"
    CN_ADDRESS = "CN_ADDRESS"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"


# Enterprise credit codes identify legal persons, not natural persons (REGULATION.md, last section).
NON_PERSONAL_ENTITIES = frozenset({Entity.CN_USCC})

SHARE_LABELS = {
    ShareClass.UNCONDITIONAL: "无条件共享",
    ShareClass.RESTRICTED: "受限共享",
    ShareClass.NON_SHAREABLE: "非共享",
}
OPEN_LABELS = {
    OpenClass.UNCONDITIONAL: "无条件开放",
    OpenClass.RESTRICTED: "受限开放",
    OpenClass.PROHIBITED: "禁止开放",
}
GRADE_LABELS = {Grade.L1: "不敏感", Grade.L2: "低敏感", Grade.L3: "较敏感", Grade.L4: "敏感"}

# The period within which a dataset declared at a frequency must have been refreshed.
FREQUENCY_PERIOD = {
    Frequency.REALTIME: timedelta(hours=1),
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
    Frequency.MONTHLY: timedelta(days=31),
    Frequency.QUARTERLY: timedelta(days=92),
    Frequency.YEARLY: timedelta(days=366),
}
