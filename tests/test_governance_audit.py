"""The hash-chained audit log: an intact chain verifies; every edit, deletion, insertion and reordering is named."""

from __future__ import annotations

import shutil
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta

import pytest

from governance import audit
from governance.audit import Entry
from governance.model import GovernanceError
from pdl.cli import main
from warehouse.db import writer
from warehouse.lake import Lake

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def _fill(con, n: int = 6) -> list[Entry]:
    for i in range(n):
        audit.append(
            con,
            T0 + timedelta(minutes=i),
            "县大数据局",
            "grant",
            consumer_id="mzj",
            dataset_id="dq_x",
            ref=f"GRT-{i:04d}",
            purpose="核验",
            row_count=i,
            details={"i": i},
        )
    return audit.entries(con)


def _rewrite(con, entries: list[Entry]) -> None:
    """Replace the stored log with `entries`, in this order (what someone with write access could do)."""
    con.execute("delete from meta.audit_log")
    for e in entries:
        con.execute(
            f"insert into meta.audit_log ({audit._COLUMNS}) values ({', '.join('?' * 12)})", list(asdict(e).values())
        )


def _forge(after: Entry, seq: int, **changes) -> Entry:
    """An entry whose own hash is right, linked after `after`: what a forger who knows the scheme writes."""
    draft = replace(after, seq=seq, prev_hash=after.hash, action="grant", ref="GRT-FORGED", hash="", **changes)
    return replace(draft, hash=audit.digest(draft))


@pytest.fixture
def log(lake: Lake):
    with writer(lake) as con:
        yield con, _fill(con)


def test_intact_chain_verifies(log):
    con, entries = log
    result = audit.verify(audit.entries(con))
    assert result.ok and result.entries == 6
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[0].prev_hash == audit.GENESIS and entries[1].prev_hash == entries[0].hash


def test_edited_entry_is_named(log):
    con, _ = log
    con.execute("update meta.audit_log set row_count = 999 where seq = 3")
    result = audit.verify(audit.entries(con))
    assert (result.ok, result.kind, result.position, result.seq) == (False, "edited", 3, 3)


def test_edited_entry_with_recomputed_hash_is_named(log):
    con, entries = log
    edited = replace(entries[2], purpose="另作他用", hash="")
    _rewrite(con, [*entries[:2], replace(edited, hash=audit.digest(edited)), *entries[3:]])
    result = audit.verify(audit.entries(con))
    assert (result.kind, result.position, result.seq) == ("edited", 3, 3)


@pytest.mark.parametrize("seq", [1, 3, 5])
def test_deleted_entry_is_named(log, seq):
    con, _ = log
    con.execute("delete from meta.audit_log where seq = ?", [seq])
    result = audit.verify(audit.entries(con))
    assert (result.ok, result.kind, result.seq) == (False, "deleted", seq + 1)
    assert f"entry {seq} is missing" in result.message


def test_two_deleted_entries_are_named(log):
    con, _ = log
    con.execute("delete from meta.audit_log where seq in (3, 4)")
    result = audit.verify(audit.entries(con))
    assert result.kind == "deleted" and "entry 3, 4 is missing" in result.message


def test_inserted_entry_with_copied_link_is_named(log):
    con, entries = log
    forged = _forge(entries[1], seq=3)
    _rewrite(con, [*entries[:2], forged, *entries[2:]])
    result = audit.verify(audit.entries(con))
    assert (result.ok, result.kind, result.position) == (False, "inserted", 3)


def test_inserted_entry_with_made_up_link_is_named(log):
    con, entries = log
    forged = _forge(entries[1], seq=3)
    forged = replace(forged, prev_hash="f" * 64, hash="")
    forged = replace(forged, hash=audit.digest(forged))
    _rewrite(con, [*entries[:3], forged, *entries[3:]])
    result = audit.verify(audit.entries(con))
    assert (result.kind, result.position) == ("inserted", 4)


def test_inserted_entry_without_a_valid_hash_reads_as_edited(log):
    con, entries = log
    _rewrite(con, [*entries[:2], replace(entries[1], seq=3, hash="0" * 64), *entries[2:]])
    result = audit.verify(audit.entries(con))
    assert (result.kind, result.position) == ("edited", 3)


def test_swapped_entries_are_named_reordered(log):
    con, entries = log
    _rewrite(con, [*entries[:2], entries[3], entries[2], *entries[4:]])
    result = audit.verify(audit.entries(con))
    assert (result.ok, result.kind, result.position, result.seq) == (False, "reordered", 3, 4)


@pytest.mark.parametrize("order", [[0, 2, 3, 1, 4, 5], [0, 3, 1, 2, 4, 5], [5, 0, 1, 2, 3, 4]])
def test_moved_entries_are_named_reordered(log, order):
    con, entries = log
    _rewrite(con, [entries[i] for i in order])
    assert audit.verify(audit.entries(con)).kind == "reordered"


def test_truncation_needs_the_recorded_head(log):
    con, entries = log
    head = audit.head(con)
    con.execute("delete from meta.audit_log where seq = 6")
    assert audit.verify(audit.entries(con)).ok
    result = audit.verify(audit.entries(con), head=head)
    assert (result.ok, result.kind) == (False, "truncated")
    assert audit.verify(entries, head=head).ok


def test_appending_continues_the_chain(log):
    con, _ = log
    entry = audit.append(con, T0, "平台", "access.read", consumer_id="mzj", row_count=3)
    assert entry.seq == 7 and audit.verify(audit.entries(con)).ok


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("purpose", "核验330521198001010019的户籍"),
        ("details", {"note": "手机13812345678"}),
        ("details", {"card": "6222021234567890123"}),
        ("ref", "330521198001010019"),
    ],
)
def test_personal_values_are_refused_and_not_repeated(log, field, value):
    con, _ = log
    with pytest.raises(GovernanceError, match="never holds personal values") as caught:
        audit.append(con, T0, "平台", "grant", **{field: value})
    assert "330521198001010019" not in str(caught.value) and "13812345678" not in str(caught.value)
    assert len(audit.entries(con)) == 6


def test_cli_verify_passes_and_fails_on_a_tampered_copy(lake: Lake, tmp_path, monkeypatch, capsys):
    with writer(lake) as con:
        _fill(con)
    assert main(["audit", "verify"]) == 0
    assert "6 entries, chain intact" in capsys.readouterr().out
    main(["audit", "head"])
    head = capsys.readouterr().out.strip()

    copy = Lake(tmp_path / "copy").ensure()
    shutil.copy(lake.db_path, copy.db_path)
    with writer(copy) as con:
        con.execute("update meta.audit_log set purpose = '另作他用' where seq = 2")
    monkeypatch.setenv("PDL_HOME", str(copy.home))
    assert main(["audit", "verify"]) == 1
    assert "position 2 (entry 2): edited" in capsys.readouterr().err

    monkeypatch.setenv("PDL_HOME", str(lake.home))
    with writer(lake) as con:
        con.execute("delete from meta.audit_log where seq = 6")
    assert main(["audit", "verify"]) == 0
    assert main(["audit", "verify", "--head", head]) == 1
    assert "truncated" in capsys.readouterr().err
