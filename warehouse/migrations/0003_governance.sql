-- Governance (art. 14-16, 22-24, 27, 36-39): consumers, requests and reviews, grants, data-subject
-- authorizations, use agreements, class changes, demand requests, credit records, the audit chain and
-- the access databases built from them. Only new tables: nothing of 0001/0002 changes.

create sequence meta.gov_request_seq;
create sequence meta.gov_grant_seq;
create sequence meta.gov_authorization_seq;
create sequence meta.gov_agreement_seq;
create sequence meta.gov_class_change_seq;
create sequence meta.gov_demand_seq;
create sequence meta.gov_credit_seq;

create table meta.consumers (
    consumer_id varchar primary key,       -- names the access database file: [a-z][a-z0-9_]*
    name varchar not null,
    kind varchar not null,                 -- agency | public | researcher | company
    qual_storage boolean not null,         -- art. 23: storage, processing and security capability
    qual_processing boolean not null,
    qual_security boolean not null,
    qual_note varchar,
    credit varchar not null,               -- good | warning | bad (art. 39)
    state varchar not null,                -- active | suspended | terminated (art. 38)
    state_reason varchar,
    registered_at timestamptz not null,
    state_changed_at timestamptz not null
);

create table meta.requests (
    request_id varchar primary key,
    consumer_id varchar not null,
    dataset_id varchar not null,
    target varchar not null,               -- share | open
    purpose varchar not null,
    columns varchar[] not null,            -- what was asked for (empty: every column the class allows)
    mode varchar not null,                 -- interface | copy (art. 15)
    dataset_class varchar not null,        -- share or open class of the dataset when asked, per target
    valid_until timestamptz not null,
    status varchar not null,               -- pending | approved | rejected | revoked
    status_reason varchar,
    requested_at timestamptz not null,
    decided_at timestamptz
);

create table meta.reviews (
    request_id varchar not null,
    role varchar not null,                 -- authority | provider
    reviewer varchar not null,             -- agency name
    decision varchar not null,             -- approve | reject
    reason varchar not null,
    reviewed_at timestamptz not null,
    primary key (request_id, role)
);

create table meta.grants (
    grant_id varchar primary key,
    request_id varchar not null,
    consumer_id varchar not null,
    dataset_id varchar not null,
    columns varchar[] not null,
    row_scope varchar not null,            -- all | consent
    purpose varchar not null,
    mode varchar not null,                 -- interface | copy
    share_class varchar not null,          -- class it was granted under; a later downgrade voids it
    valid_from timestamptz not null,
    valid_until timestamptz not null,
    status varchar not null,               -- active | revoked | ended
    status_reason varchar,
    granted_at timestamptz not null
);

create table meta.authorizations (
    authorization_id varchar primary key,
    subject_key varchar not null,          -- keyed pseudonym (desensitize.subject); never the ID itself
    consumer_id varchar not null,
    dataset_id varchar not null,
    scope varchar not null,
    granted_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz
);

create table meta.agreements (
    agreement_id varchar primary key,
    request_id varchar not null,
    consumer_id varchar not null,
    dataset_id varchar not null,
    purpose varchar not null,
    term_feedback varchar not null,        -- art. 24 terms, each stated in full
    term_purpose varchar not null,
    term_no_redistribution varchar not null,
    term_citation varchar not null,
    term_security varchar not null,
    term_inspection varchar not null,
    signed_on date not null,
    valid_from timestamptz not null,
    valid_until timestamptz not null,
    filed_with varchar not null,
    filing_ref varchar not null,
    status varchar not null,               -- active | revoked | ended
    status_reason varchar,
    recorded_at timestamptz not null
);

create table meta.class_changes (
    change_id varchar primary key,
    dataset_id varchar not null,
    attribute varchar not null,            -- share | open
    old_class varchar not null,
    new_class varchar not null,
    reason varchar not null,
    basis varchar,
    filing_ref varchar,                    -- required for a downgrade (art. 22)
    next_review date,                      -- required when the new class is restricted
    decided_by varchar not null,
    changed_at timestamptz not null
);

create table meta.demands (
    demand_id varchar primary key,
    consumer_id varchar not null,
    description varchar not null,
    addressed_to varchar,                  -- provider code, when known
    status varchar not null,               -- open | answered
    reply varchar,
    answered_by varchar,
    requested_at timestamptz not null,
    answered_at timestamptz
);

create table meta.credit_records (
    record_id varchar primary key,
    consumer_id varchar not null,
    kind varchar not null,                 -- breach | suspension | reinstatement | termination
    description varchar not null,
    credit_after varchar not null,
    recorded_at timestamptz not null
);

-- Append-only, hash-chained: hash = sha256(canonical JSON of the entry incl. seq, + prev_hash).
create table meta.audit_log (
    seq bigint not null,
    logged_at timestamptz not null,
    actor varchar not null,
    action varchar not null,
    consumer_id varchar,
    dataset_id varchar,
    ref varchar,
    purpose varchar,
    row_count bigint,
    details varchar not null,              -- canonical JSON, never raw personal values
    prev_hash varchar not null,
    hash varchar not null
);

create table meta.access_builds (
    consumer_id varchar primary key,
    built_at timestamptz not null,
    path varchar,                          -- null when the access database was removed
    views varchar[] not null,
    basis varchar[] not null               -- grant / agreement ids it reflects
);
