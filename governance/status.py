"""What `pdl status` shows of governance: restricted datasets whose periodic review is overdue (art. 22).

Read-only SQL over `meta.catalog` and `meta.class_changes`: the latest recorded change of a class wins
over the synced declaration, and brings its own next review date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

_QUERY = """
with last as (
    select * from meta.class_changes
    qualify row_number() over (partition by dataset_id, attribute order by changed_at desc, change_id desc) = 1
), classes as (
    select c.dataset_id, c.title, c.provider_name, 'open' as attribute,
           coalesce(l.new_class, c.open_class) as klass,
           case when l.change_id is null then c.open_review_due else l.next_review end as review_due
    from meta.catalog c left join last l on l.dataset_id = c.dataset_id and l.attribute = 'open'
    union all
    select c.dataset_id, c.title, c.provider_name, 'share', coalesce(l.new_class, c.share_class), l.next_review
    from meta.catalog c left join last l on l.dataset_id = c.dataset_id and l.attribute = 'share'
)
select dataset_id, title, provider_name, attribute, review_due
from classes
where klass = 'restricted' and (review_due < ? or (review_due is null and attribute = 'open'))
order by review_due nulls first, dataset_id, attribute
"""


@dataclass(frozen=True)
class OverdueReview:
    dataset_id: str
    title: str
    provider: str
    attribute: str  # share | open
    review_due: date | None  # None: restricted open data without any review date

    def describe(self, today: date) -> str:
        if self.review_due is None:
            return f"{self.dataset_id} ({self.title}, {self.provider}): restricted {self.attribute}, no review date set"
        days = (today - self.review_due).days
        return (
            f"{self.dataset_id} ({self.title}, {self.provider}): restricted {self.attribute}, "
            f"review due {self.review_due:%Y-%m-%d}, {days} day(s) overdue"
        )


def overdue_reviews(con: duckdb.DuckDBPyConnection, today: date) -> list[OverdueReview]:
    """Restricted datasets past their review date (or restricted open data with none)."""
    return [OverdueReview(*row) for row in con.execute(_QUERY, [today]).fetchall()]
