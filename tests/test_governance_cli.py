"""The governance CLI end to end on the real catalog: refusals say what is missing, resident IDs never surface."""

from __future__ import annotations

import io

import pytest

from pdl.cli import main

from governance_support import access_views, synthetic_ids, write_safe

HOUSEHOLD, ENTERPRISE, TAXI = "dq_gaj_household", "dq_scjg_enterprise", "dq_jtj_taxi_trips"


@pytest.fixture
def ids(lake, catalog):
    people = synthetic_ids(3)
    for ds_id in (HOUSEHOLD, ENTERPRISE, TAXI):
        write_safe(lake, catalog[ds_id], people)
    return people


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_walkthrough(lake, ids, capsys, monkeypatch):
    assert run(capsys, "consumer", "add", "mzj", "--name", "德清县民政局", "--kind", "agency")[0] == 0
    assert (
        run(
            capsys,
            "consumer",
            "add",
            "lab",
            "--name",
            "浙江大学课题组",
            "--kind",
            "researcher",
            "--storage",
            "--processing",
            "--security",
        )[0]
        == 0
    )

    code, out, _ = run(
        capsys,
        "request",
        "share",
        ENTERPRISE,
        "--consumer",
        "mzj",
        "--purpose",
        "核对企业登记",
        "--columns",
        "uscc,name,status",
    )
    assert code == 0 and "REQ-0001: granted at once as GRT-0001 (uscc, name, status)" in out

    code, out, _ = run(capsys, "request", "share", HOUSEHOLD, "--consumer", "mzj", "--purpose", "低保户籍核验")
    assert "needs approval from 县大数据局 and 德清县公安局; 0 of 2 given" in out
    code, out, _ = run(capsys, "review", "approve", "REQ-0002", "--by", "authority", "--reason", "履职需要")
    assert (
        out.strip()
        == "REQ-0002: restricted dataset dq_gaj_household needs approval from 县大数据局 and 德清县公安局; 1 of 2 given"
    )
    code, _, err = run(capsys, "access", "read", "mzj", f"share.{HOUSEHOLD}")
    assert code == 1 and "1 of 2 given" in err
    code, out, _ = run(capsys, "review", "approve", "REQ-0002", "--by", "gaj", "--reason", "同意")
    assert "approved by both; granted as GRT-0002" in out

    code, out, err = run(
        capsys,
        "authorize",
        "--subject-id",
        ids[0],
        "--consumer",
        "mzj",
        "--dataset",
        HOUSEHOLD,
        "--scope",
        "低保核验",
        "--until",
        "2027-06-30",
    )
    assert code == 0 and "AUT-0001" in out and "2027-06-30" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(ids[1] + "\n"))
    code, out, err = run(
        capsys, "authorize", "--subject-id", "-", "--consumer", "mzj", "--dataset", HOUSEHOLD, "--scope", "低保核验"
    )
    assert code == 0 and "AUT-0002" in out
    assert access_views(lake, "mzj")[f"share.{HOUSEHOLD}"][1] == 2
    code, out, _ = run(
        capsys, "authorize", "revoke", "--subject-id", ids[1], "--consumer", "mzj", "--dataset", HOUSEHOLD
    )
    assert code == 0 and "AUT-0002: revoked" in out
    code, out, _ = run(capsys, "access", "read", "mzj", f"share.{HOUSEHOLD}")
    assert code == 0 and "(1 row(s), audited)" in out and "_subject" not in out

    code, out, _ = run(capsys, "access", "show", "mzj")
    assert f"yes share.{HOUSEHOLD}" in out and "rows of 1 authorizing subject(s)" in out
    assert f"no  open.{HOUSEHOLD}" in out and "禁止开放" in out

    code, out, _ = run(capsys, "request", "open", TAXI, "--consumer", "lab", "--purpose", "出行研究")
    assert "pdl agreement sign REQ-0003" in out
    code, out, _ = run(
        capsys, "agreement", "sign", "REQ-0003", "--filing", "德数开备〔2026〕1号", "--until", "2027-12-31"
    )
    assert code == 0 and "AGR-0001: signed and filed" in out
    assert f"open.{TAXI}" in access_views(lake, "lab")
    code, out, _ = run(capsys, "suspend", "lab", "--reason", "未反馈")
    assert "lab: suspended, credit warning; access database removed" in out
    code, out, _ = run(capsys, "reinstate", "lab", "--reason", "已整改")
    assert "access database rebuilt" in out

    code, _, err = run(
        capsys,
        "class",
        "change",
        ENTERPRISE,
        "--share",
        "restricted",
        "--reason",
        "r",
        "--basis",
        "b",
        "--next-review",
        "2030-01-01",
    )
    assert code == 1 and "needs a filing record with 县大数据局" in err
    code, out, _ = run(capsys, "demand", "add", "--consumer", "lab", "--what", "公交刷卡数据", "--to", "jtj")
    assert "DEM-0001" in out
    assert run(capsys, "demand", "answer", "DEM-0001", "--reply", "已纳入计划")[0] == 0

    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0 and "chain intact" in out
    code, out, _ = run(capsys, "audit", "show", "--consumer", "mzj", "--limit", "50")
    assert "authorization.revoke" in out and "access.read" in out

    code, out, _ = run(capsys, "request", "list")
    assert code == 0 and "3 request(s)" in out
    code, out, _ = run(capsys, "consumer", "list")
    assert "lab" in out and "credit warning" in out

    everything = lake.db_path.read_bytes() + b"".join(p.read_bytes() for p in lake.access_dir.glob("*.duckdb"))
    assert all(i.encode() not in everything for i in ids)


def test_cli_prints_no_id_on_refusal(lake, ids, capsys):
    run(capsys, "consumer", "add", "mzj", "--name", "德清县民政局", "--kind", "agency")
    bad = ids[0][:10] + "99" + ids[0][12:]
    code, out, err = run(
        capsys, "authorize", "--subject-id", bad, "--consumer", "mzj", "--dataset", HOUSEHOLD, "--scope", "核验"
    )
    assert code == 1 and "not a valid resident ID" in err and bad not in out + err
    code, _, err = run(capsys, "authorize", "--consumer", "mzj")
    assert code == 1 and "needs --subject-id, --dataset, --scope" in err


def test_cli_access_build_and_export(lake, ids, capsys):
    run(capsys, "consumer", "add", "mzj", "--name", "德清县民政局", "--kind", "agency")
    run(capsys, "request", "share", ENTERPRISE, "--consumer", "mzj", "--purpose", "建模", "--mode", "copy")
    code, _, err = run(capsys, "access", "export", "mzj", ENTERPRISE)
    assert code == 1 and "0 of 1 given" in err
    run(capsys, "review", "approve", "REQ-0001", "--by", "authority", "--reason", "同意导出")
    code, out, _ = run(capsys, "access", "export", "mzj", ENTERPRISE)
    assert code == 0 and "3 row(s) written" in out
    code, out, _ = run(capsys, "access", "build", "--materialize")
    assert code == 0 and "mzj" in out and "view(s)" in out
