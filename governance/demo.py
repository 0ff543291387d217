"""The governance walkthrough of `pdl demo`: one of each flow against the demo lake, so the lake shows them.

Run after the pipeline has written the safe layer. It registers three agencies, a researcher and a
company; grants an unconditional request at once; has a restricted request approved by both reviewers
and another rejected; approves a copy (export) of unconditional data; records three residents'
authorizations and one revocation; signs a restricted-open use agreement; suspends and reinstates the
researcher; records a class downgrade with its filing; answers a demand request; serves a few audited
reads; rebuilds every access database and verifies the audit chain.

The residents who authorize are a household of the demo register (as if they presented their ID cards
at the counter): their IDs are read from the clean layer here, turned into subject keys at once, and
never printed or stored. Dataset ids are named here on purpose: this is the demo, not the platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import polars as pl

from catalog.model import Dataset
from governance import access, agreements, audit, classes, consent, consumers, demand, requests, suspension
from governance.model import AUTHORITY_SHORT, ConsumerKind, Decision, GovernanceError, Mode, Target
from governance.session import Gov, session
from warehouse.lake import Lake

CONSUMERS = (
    ("mzj", "德清县民政局", ConsumerKind.AGENCY, True),
    ("rsj", "德清县人力资源和社会保障局", ConsumerKind.AGENCY, True),
    ("jtj", "德清县交通运输局", ConsumerKind.AGENCY, True),
    ("zju_transport_lab", "浙江大学交通规划研究课题组", ConsumerKind.RESEARCHER, True),
    ("dq_geo_tech", "德清地信科技有限公司", ConsumerKind.COMPANY, True),
)


@dataclass
class DemoSummary:
    steps: list[str] = field(default_factory=list)
    audit: audit.Verification | None = None

    def add(self, text: str) -> None:
        self.steps.append(text)


def _household_ids(lake: Lake, ds: Dataset, limit: int = 3) -> list[str]:
    """Resident IDs of one household of the register, as its members would present them at the counter."""
    clean = lake.layer_dir("clean", ds.id) / "data.parquet"
    if not clean.exists():
        return []
    frame = pl.read_parquet(clean, columns=["resident_id", "household_no"]).drop_nulls()
    sizes = frame.group_by("household_no").len().filter(pl.col("len") >= limit).sort("household_no")
    if sizes.is_empty():
        return []
    first = sizes["household_no"][0]
    return frame.filter(pl.col("household_no") == first)["resident_id"].head(limit).to_list()


def _register(gov: Gov, out: DemoSummary) -> None:
    for consumer_id, name, kind, qualified in CONSUMERS:
        consumers.add(gov, consumer_id, name, kind, qualified, qualified, qualified, "资质材料已核验（演示）")
    out.add(f"registered {len(CONSUMERS)} consumers: 3 agencies, a researcher, a company")


def _share_flows(gov: Gov, out: DemoSummary) -> None:
    req, grant = requests.request_share(
        gov.as_actor("mzj"), "mzj", "dq_scjg_enterprise", "核对救助对象名下企业登记情况"
    )
    out.add(f"{req.request_id} mzj -> dq_scjg_enterprise (unconditional): granted at once as {grant.grant_id}")
    req, _ = requests.request_share(
        gov.as_actor("mzj"),
        "mzj",
        "dq_gaj_household",
        "低保家庭成员户籍核验",
        ("resident_id", "name", "township", "household_no", "relation"),
    )
    requests.review(gov, req.request_id, "authority", Decision.APPROVE, "社会救助家庭经济状况核对属民政局法定职责")
    _, grant, _ = requests.review(gov, req.request_id, "gaj", Decision.APPROVE, "同意，限核验所列字段")
    out.add(
        f"{req.request_id} mzj -> dq_gaj_household (restricted): approved by {AUTHORITY_SHORT} and 公安局, "
        f"{grant.grant_id}, rows limited to authorizing residents"
    )
    req, _ = requests.request_share(gov.as_actor("jtj"), "jtj", "dq_rsj_social_insurance", "掌握出租车驾驶员从业情况")
    requests.review(
        gov, req.request_id, "rsj", Decision.REJECT, "社保缴费明细非交通运输局履职所必需，可通过从业资格系统核验"
    )
    out.add(f"{req.request_id} jtj -> dq_rsj_social_insurance (restricted): rejected by 人社局")
    req, _ = requests.request_share(
        gov.as_actor("jtj"), "jtj", "dq_qxj_weather", "恶劣天气出租车调度模型训练", mode=Mode.COPY
    )
    _, grant, _ = requests.review(gov, req.request_id, "authority", Decision.APPROVE, "模型训练需离线副本，同意导出")
    out.add(
        f"{req.request_id} jtj -> dq_qxj_weather as a copy: approved by {AUTHORITY_SHORT} (art. 15), {grant.grant_id}"
    )
    req, grant = requests.request_share(gov.as_actor("jtj"), "jtj", "dq_zrzyj_land_parcels", "客运场站选址")
    out.add(f"{req.request_id} jtj -> dq_zrzyj_land_parcels (unconditional): granted at once as {grant.grant_id}")


def _consent_flows(gov: Gov, out: DemoSummary) -> None:
    household = gov.dataset("dq_gaj_household")
    ids = _household_ids(gov.lake, household)
    if not ids:
        out.add("no household in the clean layer: authorizations skipped")
        return
    counter = gov.as_actor(f"当事人（{AUTHORITY_SHORT}受理）")
    made = [consent.authorize(counter, i, "mzj", household.id, "低保申请家庭户籍核验") for i in ids]
    consent.revoke(counter, made[-1].authorization_id)
    out.add(
        f"{len(made)} residents of one household authorized mzj ({', '.join(a.authorization_id for a in made)}); "
        f"{made[-1].authorization_id} revoked"
    )


def _open_flows(gov: Gov, out: DemoSummary) -> None:
    req = requests.request_open(
        gov.as_actor("zju_transport_lab"), "zju_transport_lab", "dq_jtj_taxi_trips", "县域出租车出行时空特征研究"
    )
    agreement = agreements.sign(gov, req.request_id, "德数开备〔2026〕1号")
    out.add(
        f"{req.request_id} zju_transport_lab -> open dq_jtj_taxi_trips (restricted): agreement "
        f"{agreement.agreement_id} signed and filed; recipients list published"
    )
    suspension.suspend(gov, "zju_transport_lab", "未按协议约定提交数据利用情况反馈")
    suspension.reinstate(gov, "zju_transport_lab", "已补交反馈报告并书面承诺整改")
    out.add("zju_transport_lab suspended (access database removed) and reinstated (rebuilt)")


def _class_and_demand(gov: Gov, out: DemoSummary) -> None:
    change = classes.change(
        gov,
        "dq_zrzyj_land_parcels",
        Target.SHARE,
        "restricted",
        "宗地数据关联权利人后可识别个人不动产信息",
        basis="《不动产登记暂行条例》第二十七条；《德清县公共数据管理办法》第十三条",
        filing_ref="德数备〔2026〕7号",
        next_review=gov.now.date() + timedelta(days=365),
    )
    out.add(f"{change.change_id} dq_zrzyj_land_parcels share unconditional -> restricted, filed; earlier grant void")
    ask = demand.add(gov, "dq_geo_tech", "全县公共充电桩位置及运营状态数据", addressed_to="jtj")
    demand.answer(
        gov, ask.demand_id, "已纳入下一批目录编制计划，预计2027年第一季度以受限开放方式提供", by="德清县交通运输局"
    )
    out.add(f"{ask.demand_id} dq_geo_tech asked for uncatalogued data; answered by 交通运输局")


def _serve(gov: Gov, out: DemoSummary) -> None:
    for consumer_id, view in (
        ("mzj", "share.dq_gaj_household"),
        ("zju_transport_lab", "open.dq_jtj_taxi_trips"),
        ("dq_geo_tech", "open.dq_qxj_weather"),
    ):
        try:
            _, rows = access.read(gov.as_actor(consumer_id), consumer_id, view, limit=5)
            out.add(f"{consumer_id} read {view}: {len(rows)} row(s) served, audited")
        except GovernanceError as exc:  # e.g. the pipeline produced no safe file for it: say so, go on
            out.add(f"{consumer_id} could not read {view}: {exc}")
    try:
        path, rows = access.export(gov.as_actor("jtj"), "jtj", "dq_qxj_weather")
        out.add(f"jtj exported dq_qxj_weather under its copy grant: {rows} rows to {path.name}, audited")
    except GovernanceError as exc:
        out.add(f"jtj could not export dq_qxj_weather: {exc}")


def walkthrough(gov: Gov) -> DemoSummary:
    out = DemoSummary()
    if consumers.all_consumers(gov):
        out.add("consumers already registered: governance walkthrough skipped (it runs once per lake)")
        out.audit = audit.verify(audit.entries(gov.con))
        return out
    _register(gov, out)
    _share_flows(gov, out)
    _consent_flows(gov, out)
    _open_flows(gov, out)
    _class_and_demand(gov, out)
    _serve(gov, out)
    results = access.rebuild_all(gov)
    agreements.publish_recipients(gov)
    out.add(f"access databases rebuilt: {', '.join(f'{r.consumer_id} ({len(r.views)} views)' for r in results)}")
    out.audit = audit.verify(audit.entries(gov.con))
    out.add(out.audit.message)
    return out


def run(lake: Lake, datasets: list[Dataset], now: datetime | None = None) -> DemoSummary:
    """The walkthrough on `lake` with the given catalog, as 县大数据局, at `now` (default: the clock)."""
    with session(lake, AUTHORITY_SHORT, now or datetime.now(UTC), datasets) as gov:
        return walkthrough(gov)
