"""Real access databases: a representative slice of the matrix driven through the workflows, then queried.

Each case arranges a request/agreement state with the library's own actions, builds the consumer's
`access/<consumer>.duckdb`, opens it read-only and checks exactly which views, columns and rows it holds.
"""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest

from governance import access, agreements, audit, consent, consumers, requests, suspension
from governance.model import ConsumerKind, Decision, GovernanceError, Mode, Status, Target
from warehouse.lake import Lake

from governance_support import LATER, NOW, access_views, gov, people_dataset, synthetic_ids, write_safe

STATES = ("none", "pending", "approved", "rejected", "expired", "revoked")
SHARE_VIEW, OPEN_VIEW = "share.dq_test_people", "open.dq_test_people"
ALL_COLUMNS = ["resident_id", "name", "township", "amount"]


def _lake(lake: Lake, share: str, open_: str) -> tuple[dict, list[str]]:
    ds = people_dataset(share, open_)
    ids = synthetic_ids(4)
    write_safe(lake, ds, ids)
    return {ds.id: ds}, ids


def _arrange_share(g, state: str, share: str) -> None:
    mode = Mode.COPY if share == "unconditional" and state in ("pending", "rejected") else Mode.INTERFACE
    until = NOW + timedelta(days=1) if state == "expired" else None
    req, grant = requests.request_share(g, "agency", "dq_test_people", "核验", mode=mode, until=until)
    if state == "rejected":
        requests.review(g, req.request_id, "authority", Decision.REJECT, "非履职所需")
    elif state != "pending" and grant is None:
        for by in ("authority", "tst") if share != "unconditional" else ("authority",):
            requests.review(g, req.request_id, by, Decision.APPROVE, "同意")
    if state == "revoked":
        requests.revoke(g, req.request_id, "超范围使用")


def _arrange_open(g, state: str, open_: str) -> None:
    if state == "none":
        return
    if open_ != "restricted":
        if open_ == "unconditional":
            requests.request_open(g, "lab", "dq_test_people", "研究")
        return
    until = NOW + timedelta(days=1) if state == "expired" else None
    req = requests.request_open(g, "lab", "dq_test_people", "研究", until=until)
    if state == "rejected":
        requests.review(g, req.request_id, "authority", Decision.REJECT, "用途不明确")
    elif state != "pending":
        agreement = agreements.sign(g, req.request_id, "备-1")
        if state == "revoked":
            agreements.revoke(g, agreement.agreement_id, "违反协议")


def _build_at(lake, catalog, consumer_id, state):
    now = NOW + timedelta(days=2) if state == "expired" else NOW
    with gov(lake, catalog, now) as g:
        access.build(g, consumer_id)
    return access_views(lake, consumer_id)


# Every state for the restricted class (consent rows); the decisive states for the others. The full
# cross product runs on the pure functions in test_governance_rules.py.
REAL_SHARE = [("restricted", s) for s in STATES] + [
    ("unconditional", "approved"),
    ("unconditional", "revoked"),
    ("non_shareable", "approved"),
    ("non_shareable", "pending"),
]
REAL_OPEN = [("restricted", s) for s in STATES] + [
    ("unconditional", "none"),
    ("unconditional", "approved"),
    ("prohibited", "none"),
]


@pytest.mark.parametrize(("share", "state"), REAL_SHARE)
def test_share_matrix_on_real_databases(lake, share, state):
    catalog, ids = _lake(lake, share, "prohibited")
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        consent.authorize(g, ids[0], "agency", "dq_test_people", "核验")
        consent.authorize(g, ids[1], "agency", "dq_test_people", "核验")
        consent.revoke(g, subject_id=ids[1], consumer_id="agency", dataset_id="dq_test_people")
        if state != "none":
            _arrange_share(g, state, share)
    views = _build_at(lake, catalog, "agency", state)
    if state != "approved":
        assert SHARE_VIEW not in views
        return
    columns, rows = views[SHARE_VIEW]
    assert columns == (["township", "amount"] if share == "non_shareable" else ALL_COLUMNS)
    assert rows == (4 if share == "unconditional" else 1)


@pytest.mark.parametrize(("open_", "state"), REAL_OPEN)
def test_open_matrix_on_real_databases(lake, open_, state):
    catalog, _ = _lake(lake, "restricted", open_)
    with gov(lake, catalog) as g:
        consumers.add(g, "lab", "浙江大学课题组", ConsumerKind.RESEARCHER, True, True, True)
        _arrange_open(g, state, open_)
    views = _build_at(lake, catalog, "lab", state)
    readable = open_ == "unconditional" or (open_ == "restricted" and state == "approved")
    assert (OPEN_VIEW in views) == readable
    assert SHARE_VIEW not in views
    if readable:
        assert views[OPEN_VIEW] == (["township", "amount"], 4)


def test_suspension_reinstatement_termination(lake):
    catalog, ids = _lake(lake, "restricted", "restricted")
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY, True, True, True)
        _arrange_share(g, "approved", "restricted")
        consent.authorize(g, ids[2], "agency", "dq_test_people", "核验")
        before = access_views(lake, "agency")
        assert before[SHARE_VIEW] == (ALL_COLUMNS, 1)

        suspension.suspend(g, "agency", "超范围使用共享数据")
        assert access_views(lake, "agency") is None
        with pytest.raises(GovernanceError, match="suspended"):
            requests.request_share(g, "agency", "dq_test_people", "核验")
        with pytest.raises(GovernanceError, match="suspended"):
            access.read(g, "agency", SHARE_VIEW)

        suspension.reinstate(g, "agency", "已整改")
        assert access_views(lake, "agency") == before

        suspension.terminate(g, "agency", "整改不到位")
        assert access_views(lake, "agency") is None
        assert {gr.status for gr in access.store.holdings(g.con, "agency").grants} == {Status.ENDED}
        records = g.con.execute("select kind, credit_after from meta.credit_records order by record_id").fetchall()
        assert records == [("suspension", "warning"), ("reinstatement", "warning"), ("termination", "bad")]
        with pytest.raises(GovernanceError, match="only a suspended consumer"):
            suspension.reinstate(g, "agency", "再给一次机会")


def test_restricted_open_agreement_state_changes(lake):
    catalog, _ = _lake(lake, "restricted", "restricted")
    with gov(lake, catalog) as g:
        consumers.add(g, "lab", "浙江大学课题组", ConsumerKind.RESEARCHER, True, True, True)
        _arrange_open(g, "approved", "restricted")
        assert OPEN_VIEW in access_views(lake, "lab")
        suspension.suspend(g, "lab", "未反馈利用情况")
        assert access_views(lake, "lab") is None
        suspension.reinstate(g, "lab", "已补交")
        assert OPEN_VIEW in access_views(lake, "lab")
        recipients = agreements.recipients(g)
        assert recipients.select("recipient", "status").rows() == [("浙江大学课题组", "active")]
    with gov(lake, catalog, LATER) as g:
        access.build(g, "lab")
        assert OPEN_VIEW not in access_views(lake, "lab")
        assert agreements.publish_recipients(g)["status"].to_list() == ["expired"]


def test_consent_rows_follow_authorization_revocation_and_expiry(lake):
    catalog, ids = _lake(lake, "restricted", "prohibited")
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        consumers.add(g, "other", "德清县人社局", ConsumerKind.AGENCY)
        _arrange_share(g, "approved", "restricted")
        assert access_views(lake, "agency")[SHARE_VIEW][1] == 0
        consent.authorize(g, ids[0], "agency", "dq_test_people", "核验", until=NOW + timedelta(days=10))
        consent.authorize(g, ids[1], "agency", "dq_test_people", "核验")
        consent.authorize(g, ids[2], "other", "dq_test_people", "核验")
        assert access_views(lake, "agency")[SHARE_VIEW][1] == 2
        consent.revoke(g, subject_id=ids[1], consumer_id="agency", dataset_id="dq_test_people")
        assert access_views(lake, "agency")[SHARE_VIEW][1] == 1
    with gov(lake, catalog, NOW + timedelta(days=11)) as g:
        columns, rows = access.read(g, "agency", SHARE_VIEW)
        assert rows == [] and "_subject" not in columns
        assert access_views(lake, "agency")[SHARE_VIEW][1] == 0


def test_subject_keys_and_ids_stay_out_of_access_db_and_audit(lake):
    catalog, ids = _lake(lake, "restricted", "prohibited")
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        _arrange_share(g, "approved", "restricted")
        made = consent.authorize(g, ids[0], "agency", "dq_test_people", "核验")
        entries = audit.entries(g.con)
    body = (lake.access_dir / "agency.duckdb").read_bytes()
    assert made.subject_key.encode() not in body and ids[0].encode() not in body
    text = " ".join(f"{e.details} {e.ref} {e.purpose}" for e in entries)
    assert made.subject_key not in text and ids[0] not in text
    assert ids[0].encode() not in lake.db_path.read_bytes()


def test_access_databases_reference_only_the_safe_layer(lake):
    catalog, _ = _lake(lake, "unconditional", "unconditional")
    for layer in ("raw", "clean", "quarantine"):
        folder = lake.layer_dir(layer, "dq_test_people")
        folder.mkdir(parents=True)
        (folder / "data.parquet").write_bytes((lake.layer_dir("safe", "dq_test_people") / "open.parquet").read_bytes())
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        _arrange_share(g, "approved", "unconditional")
    with duckdb.connect(str(lake.access_dir / "agency.duckdb"), read_only=True) as con:
        sql = [s for (s,) in con.execute("select sql from duckdb_views() where not internal").fetchall()]
        with pytest.raises(duckdb.Error):
            con.execute("create table share.x as select 1")
    assert len(sql) == 2
    safe = str(lake.home / "lake" / "safe")
    for body in sql:
        assert safe in body
        assert all(f"/lake/{layer}/" not in body for layer in ("raw", "clean", "quarantine"))


def test_materialized_database_is_self_contained(lake):
    catalog, _ = _lake(lake, "unconditional", "unconditional")
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        _arrange_share(g, "approved", "unconditional")
        access.build(g, "agency", materialize=True)
    (lake.layer_dir("safe", "dq_test_people") / "share_unconditional.parquet").unlink()
    with duckdb.connect(str(lake.access_dir / "agency.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from duckdb_views() where not internal").fetchone()[0] == 0
        assert con.execute("select count(*) from share.dq_test_people").fetchone()[0] == 4


def test_copy_needs_its_own_approval(lake):
    catalog, _ = _lake(lake, "unconditional", "prohibited")
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        _arrange_share(g, "approved", "unconditional")
        with pytest.raises(GovernanceError, match="a copy needs its own approval"):
            access.export(g, "agency", "dq_test_people")
        req, grant = requests.request_share(g, "agency", "dq_test_people", "离线建模", mode=Mode.COPY)
        assert grant is None
        assert "needs approval from 县大数据局; 0 of 1 given" in requests.progress(g, req)
        requests.review(g, req.request_id, "authority", Decision.APPROVE, "同意导出")
        path, rows = access.export(g, "agency", "dq_test_people")
        assert rows == 4 and path.exists() and path.is_relative_to(lake.access_dir)
        served = audit.entries(g.con)[-1]
        assert (served.action, served.consumer_id, served.row_count, served.purpose) == (
            "access.export",
            "agency",
            4,
            "核验; 离线建模",
        )


def test_explain_names_what_is_missing(lake):
    catalog, _ = _lake(lake, "restricted", "restricted")
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        req, _ = requests.request_share(g, "agency", "dq_test_people", "核验")
        requests.review(g, req.request_id, "authority", Decision.APPROVE, "同意")
        reason = access.explain(g, "agency", Target.SHARE, "dq_test_people").reason
        assert (
            "restricted dataset dq_test_people needs approval from 县大数据局 and 德清县测试局; 1 of 2 given" in reason
        )
        with pytest.raises(GovernanceError, match="1 of 2 given"):
            access.read(g, "agency", SHARE_VIEW)
        denied = audit.entries(g.con)[-1]
        assert denied.action == "access.denied" and denied.consumer_id == "agency"
