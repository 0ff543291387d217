"""What `pdl status` and the demo summary show: per dataset, loads, rows, quality, freshness, publication.

Read-only queries over `meta`; no raw values are ever selected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class DatasetStatus:
    dataset: str
    title: str
    provider: str
    share_class: str
    open_class: str
    last_load: datetime | None
    files_loaded: int
    files_rejected: int
    rows_raw: int | None
    rows_clean: int | None
    rows_quarantined: int | None
    blocked: bool | None
    blocked_reason: str | None
    newest_event: datetime | None
    published: list[str]


_QUERY = """
with loads as (
    select dataset_id,
           max(ingested_at) filter (where status = 'loaded') as last_load,
           count(*) filter (where status = 'loaded') as files_loaded,
           count(*) filter (where status = 'rejected') as files_rejected
    from meta.loads group by dataset_id
), quality as (
    select * from meta.quality_results
    qualify row_number() over (partition by dataset_id order by evaluated_at desc) = 1
), pubs as (
    select dataset_id, list(view_name order by schema_name) as views from meta.published group by dataset_id
)
select c.dataset_id, c.title, c.provider_name, c.share_class, c.open_class,
       l.last_load, coalesce(l.files_loaded, 0), coalesce(l.files_rejected, 0),
       q.rows_raw, q.rows_clean, q.rows_quarantined, q.blocked, array_to_string(q.blocking_checks, ', '),
       q.newest_event, coalesce(p.views, [])
from meta.catalog c
left join loads l using (dataset_id)
left join quality q using (dataset_id)
left join pubs p using (dataset_id)
order by c.dataset_id
"""


def dataset_statuses(con: duckdb.DuckDBPyConnection) -> list[DatasetStatus]:
    return [DatasetStatus(*row) for row in con.execute(_QUERY).fetchall()]
