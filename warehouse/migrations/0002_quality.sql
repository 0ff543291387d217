-- Quality governance: one row of scores and outcomes per evaluated load, and the history of every
-- quarantined row (by load and line, never by value) with its status over later loads.
create table meta.quality_results (
    dataset_id varchar not null,
    dataset_title varchar not null,
    provider_code varchar not null,
    provider_name varchar not null,
    load_id varchar not null,
    evaluated_at timestamptz not null,
    completeness double not null,
    accuracy double not null,
    timeliness double not null,
    uniqueness double not null,
    consistency double not null,
    rows_raw bigint not null,          -- every row given to the split (all loads of an append dataset)
    rows_clean bigint not null,
    rows_quarantined bigint not null,
    load_rows bigint not null,         -- rows of the evaluated load
    load_quarantined bigint not null,  -- of those, quarantined for a rule (superseded versions excluded)
    rows_normalized bigint not null,
    rows_superseded bigint not null,
    rows_released bigint not null,
    newest_event timestamp,
    blocked boolean not null,
    blocking_checks varchar[] not null,
    failing_rules json not null,       -- [{rule, column, severity, dimension, count, examples, details}]
    checks json not null,              -- [{name, passed, blocking, description, metadata}]
    skipped_rules varchar[] not null,
    primary key (dataset_id, load_id)
);

create table meta.quarantine_history (
    dataset_id varchar not null,
    load_id varchar not null,          -- the load the row came in
    row_number bigint not null,        -- its line in that file (header = line 1)
    source_file varchar,
    rules varchar[] not null,
    columns varchar[] not null,
    status varchar not null,           -- quarantined | released | superseded | replaced
    first_seen_at timestamptz not null,
    last_evaluated_by varchar not null,
    resolved_by varchar,               -- the load that released or replaced it
    resolved_at timestamptz,
    primary key (dataset_id, load_id, row_number)
);
