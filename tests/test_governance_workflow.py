"""The governance actions: what each refuses and why, what each records, and that every decision is audited."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from governance import agreements, audit, classes, consent, consumers, demand, requests, suspension
from governance.model import ConsumerKind, Decision, GovernanceError, Mode, RequestStatus, Target
from governance.status import overdue_reviews
from warehouse.catalog_sync import sync_catalog

from governance_support import NOW, gov, people_dataset, synthetic_ids, write_safe


def _setup(lake, share="restricted", open_="restricted", extra=()):
    catalog = {d.id: d for d in (people_dataset(share, open_), *extra)}
    ids = synthetic_ids(3)
    for ds in catalog.values():
        write_safe(lake, ds, ids)
    return catalog, ids


@pytest.fixture
def world(lake):
    catalog, ids = _setup(lake)
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        consumers.add(g, "lab", "浙江大学课题组", ConsumerKind.RESEARCHER, True, True, True)
        consumers.add(g, "citizen_0001", "王小明", ConsumerKind.PUBLIC, True, True, True)
        consumers.add(g, "startup", "德清某科技有限公司", ConsumerKind.COMPANY, True, False, True)
        yield g, ids


def test_share_is_between_agencies(world):
    g, _ = world
    with pytest.raises(GovernanceError, match=r"sharing .* is between agencies .* pdl request open"):
        requests.request_share(g, "lab", "dq_test_people", "研究")


def test_dual_review_progress_rejection_and_reasons(world):
    g, _ = world
    req, grant = requests.request_share(g, "agency", "dq_test_people", "核验", ("township",))
    assert grant is None and req.status == RequestStatus.PENDING
    with pytest.raises(
        GovernanceError, match="its reviewers are 县大数据局 \\(authority\\) and 德清县测试局 \\(tst\\)"
    ):
        requests.review(g, req.request_id, "gaj", Decision.APPROVE, "同意")
    with pytest.raises(GovernanceError, match="states its reason"):
        requests.review(g, req.request_id, "authority", Decision.APPROVE, " ")
    _, grant, progress = requests.review(g, req.request_id, "tst", Decision.APPROVE, "同意")
    assert grant is None
    assert progress == "restricted dataset dq_test_people needs approval from 县大数据局 and 德清县测试局; 1 of 2 given"
    with pytest.raises(GovernanceError, match="already reviewed by 德清县测试局"):
        requests.review(g, req.request_id, "tst", Decision.APPROVE, "同意")
    req, _, _ = requests.review(g, req.request_id, "authority", Decision.REJECT, "超出履职范围")
    assert req.status == RequestStatus.REJECTED and "超出履职范围" in req.status_reason
    with pytest.raises(GovernanceError, match="already rejected"):
        requests.review(g, req.request_id, "authority", Decision.APPROVE, "同意")


def test_dual_approval_grants_with_consent_scope(world):
    g, _ = world
    req, _ = requests.request_share(g, "agency", "dq_test_people", "核验", ("resident_id", "township"))
    requests.review(g, req.request_id, "authority", Decision.APPROVE, "同意")
    req, grant, _ = requests.review(g, req.request_id, "德清县测试局", Decision.APPROVE, "同意")
    assert req.status == RequestStatus.APPROVED
    assert (grant.columns, grant.row_scope.value, grant.share_class, grant.mode) == (
        ("resident_id", "township"),
        "consent",
        "restricted",
        Mode.INTERFACE,
    )
    assert grant.valid_until == NOW + timedelta(days=365)


def test_non_shareable_requests_cannot_ask_for_personal_columns(lake):
    catalog, _ = _setup(lake, share="non_shareable")
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        with pytest.raises(GovernanceError, match="goes out only desensitized: personal column\\(s\\) name"):
            requests.request_share(g, "agency", "dq_test_people", "核验", ("name", "township"))
        req, _ = requests.request_share(g, "agency", "dq_test_people", "统计")
        assert req.columns == ("township", "amount")


def test_open_requests_check_class_qualifications_and_credit(lake):
    prohibited = people_dataset("restricted", "prohibited", "dq_closed")
    catalog, _ = _setup(lake, extra=(prohibited,))
    with gov(lake, catalog) as g:
        consumers.add(g, "startup", "德清某科技有限公司", ConsumerKind.COMPANY, True, False, False)
        consumers.add(g, "lab", "浙江大学课题组", ConsumerKind.RESEARCHER, True, True, True)
        with pytest.raises(GovernanceError, match="prohibited from opening"):
            requests.request_open(g, "lab", "dq_closed", "研究")
        with pytest.raises(GovernanceError, match="startup lacks processing, security"):
            requests.request_open(g, "startup", "dq_test_people", "研究")
        suspension.record_breach(g, "lab", "未注明数据来源")
        assert consumers.get(g, "lab").credit.value == "warning"
        requests.request_open(g, "lab", "dq_test_people", "研究")
        suspension.terminate(g, "lab", "拒不整改")
        with pytest.raises(GovernanceError, match="terminated"):
            requests.request_open(g, "lab", "dq_test_people", "研究")


def test_agreements_need_filing_and_all_terms_and_are_listed_publicly(world):
    g, _ = world
    req = requests.request_open(g, "citizen_0001", "dq_test_people", "个人研究")
    with pytest.raises(GovernanceError, match="approved by signing its use agreement"):
        requests.review(g, req.request_id, "authority", Decision.APPROVE, "同意")
    with pytest.raises(GovernanceError, match="filed with 县大数据局"):
        agreements.sign(g, req.request_id, " ")
    with pytest.raises(GovernanceError, match=r"misses art\. 24 term\(s\): term_citation"):
        agreements.sign(g, req.request_id, "备-1", terms={"term_citation": ""})
    signed = agreements.sign(g, req.request_id, "备-1", until=NOW + timedelta(days=30))
    assert signed.filed_with == "德清县大数据发展管理局" and "数据仅用于：个人研究" in signed.term_purpose
    assert requests.get(g, req.request_id).status == RequestStatus.APPROVED
    share_req, _ = requests.request_share(g, "agency", "dq_test_people", "核验")
    with pytest.raises(GovernanceError, match="is a share request"):
        agreements.sign(g, share_req.request_id, "备-2")

    listed = g.con.execute("select recipient, status from open.pdl_restricted_open_recipients").fetchall()
    assert listed == [("王**", "active")]
    published = g.con.execute(
        "select class, row_count from meta.published where dataset_id = ?", ["pdl_restricted_open_recipients"]
    ).fetchall()
    assert published == [("unconditional", 1)]
    assert (g.lake.open_dir / "pdl_restricted_open_recipients.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    agreements.revoke(g, signed.agreement_id, "违反协议转发数据")
    assert g.con.execute("select status from open.pdl_restricted_open_recipients").fetchall() == [("revoked",)]


def test_unconditional_open_request_is_approved_without_agreement(lake):
    catalog, _ = _setup(lake, open_="unconditional")
    with gov(lake, catalog) as g:
        consumers.add(g, "startup", "德清某科技有限公司", ConsumerKind.COMPANY)
        req = requests.request_open(g, "startup", "dq_test_people", "选址分析")
        assert req.status == RequestStatus.APPROVED


def test_class_changes_follow_art_22(lake):
    catalog, _ = _setup(lake, share="unconditional", open_="unconditional")
    with gov(lake, catalog) as g:
        sync_catalog(g.con, list(catalog.values()))
        with pytest.raises(GovernanceError, match=r"needs a filing record with 县大数据局 \(art\. 22\); none given"):
            classes.change(
                g,
                "dq_test_people",
                Target.SHARE,
                "restricted",
                "含个人信息",
                basis="第十三条",
                next_review=date(2027, 6, 1),
            )
        with pytest.raises(GovernanceError, match="needs a future review date"):
            classes.change(
                g, "dq_test_people", Target.OPEN, "restricted", "含个人信息", basis="第二十二条", filing_ref="备-1"
            )
        with pytest.raises(GovernanceError, match="needs a legal basis"):
            classes.change(g, "dq_test_people", Target.OPEN, "prohibited", "含个人信息", filing_ref="备-1")
        with pytest.raises(GovernanceError, match="already share class unconditional"):
            classes.change(g, "dq_test_people", Target.SHARE, "unconditional", "无变化")
        change = classes.change(
            g,
            "dq_test_people",
            Target.SHARE,
            "restricted",
            "含个人信息",
            basis="第十三条",
            filing_ref="德数备〔2026〕7号",
            next_review=date(2027, 1, 31),
        )
        assert (change.old_class, change.new_class) == ("unconditional", "restricted")
        assert g.dataset("dq_test_people").share.klass == "restricted"
        drift = classes.catalog_drift(g.con, g.declared)
        assert [(d.dataset_id, d.attribute, d.declared, d.recorded) for d in drift] == [
            ("dq_test_people", Target.SHARE, "unconditional", "restricted")
        ]
        upgrade = classes.change(g, "dq_test_people", Target.SHARE, "unconditional", "已脱敏")
        assert upgrade.filing_ref is None and classes.catalog_drift(g.con, g.declared) == []
        assert [e.action for e in audit.entries(g.con)].count("class.change") == 2


def test_overdue_reviews_for_pdl_status(lake):
    catalog, _ = _setup(lake, share="unconditional", open_="restricted")
    with gov(lake, catalog) as g:
        sync_catalog(g.con, list(catalog.values()))
        assert overdue_reviews(g.con, date(2027, 6, 30)) == []
        due = overdue_reviews(g.con, date(2027, 7, 1))
        assert [(o.dataset_id, o.attribute, o.review_due) for o in due] == [
            ("dq_test_people", "open", date(2027, 6, 30))
        ]
        assert "1 day(s) overdue" in due[0].describe(date(2027, 7, 1))
        classes.change(
            g,
            "dq_test_people",
            Target.SHARE,
            "restricted",
            "含个人信息",
            basis="第十三条",
            filing_ref="备-2",
            next_review=date(2027, 3, 1),
        )
        assert [o.attribute for o in overdue_reviews(g.con, date(2027, 7, 1))] == ["share", "open"]
        classes.change(g, "dq_test_people", Target.OPEN, "unconditional", "已充分脱敏")
        assert [o.attribute for o in overdue_reviews(g.con, date(2027, 7, 1))] == ["share"]


def test_authorization_refusals_never_repeat_the_id(world):
    g, ids = world
    bad = ids[0][:-1] + ("0" if ids[0][-1] != "0" else "1")
    with pytest.raises(GovernanceError, match="not a valid resident ID") as caught:
        consent.authorize(g, bad, "agency", "dq_test_people", "核验")
    assert bad not in str(caught.value)
    with pytest.raises(GovernanceError, match="states its scope"):
        consent.authorize(g, ids[0], "agency", "dq_test_people", " ")
    made = consent.authorize(g, ids[0], "agency", "dq_test_people", "核验")
    assert made.subject_key != ids[0] and len(made.subject_key) == 32
    with pytest.raises(GovernanceError, match="has not authorized agency"):
        consent.revoke(g, subject_id=ids[1], consumer_id="agency", dataset_id="dq_test_people")
    consent.revoke(g, made.authorization_id)
    with pytest.raises(GovernanceError, match="already revoked"):
        consent.revoke(g, made.authorization_id)


def test_authorization_needs_records_about_persons(lake):
    weather = people_dataset("unconditional", "unconditional", "dq_weather")
    weather = weather.model_copy(update={"columns": [c for c in weather.columns if c.name in ("township", "amount")]})
    catalog, ids = _setup(lake, extra=(weather,))
    with gov(lake, catalog) as g:
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
        with pytest.raises(GovernanceError, match="no records keyed by a resident ID"):
            consent.authorize(g, ids[0], "agency", "dq_weather", "核验")


def test_demand_requests_are_recorded_and_answered(world):
    g, _ = world
    asked = demand.add(g, "startup", "全县充电桩位置数据", addressed_to="jtj")
    assert [d.demand_id for d in demand.open_demands(g)] == [asked.demand_id]
    answered = demand.answer(g, asked.demand_id, "已纳入编目计划", by="德清县交通运输局")
    assert (answered.status, answered.answered_by) == ("answered", "德清县交通运输局")
    assert demand.open_demands(g) == []
    with pytest.raises(GovernanceError, match="already answered"):
        demand.answer(g, asked.demand_id, "再次答复")


def test_consumer_registration_checks(world):
    g, _ = world
    with pytest.raises(GovernanceError, match="already registered"):
        consumers.add(g, "agency", "德清县民政局", ConsumerKind.AGENCY)
    with pytest.raises(GovernanceError, match="lowercase letters"):
        consumers.add(g, "../etc", "x", ConsumerKind.AGENCY)
    with pytest.raises(GovernanceError, match="personal identifier"):
        consumers.add(g, "u330521198001010019", "x", ConsumerKind.PUBLIC)


def test_every_decision_is_audited_and_the_chain_holds(world):
    g, ids = world
    req, _ = requests.request_share(g, "agency", "dq_test_people", "核验")
    requests.review(g, req.request_id, "authority", Decision.APPROVE, "同意")
    requests.review(g, req.request_id, "tst", Decision.APPROVE, "同意")
    auth = consent.authorize(g, ids[0], "agency", "dq_test_people", "核验")
    consent.revoke(g, auth.authorization_id)
    open_req = requests.request_open(g, "lab", "dq_test_people", "研究")
    agreements.sign(g, open_req.request_id, "备-1")
    suspension.suspend(g, "lab", "未反馈")
    suspension.reinstate(g, "lab", "已整改")
    requests.revoke(g, req.request_id, "超范围使用")
    actions = {e.action for e in audit.entries(g.con)}
    assert actions >= {
        "consumer.add",
        "request.share",
        "review.approve",
        "grant",
        "authorization",
        "authorization.revoke",
        "request.open",
        "agreement.sign",
        "consumer.suspension",
        "consumer.reinstatement",
        "request.revoke",
        "access.build",
        "access.remove",
    }
    assert audit.verify(audit.entries(g.con)).ok


def test_a_failed_action_leaves_no_trace(world):
    g, _ = world
    before = len(audit.entries(g.con))
    with pytest.raises(GovernanceError):
        suspension.suspend(g, "agency", "")
    assert len(audit.entries(g.con)) == before
    assert consumers.get(g, "agency").state.value == "active"
    assert g.con.execute("select count(*) from meta.credit_records").fetchone()[0] == 0


def test_tables_hold_no_raw_ids(world):
    g, ids = world
    consent.authorize(g, ids[0], "agency", "dq_test_people", "核验")
    tables = [
        t
        for (t,) in g.con.execute(
            "select table_name from information_schema.tables where table_schema = 'meta'"
        ).fetchall()
    ]
    for table in tables:
        rows = g.con.execute(f'select * from meta."{table}"').fetchall()
        assert ids[0] not in repr(rows), table
    assert isinstance(g.con, duckdb.DuckDBPyConnection)
