"""Free-text redaction accuracy on the labeled lines of `bench/data/text_eval.jsonl`.

    .venv/bin/python -m bench.eval_text               # evaluate the committed set
    .venv/bin/python -m bench.eval_text --regenerate  # rewrite it first (fixed seed: same lines)
    .venv/bin/python -m bench.eval_text --errors      # also list misses and false alarms

A predicted span matches a labeled one of the same entity when they overlap on at least half of the
longer of the two (exact matches are counted too). Reported per entity: precision and recall; per kind
of line (admin, prose_dev, prose_holdout, prose_template, negative): recall; and the share of lines
without personal data that `redact_texts` altered. `prose_holdout` lines were written after the
recognizers were tuned and never tuned on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

if not __package__:  # run as a file: the repository root, not bench/ (bench/desensitize.py), goes first
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.text_corpus import eval_lines
from desensitize.text import Span, find_spans

DATA = Path(__file__).parent / "data" / "text_eval.jsonl"
TARGETS = {"checksum_and_phones": 0.995, "names_addresses_admin": 0.95, "negatives_altered": 0.01}
KINDS = ("admin", "prose_dev", "prose_holdout", "prose_template", "negative")
CHECKSUM_AND_PHONES = ("CN_RESIDENT_ID", "CN_BANK_CARD", "CN_USCC", "CN_MOBILE_PHONE", "CN_LANDLINE_PHONE")


def _matches(gold: dict, span: Span) -> bool:
    overlap = min(gold["end"], span.end) - max(gold["start"], span.start)
    longest = max(gold["end"] - gold["start"], span.end - span.start)
    return gold["type"] == span.entity and overlap * 2 >= longest


def _score_line(line: dict, spans: list[Span], tally: Counter, errors: list[str]) -> None:
    used: set[int] = set()
    for gold in line["spans"]:
        hit = next((i for i, s in enumerate(spans) if i not in used and _matches(gold, s)), None)
        key = gold["type"]
        tally[key, "gold"] += 1
        tally[line["kind"], "gold"] += 1
        tally[line["kind"], key, "gold"] += 1
        if hit is None:
            errors.append(f"MISS {key:<18} {line['text'][gold['start'] : gold['end']]!r} in {line['text']}")
            continue
        used.add(hit)
        tally[key, "tp"] += 1
        tally[line["kind"], "tp"] += 1
        tally[line["kind"], key, "tp"] += 1
        exact = (spans[hit].start, spans[hit].end) == (gold["start"], gold["end"])
        tally[key, "exact"] += exact
    for i, span in enumerate(spans):
        tally[span.entity, "pred"] += 1
        if i not in used:
            errors.append(f"FALSE {span.entity:<18} {line['text'][span.start : span.end]!r} in {line['text']}")


def evaluate(lines: list[dict]) -> tuple[Counter, list[str]]:
    tally: Counter = Counter()
    errors: list[str] = []
    for line, spans in zip(lines, find_spans([line["text"] for line in lines]), strict=True):
        _score_line(line, spans, tally, errors)
        if not line["spans"]:
            tally["negative_lines"] += 1
            tally["negative_altered"] += bool(spans)
    return tally, errors


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def report(tally: Counter) -> list[str]:
    entities = sorted(
        {k[0] for k in tally if isinstance(k, tuple) and len(k) == 2 and k[1] in ("gold", "pred")} - set(KINDS)
    )
    rows = [f"{'entity':<18} {'gold':>5} {'pred':>5} {'precision':>9} {'recall':>7} {'exact':>6}"]
    for e in entities:
        gold, pred, tp = tally[e, "gold"], tally[e, "pred"], tally[e, "tp"]
        rows.append(
            f"{e:<18} {gold:>5} {pred:>5} {_ratio(tp, pred):>9.3f} {_ratio(tp, gold):>7.3f} {tally[e, 'exact']:>6}"
        )
    rows.append("")
    for kind in KINDS:
        rows.append(
            f"recall on {kind:<15} {_ratio(tally[kind, 'tp'], tally[kind, 'gold']):.3f} ({tally[kind, 'gold']} spans)"
        )
        for e in ("PERSON", "CN_ADDRESS"):
            gold = tally[kind, e, "gold"]
            if gold:
                rows.append(f"    {e:<15} {_ratio(tally[kind, e, 'tp'], gold):.3f} ({gold})")
    altered = _ratio(tally["negative_altered"], tally["negative_lines"])
    rows.append(
        f"lines without personal data altered: {tally['negative_altered']}/{tally['negative_lines']} = {altered:.2%}"
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true", help="rewrite the labeled set (fixed seed)")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    if args.regenerate or not DATA.exists():
        DATA.parent.mkdir(parents=True, exist_ok=True)
        with DATA.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in eval_lines())
    lines = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    tally, errors = evaluate(lines)
    print(f"{len(lines)} lines, {Counter(line['kind'] for line in lines)}")
    print("\n".join(report(tally)))
    if args.errors:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
