-- Foundation: layer schemas and the meta tables of catalog, loads and publication.
create schema if not exists meta;
create schema if not exists raw;
create schema if not exists clean;
create schema if not exists quarantine;
create schema if not exists safe;
create schema if not exists share;
create schema if not exists open;

create table if not exists meta.schema_migrations (
    version integer primary key,
    name varchar not null,
    applied_at timestamptz not null
);

create table meta.catalog (
    dataset_id varchar primary key,
    title varchar not null,
    provider_code varchar not null,
    provider_name varchar not null,
    data_subject varchar not null,
    share_class varchar not null,
    share_reason varchar,
    share_basis varchar,
    open_class varchar not null,
    open_reason varchar,
    open_basis varchar,
    open_review_due date,
    data_format varchar not null,
    data_type varchar not null,
    update_frequency varchar not null,
    load_mode varchar not null,
    primary_key varchar[] not null,
    max_grade varchar not null,
    definition json not null,
    synced_at timestamptz not null
);

create table meta.columns (
    dataset_id varchar not null,
    position integer not null,
    name varchar not null,
    aliases varchar[] not null,
    type varchar not null,
    required boolean not null,
    description varchar,
    entity varchar,
    grade varchar not null,
    quasi_identifier boolean not null,
    free_text boolean not null,
    personal boolean not null,
    primary key (dataset_id, name)
);

create table meta.loads (
    load_id varchar primary key,
    dataset_id varchar not null,
    source_file varchar not null,
    sha256 varchar not null,
    status varchar not null,          -- loaded | duplicate | rejected
    rows bigint,
    message varchar,
    kept_at varchar,                  -- where the source file was moved (received/ or rejected/)
    raw_path varchar,
    ingested_at timestamptz not null
);

create table meta.published (
    dataset_id varchar not null,
    schema_name varchar not null,     -- share | open
    view_name varchar not null,
    class varchar not null,
    class_label varchar not null,
    row_count bigint not null,
    columns varchar[] not null,
    files varchar[] not null,
    published_at timestamptz not null,
    primary key (dataset_id, schema_name)
);
