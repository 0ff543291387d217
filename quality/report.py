"""The provider scorecard (数据质量评分卡): an HTML page per agency, in Chinese, from `meta.quality_results`.

Art. 10 makes the providing agency answer for the quality of what it sends; this page is what it gets
back: per dataset, the five dimension scores of the latest load and their trend over loads, the gate
outcome, and every failing rule with its count and example line numbers of the agency's own file.
It is built only from stored counts, rule and column names and line numbers: no value from the data
can appear in it.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from quality.results import results

DIMENSION_LABELS = {
    "completeness": "完整性",
    "accuracy": "准确性",
    "timeliness": "及时性",
    "uniqueness": "唯一性",
    "consistency": "一致性",
}
RULE_LABELS = {
    "required": "必填项为空",
    "bad_type": "类型或格式错误",
    "not_in_values": "取值不在代码表内",
    "out_of_range": "数值超出允许范围",
    "future_date": "日期晚于当前日期",
    "duplicate_key": "主键重复",
    "superseded": "已被后续批次的新版本替代",
    "birth_date_mismatch": "出生日期与身份证号不一致",
    "sex_mismatch": "性别与身份证号不一致",
    "reference_missing": "引用的代码在源数据集中不存在",
    "legacy_resident_id": "15位旧身份证号（建议更新为18位）",
    "invalid_resident_id": "公民身份号码校验不通过",
    "invalid_uscc": "统一社会信用代码校验不通过",
    "invalid_mobile_phone": "手机号码无效",
    "invalid_landline_phone": "固定电话号码无效",
    "invalid_bank_card": "银行卡号校验不通过",
    "invalid_license_plate": "车牌号码无效",
    "invalid_passport": "护照号码无效",
}
DETAIL_LABELS = {
    "bad_length": "长度错误",
    "bad_chars": "含非法字符",
    "unknown_region": "地区码不存在",
    "bad_birth_date": "出生日期无效",
    "bad_check_char": "校验码错误",
    "bad_org_code": "组织机构代码校验错误",
    "bad_luhn": "Luhn校验失败",
    "bad_format": "格式错误",
    "bad_prefix": "号段或区号不存在",
    "unknown_province": "省份简称不存在",
    "legacy_15": "15位旧号码",
}
CHECK_LABELS = {
    "accounting": "行数核对（原始=合格+隔离）",
    "completeness": "完整性",
    "uniqueness": "主键唯一性",
    "quarantine_ratio": "隔离比例",
    "row_count_drop": "行数骤降",
    "accuracy": "准确性",
    "consistency": "一致性",
    "timeliness": "及时性",
}
CHECK_TEXTS = {
    "accounting": "原始 {raw_rows} 行，合格 {clean_rows} 行，隔离 {quarantined_rows} 行",
    "completeness": "必填项完整的记录占 {complete_ratio:.1%}（要求不低于 {threshold:.0%}）",
    "uniqueness": "主键重复 {duplicate_rows} 行，占 {duplicate_ratio:.1%}（上限 {threshold:.0%}）",
    "quarantine_ratio": "隔离 {quarantined_rows} / {rows} 行，占 {quarantine_ratio:.1%}（上限 {threshold:.0%}）",
    "row_count_drop": "本批 {rows} 行，上一批 {previous_rows} 行，下降 {drop_ratio:.1%}（上限 {threshold:.0%}）",
    "accuracy": "{failed_rows} 行未通过准确性规则",
    "consistency": "{failed_rows} 行未通过一致性规则",
    "timeliness": "最新业务日期已超过声明的更新周期 {overdue_days:.0f} 天",
}
SEVERITY_LABELS = {"error": "隔离", "warning": "警示"}
TREND_LOADS = 12
_AGENCY_CODE = re.compile(r"[a-z][a-z0-9_]{0,62}")

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:.5em 0 1.2em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
th{background:#f2f2f2}.num{text-align:right}.ok{color:#17702f}.bad{color:#b00020;font-weight:bold}
.score{display:inline-block;height:.7em;background:#4a90d9;margin-right:.4em}.note{color:#666;font-size:.9em}
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _score_cell(value: float) -> str:
    width = max(1, round(value * 60))
    return f'<td class="num"><span class="score" style="width:{width}px"></span>{_pct(value)}</td>'


def _rule_label(rule: str) -> str:
    return RULE_LABELS.get(rule, rule)


def _details(details: dict[str, int]) -> str:
    return "；".join(f"{_e(DETAIL_LABELS.get(code, code))} {n}" for code, n in details.items())


def _status(result: dict[str, Any]) -> str:
    if not result["blocked"]:
        return '<span class="ok">通过</span>'
    reasons = "、".join(_e(CHECK_LABELS.get(c, c)) for c in result["blocking_checks"])
    return f'<span class="bad">阻断</span>（未通过：{reasons}；本批次未发布）'


def _scores_table(result: dict[str, Any]) -> str:
    head = "".join(f"<th>{label}</th>" for label in DIMENSION_LABELS.values())
    cells = "".join(_score_cell(result[d]) for d in DIMENSION_LABELS)
    return f"<table><tr>{head}</tr><tr>{cells}</tr></table>"


def _rules_table(result: dict[str, Any]) -> str:
    rules = result["failing_rules"]
    if not rules:
        return '<p class="ok">本批次未发现不符合规则的记录。</p>'
    rows = "".join(
        f"<tr><td>{_e(_rule_label(r['rule']))}</td><td>{_e(r.get('column_label') or r['column'])}</td>"
        f"<td>{_e(DIMENSION_LABELS.get(r['dimension'], r['dimension']))}</td>"
        f'<td>{_e(SEVERITY_LABELS.get(r["severity"], r["severity"]))}</td><td class="num">{int(r["count"])}</td>'
        f"<td>{_e('、'.join(str(int(n)) for n in r['examples']))}</td><td>{_details(r['details'])}</td></tr>"
        for r in rules
    )
    return (
        "<table><tr><th>规则</th><th>字段</th><th>维度</th><th>处理</th><th>记录数</th><th>示例行号</th>"
        f"<th>原因细分</th></tr>{rows}</table>"
    )


def _check_text(check: dict[str, Any]) -> str:
    """The failed check in Chinese, from its metadata (counts and ratios only)."""
    meta = dict(check["metadata"])
    name = check["name"]
    if name == "timeliness":
        if "overdue_hours" not in meta:
            return "没有有效的业务日期，无法判断及时性"
        meta["overdue_days"] = meta["overdue_hours"] / 24
    try:
        return CHECK_TEXTS[name].format(**meta)
    except (KeyError, ValueError):
        return check["description"]


def _checks_list(result: dict[str, Any]) -> str:
    failed = [c for c in result["checks"] if not c["passed"]]
    if not failed:
        return ""
    items = "".join(
        f"<li>{_e(CHECK_LABELS.get(c['name'], c['name']))}（{'阻断' if c['blocking'] else '警示'}）："
        f"{_e(_check_text(c))}</li>"
        for c in failed
    )
    return f"<p>未通过的检查：</p><ul>{items}</ul>"


def _trend_table(history: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{label}</th>" for label in DIMENSION_LABELS.values())
    rows = "".join(
        f"<tr><td>{_when(r['evaluated_at'])}</td><td>{_e(r['load_id'])}</td>"
        + "".join(_score_cell(r[d]) for d in DIMENSION_LABELS)
        + f'<td class="num">{_pct(r["load_quarantined"] / r["load_rows"] if r["load_rows"] else 0)}</td>'
        f"<td>{'阻断' if r['blocked'] else '通过'}</td></tr>"
        for r in reversed(history[-TREND_LOADS:])
    )
    return f"<table><tr><th>评估时间</th><th>批次</th>{head}<th>隔离比例</th><th>结论</th></tr>{rows}</table>"


def _dataset_section(history: list[dict[str, Any]]) -> str:
    latest = history[-1]
    skipped = "".join(f"<li>{_e(s)}</li>" for s in latest["skipped_rules"])
    return (
        f"<h3>{_e(latest['dataset_title'])}（{_e(latest['dataset_id'])}）</h3>"
        f"<p>最近批次 {_e(latest['load_id'])}，评估于 {_when(latest['evaluated_at'])}：{_status(latest)}</p>"
        f"<p>本批次 {int(latest['load_rows'])} 行，其中隔离 {int(latest['load_quarantined'])} 行，"
        f"标识规范化（全角、空格、连字符）{int(latest['rows_normalized'])} 处，"
        f"经更正后释放 {int(latest['rows_released'])} 行。</p>"
        + _scores_table(latest)
        + _checks_list(latest)
        + "<h4>不符合规则的记录</h4>"
        + _rules_table(latest)
        + (f'<p class="note">未执行的规则：</p><ul class="note">{skipped}</ul>' if skipped else "")
        + "<h4>历次评估趋势</h4>"
        + _trend_table(history)
    )


def _agency_section(rows: list[dict[str, Any]]) -> str:
    by_dataset: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_dataset[row["dataset_id"]].append(row)
    first = rows[0]
    body = "".join(_dataset_section(history) for _, history in sorted(by_dataset.items()))
    return f"<h2>{_e(first['provider_name'])}（{_e(first['provider_code'])}）</h2>{body}"


def render(rows: list[dict[str, Any]], agency: str | None, generated_at: datetime) -> str:
    """The scorecard page for the given result rows (oldest first)."""
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_agency[row["provider_code"]].append(row)
    title = "公共数据质量评分卡" + (f" — {by_agency[agency][0]['provider_name']}" if agency in by_agency else "")
    body = "".join(_agency_section(r) for _, r in sorted(by_agency.items())) or "<p>暂无质量评估记录。</p>"
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{_e(title)}</h1>"
        f'<p class="note">依据《德清县公共数据管理办法》第十条，提供机构对所提供数据的完整性、准确性、及时性、'
        f"唯一性和一致性负责。生成时间 {generated_at:%Y-%m-%d %H:%M} UTC。</p>{body}"
        '<p class="note">说明：评分为本批次未违反该维度规则的记录占比（及时性按声明的更新周期计算）。'
        "示例行号为贵单位报送文件中的行号（表头为第1行）。本报告不含任何数据原值。"
        "被隔离的记录在更正后重新报送即可释放。</p></body></html>"
    )


def write_scorecard(con: duckdb.DuckDBPyConnection, reports_dir: Path, agency: str | None = None) -> Path:
    """Write the scorecard of one agency (or all) under `reports_dir/quality/` and return its path."""
    if agency is not None and not _AGENCY_CODE.fullmatch(agency):
        raise ValueError(f"{agency!r} is not an agency code (lowercase letters, digits, '_')")
    page = render(results(con, agency), agency, datetime.now(UTC))
    target = reports_dir / "quality" / f"scorecard-{agency or 'all'}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target
