"""Free-text redaction (备注, 描述 …) with the recognizers of `desensitize.registry`, fast.

Presidio runs every recognizer on every cell (~4k cells/s). Most cells of a free-text column repeat
(boilerplate remarks) or hold no digit run, no surname followed by a CJK character and no address
word, so the work is split:

1. **distinct texts**: each text is analyzed once, however many cells hold it; nulls are skipped;
2. **vectorized prefilter**: each recognizer's `candidate_expr` (a necessary condition for any of its
   matches: its `PREFILTER` regex; for names, everyday words are marked first) is evaluated by Polars
   over the distinct texts, giving per text the set of recognizers that could match. The expressions
   are built once per process, so Polars' regex cache keeps their compiled patterns;
3. **per-span work** only there, one *unit* per recognizer: its selected texts joined by `SEP`, scanned
   by one `find` call (the same patterns and validators as in Presidio's path; validation memoized per
   span text, name decisions per window of characters, see `recognizers.person`); overlaps are then
   resolved per text;
4. **both cores** for large inputs (`PARALLEL_MIN_CANDIDATES` distinct candidate texts or more): the
   candidate texts are cut into one contiguous share per process, of about equal estimated cost
   (characters times `COST_PER_CHAR` of the recognizers each text selects); each process builds its
   units, finds and resolves the hits of its own texts, and only the worker's texts go out and its
   resolved hits come back. (Dealing recognizer units instead left building the units, placing the
   hits back at their texts and resolving overlaps to the caller alone: 200k notes took 1.13 s
   instead of 0.98 s.) On Linux the worker is forked from the caller once the lexicons are loaded
   (see `_pool`); it runs pure-Python code only, never Polars.

The result for a text never depends on the other texts of the batch, on the process or on the memos:
every pattern, context window and name decision treats `SEP` as a text bound.

Overlaps between recognizers are resolved here, in both paths: a checksum-confirmed span beats any other,
then the longer span, then the higher score, then the entity listed first in `RECOGNIZER_CLASSES`.
`presidio_redact` is the plain BatchAnalyzerEngine + AnonymizerEngine path with the same recognizers,
kept as the benchmark baseline and as a cross-check in the tests.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, pairwise

import polars as pl
from presidio_analyzer import BatchAnalyzerEngine, RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from desensitize.recognizers.base import SEP, WIDE_TO_NARROW
from desensitize.registry import SCORE_THRESHOLD, build_analyzer, recognizers

OPERATORS = ("tag", "mask")
MASK_CHAR = "*"
# Measured on `bench.text_corpus` notes (2026-11-27, best of 5): one process is faster up to ~10k notes
# (~2.2k candidate texts), two are faster from ~15k (7 %; 20k: 15-25 %; 30k: 31 %). Below, the hand-off
# (texts out, hits back, ~10 ms) costs more than the second core saves.
PARALLEL_MIN_CANDIDATES = 3_000
MAX_PROCESSES = 2
# Rough CPU cost of a recognizer per character scanned (µs, cold memos, on `bench.text_corpus` notes),
# to share the work between processes.
COST_PER_CHAR = {"PERSON": 0.5, "CN_ADDRESS": 0.5}
DEFAULT_COST_PER_CHAR = 0.15


@dataclass(frozen=True, slots=True)
class Span:
    """One detected value: entity name, offsets in the input text (end exclusive) and score."""

    entity: str
    start: int
    end: int
    score: float


Hit = tuple[str, int, int, float]


@cache
def _ranking() -> tuple[frozenset[str], dict[str, int]]:
    recs = recognizers()
    return frozenset(r.ENTITY for r in recs if r.CHECKSUM), {r.ENTITY: i for i, r in enumerate(recs)}


def _resolve(hits: Sequence[Hit]) -> list[Hit]:
    """Non-overlapping hits sorted by start: checksum first, then longest, highest score, precedence."""
    if len(hits) <= 1:
        return list(hits)
    if len(hits) == 2:
        a, b = hits
        if a[2] <= b[1] or b[2] <= a[1]:
            return [a, b] if (a[1], a[2]) <= (b[1], b[2]) else [b, a]
    by_start = sorted(hits, key=lambda h: (h[1], h[2]))
    if all(a[2] <= b[1] for a, b in pairwise(by_start)):
        return by_start
    checksum, precedence = _ranking()
    ranked = sorted(hits, key=lambda h: (h[0] not in checksum, h[1] - h[2], -h[3], precedence[h[0]], h[1]))
    kept: list[Hit] = []
    for hit in ranked:
        if all(hit[2] <= k[1] or hit[1] >= k[2] for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h[1])


def resolve_overlaps(hits: Sequence[Hit]) -> list[Span]:
    """Keep non-overlapping spans: checksum first, then longest, highest score, entity precedence."""
    return [Span(*h) for h in _resolve(hits)]


@cache
def _mask_expr() -> pl.Expr:
    """Per text, bit i set where recognizer i could match (built once: the patterns stay compiled)."""
    flags = [
        rec.candidate_expr(pl.col("t")).fill_null(False).cast(pl.UInt32) * (1 << i)
        for i, rec in enumerate(recognizers())
    ]
    return pl.sum_horizontal(flags).alias("mask")


def _candidates(series: pl.Series) -> pl.DataFrame:
    """Distinct texts that some recognizer could match: `t`, the recognizer bits `mask` and `folded`
    (`SEP` replaced by a space, then through `fold_width`)."""
    distinct = series.drop_nulls().unique(maintain_order=True).rename("t").to_frame()
    candidates = distinct.with_columns(_mask_expr()).filter(pl.col("mask") > 0)
    folded = pl.col("t").str.replace_all(SEP, " ", literal=True).str.replace_many(WIDE_TO_NARROW)
    return candidates.with_columns(folded=folded)


@dataclass(frozen=True, slots=True)
class _Unit:
    """One recognizer over some candidate texts: their positions in the candidate list (`rows`),
    each text's start in `joined` (the texts joined by `SEP`), and the width-folded copy of `joined`
    (the same object when folding changes nothing)."""

    recognizer: int
    rows: list[int]
    starts: list[int]
    joined: str
    folded: str


def _units(clean: list[str], folded: list[str], masks: list[int]) -> list[_Unit]:
    """One unit per recognizer that some text selects (texts in candidate order)."""
    by_mask: dict[int, list[int]] = {}
    for k, mask in enumerate(masks):
        by_mask.setdefault(mask, []).append(k)
    units = []
    for bit in range(len(recognizers())):
        rows = sorted(k for mask, ks in by_mask.items() if mask >> bit & 1 for k in ks)
        if rows:
            texts = [clean[k] for k in rows]
            starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
            joined, joined_folded = SEP.join(texts), SEP.join([folded[k] for k in rows])
            units.append(_Unit(bit, rows, starts, joined, joined if joined_folded == joined else joined_folded))
    return units


def _shares(clean: list[str], masks: list[int], parts: int) -> list[tuple[int, int]]:
    """`parts` contiguous (start, stop) ranges of the texts, of about equal estimated cost."""
    per_bit = [COST_PER_CHAR.get(rec.ENTITY, DEFAULT_COST_PER_CHAR) for rec in recognizers()]
    per_mask = {m: sum(c for bit, c in enumerate(per_bit) if m >> bit & 1) for m in set(masks)}
    costs = list(accumulate(len(t) * per_mask[m] for t, m in zip(clean, masks, strict=True)))
    total = costs[-1] if costs else 0.0
    cuts = [0, *(bisect_left(costs, total * part / parts) for part in range(1, parts)), len(clean)]
    return list(pairwise(cuts))


def _find(units: list[_Unit]) -> list[list[tuple[int, int, float]]]:
    """Each unit's hits (start, end, score) at or above the threshold in its joined texts: the regex
    engine scans one long string, and no Python call is made per text."""
    recs = recognizers()
    return [
        [h for h in recs[u.recognizer].find(u.joined, u.folded, SCORE_THRESHOLD) if h[2] >= SCORE_THRESHOLD]
        for u in units
    ]


def _collect(unit: _Unit, found: list[tuple[int, int, float]], hits: dict[int, list[Hit]]) -> None:
    """Hits of a unit's joined texts, back at their texts (offsets within each text)."""
    entity, starts, rows = recognizers()[unit.recognizer].ENTITY, unit.starts, unit.rows
    for start, end, score in found:
        at = bisect_right(starts, start) - 1
        hits.setdefault(rows[at], []).append((entity, start - starts[at], end - starts[at], score))


def _resolved(clean: list[str], folded: list[str | None], masks: list[int]) -> dict[int, list[Hit]]:
    """Resolved hits per position of the texts with any, in this process; `folded` None where folding
    changes nothing. Pure Python: this is what a worker runs."""
    folded = [c if f is None else f for c, f in zip(clean, folded, strict=True)]
    with _collector_paused():
        units = _units(clean, folded, masks)
        hits: dict[int, list[Hit]] = {}
        for unit, found in zip(units, _find(units), strict=True):
            _collect(unit, found, hits)
        return {k: _resolve(h) for k, h in hits.items()}


def _submit(clean: list[str], folded: list[str | None], masks: list[int]) -> Future:
    """A share of the texts sent to a worker (to a new pool if a worker of the current one has died)."""
    try:
        return _pool().submit(_resolved, clean, folded, masks)
    except BrokenProcessPool:
        _drop_pool()
        return _pool().submit(_resolved, clean, folded, masks)


def _result(future: Future, share: tuple[list[str], list[str | None], list[int]]) -> dict[int, list[Hit]]:
    """A worker's resolved hits; if the worker died meanwhile, its share is done here."""
    try:
        return future.result()
    except BrokenProcessPool:
        _drop_pool()
        return _resolved(*share)


def _drop_pool() -> None:
    if _pool.cache_info().currsize:
        _pool().shutdown(wait=False, cancel_futures=True)
        _pool.cache_clear()


def _hits(clean: list[str], folded: list[str], masks: list[int], parts: int) -> dict[int, list[Hit]]:
    """Resolved hits per candidate position, for the texts with any. With several parts, the workers'
    shares are sent first (texts out, resolved hits back; `folded` only where it differs) and the
    caller resolves its own share meanwhile."""
    (a, b), *others = _shares(clean, masks, parts)
    sent = []
    for start, stop in others:
        if stop > start:
            texts = clean[start:stop]
            changed = [f if f != c else None for c, f in zip(texts, folded[start:stop], strict=True)]
            share = (texts, changed, masks[start:stop])
            sent.append((start, share, _submit(*share)))
    hits = _resolved(clean[a:b], folded[a:b], masks[a:b])
    for start, share, future in sent:
        hits.update({start + k: h for k, h in _result(future, share).items()})
    return hits


def _spans_of_chunk(clean: list[str], folded: list[str], masks: list[int]) -> list[list[Span]]:
    """Resolved spans of distinct texts (`SEP` replaced by a space; `folded` through `fold_width`)
    with the recognizers of their `masks`, in this process."""
    hits = _resolved(clean, folded, masks)
    return [[Span(*h) for h in hits.get(k, [])] for k in range(len(clean))]


def _warm() -> None:
    for rec in recognizers():
        rec.load()


def _cores() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_PROCESSES))


@cache
def _pool() -> ProcessPoolExecutor:
    """Workers for all cores but the caller's. On Linux they are forked from this process after the
    lexicons are loaded, so they start at once with warm lexicons and memos (and share their memory
    pages); they run only pure-Python code (`_resolved`), never Polars, whose threads and locks do not
    survive a fork (Python 3.11 forks a threaded process silently; 3.12 warns). Elsewhere they are
    spawned and load the lexicons themselves."""
    _warm()
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    return ProcessPoolExecutor(max_workers=max(1, _cores() - 1), mp_context=context, initializer=_warm)


def _run(candidates: pl.DataFrame, parallel: bool | None) -> dict[str, list[Hit]]:
    """Resolved hits of every distinct candidate text where something was found."""
    if parallel is None:
        parallel = candidates.height >= PARALLEL_MIN_CANDIDATES
    texts, folded, masks = (candidates[c].to_list() for c in ("t", "folded", "mask"))
    has_sep = candidates["t"].str.contains(SEP, literal=True).any()
    clean = [t.replace(SEP, " ") for t in texts] if has_sep else texts
    hits = _hits(clean, folded, masks, _cores() if parallel else 1)
    return {texts[k]: h for k, h in hits.items()}


def _as_series(texts: Sequence[str | None] | pl.Series) -> pl.Series:
    return texts if isinstance(texts, pl.Series) else pl.Series("t", list(texts), dtype=pl.String)


def _hits_by_text(series: pl.Series, parallel: bool | None) -> dict[str, list[Hit]]:
    """Resolved hits of every distinct text where something was found."""
    candidates = _candidates(series)
    return {} if candidates.is_empty() else _run(candidates, parallel)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while building many small containers (no cycles are made here): with
    the lexicons and the imported libraries live, each full collection walks ~300k objects, which
    otherwise costs more than the lists it is triggered by."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def find_spans(texts: Sequence[str | None] | pl.Series, parallel: bool | None = None) -> list[list[Span]]:
    """Detected spans per text (empty for None), sorted by start and non-overlapping.

    `parallel=None` uses the process pool only for large inputs; True or False forces the choice.
    Rows holding the same text share one list of spans.
    """
    with _collector_paused():
        series = _as_series(texts)
        by_text = {t: [Span(*h) for h in hits] for t, hits in _hits_by_text(series, parallel).items()}
        return [by_text.get(t, []) for t in series.to_list()]


def _apply(text: str, hits: Sequence[Hit], operator: str) -> str:
    if len(hits) == 1 and operator == "tag":
        entity, start, end, _ = hits[0]
        return f"{text[:start]}<{entity}>{text[end:]}"
    parts, last = [], 0
    for entity, start, end, _ in hits:
        parts += [text[last:start], f"<{entity}>" if operator == "tag" else MASK_CHAR * (end - start)]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def apply_spans(text: str, spans: Sequence[Span], operator: str = "tag") -> str:
    """Replace each span by `<ENTITY>` (tag) or by as many `*` as it has characters (mask)."""
    if operator not in OPERATORS:
        raise ValueError(f"unknown operator {operator!r}; use one of {OPERATORS}")
    return _apply(text, [(s.entity, s.start, s.end, s.score) for s in spans], operator)


def _redactions(series: pl.Series, operator: str, parallel: bool | None) -> dict[str, str]:
    """Redacted copy of every distinct text where something was found."""
    if operator not in OPERATORS:
        raise ValueError(f"unknown operator {operator!r}; use one of {OPERATORS}")
    with _collector_paused():
        return {t: _apply(t, hits, operator) for t, hits in _hits_by_text(series, parallel).items()}


def redact_texts(texts: Sequence[str | None], operator: str = "tag", parallel: bool | None = None) -> list[str | None]:
    """Desensitized copies of `texts`: every detected value tagged (`<CN_MOBILE_PHONE>`) or masked."""
    redacted = _redactions(_as_series(texts), operator, parallel)
    return [redacted.get(t, t) for t in texts]


def redact_series(s: pl.Series, operator: str = "tag") -> pl.Series:
    """A free-text column with every detected value tagged or masked (nulls stay null, name kept)."""
    series = s.cast(pl.String)
    redacted = _redactions(series, operator, None)
    if not redacted:
        return series
    return series.replace(list(redacted), list(redacted.values()))


def presidio_spans(texts: Sequence[str | None]) -> list[list[Span]]:
    """Spans from Presidio's BatchAnalyzerEngine with the same recognizers and overlap resolution."""
    results = BatchAnalyzerEngine(build_analyzer()).analyze_iterator(["" if t is None else t for t in texts], "zh")
    return [resolve_overlaps([(r.entity_type, r.start, r.end, r.score) for r in res]) for res in results]


def presidio_redact(texts: Sequence[str | None], operator: str = "tag") -> list[str | None]:
    """The plain Presidio path: BatchAnalyzerEngine, overlap resolution, AnonymizerEngine."""
    anonymizer = AnonymizerEngine()
    config = {"DEFAULT": OperatorConfig("replace")}
    out: list[str | None] = []
    for text, spans in zip(texts, presidio_spans(texts), strict=True):
        if text is None or not spans:
            out.append(text)
            continue
        if operator == "mask":
            config = {
                "DEFAULT": OperatorConfig(
                    "mask", {"masking_char": MASK_CHAR, "chars_to_mask": len(text), "from_end": False}
                )
            }
        results = [RecognizerResult(s.entity, s.start, s.end, s.score) for s in spans]
        out.append(anonymizer.anonymize(text=text, analyzer_results=results, operators=config).text)
    return out
