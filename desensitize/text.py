"""Free-text redaction (备注, 描述 …) with the recognizers of `desensitize.registry`, fast.

Presidio runs every recognizer on every cell (~3k cells/s). Most cells of a free-text column hold no
digit run, no surname followed by a CJK character and no address word, so the work is split:

1. **vectorized prefilter**: each recognizer's `candidate_expr` (a necessary condition for any of its
   matches: its `PREFILTER` regex; for names, everyday words such as 金额 are blanked first) is
   evaluated by Polars over the whole column, giving per cell the set of recognizers that could match;
2. **per-span work** only there: the selected recognizers' `find` (the same patterns and validators as
   in Presidio's path, with validation memoized per span text), then overlap resolution;
3. **both cores** for large inputs (20,000 distinct candidate texts or more): the caller analyzes one
   share and a forked worker the other; small inputs stay in-process.

Overlaps between recognizers are resolved here, in both paths: a checksum-confirmed span beats any other,
then the longer span, then the higher score, then the entity listed first in `RECOGNIZER_CLASSES`.
`presidio_redact` is the plain BatchAnalyzerEngine + AnonymizerEngine path with the same recognizers,
kept as the benchmark baseline and as a cross-check in the tests.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
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
PARALLEL_MIN_CANDIDATES = 20_000
MAX_PROCESSES = 2


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


def resolve_overlaps(hits: Sequence[Hit]) -> list[Span]:
    """Keep non-overlapping spans: checksum first, then longest, highest score, entity precedence."""
    if len(hits) <= 1:
        return [Span(*h) for h in hits]
    by_start = sorted(hits, key=lambda h: (h[1], h[2]))
    if all(a[2] <= b[1] for a, b in pairwise(by_start)):
        return [Span(*h) for h in by_start]
    checksum, precedence = _ranking()
    ranked = sorted(hits, key=lambda h: (h[0] not in checksum, h[1] - h[2], -h[3], precedence[h[0]], h[1]))
    kept: list[Hit] = []
    for hit in ranked:
        if all(hit[2] <= k[1] or hit[1] >= k[2] for k in kept):
            kept.append(hit)
    return sorted((Span(*h) for h in kept), key=lambda s: s.start)


def _candidates(series: pl.Series) -> pl.DataFrame:
    """Distinct texts that some recognizer could match: `t`, the recognizer bit `mask`, their `rows`."""
    flags = [
        rec.candidate_expr(pl.col("t")).fill_null(False).cast(pl.UInt32) * (1 << i)
        for i, rec in enumerate(recognizers())
    ]
    frame = pl.DataFrame({"t": series}).with_row_index("row").with_columns(mask=pl.sum_horizontal(flags))
    candidates = (
        frame.filter(pl.col("mask") > 0).group_by("t", maintain_order=True).agg(pl.col("row"), pl.first("mask"))
    )
    clean = pl.col("t").str.replace_all(SEP, " ", literal=True)
    return candidates.with_columns(clean=clean, folded=clean.str.replace_many(WIDE_TO_NARROW))


def _spans_of_chunk(clean: list[str], folded: list[str], masks: list[int]) -> list[list[Span]]:
    """Spans of distinct texts (`SEP` replaced by a space; `folded` through `fold_width`). Each recognizer
    runs once over the texts it is selected for, joined by `SEP` (no pattern or name rule crosses it,
    context windows stop at it), so the per-text cost of a Python call disappears and the regex engine
    scans one long string."""
    hits: list[list[Hit]] = [[] for _ in clean]
    for bit, rec in enumerate(recognizers()):
        rows = [k for k, mask in enumerate(masks) if mask >> bit & 1]
        if not rows:
            continue
        starts = list(accumulate((len(clean[k]) + 1 for k in rows[:-1]), initial=0))
        joined, joined_folded = SEP.join(clean[k] for k in rows), SEP.join(folded[k] for k in rows)
        for start, end, score in rec.find(joined, joined_folded):
            if score >= SCORE_THRESHOLD:
                at = bisect_right(starts, start) - 1
                hits[rows[at]].append((rec.ENTITY, start - starts[at], end - starts[at], score))
    return [resolve_overlaps(h) for h in hits]


def _plain_spans_of_chunk(clean: list[str], folded: list[str], masks: list[int]) -> list[tuple[Hit, ...]]:
    """`_spans_of_chunk` as plain tuples, which cross a process boundary several times faster."""
    with _collector_paused():
        return [
            tuple((s.entity, s.start, s.end, s.score) for s in spans) for spans in _spans_of_chunk(clean, folded, masks)
        ]


def _warm() -> None:
    for rec in recognizers():
        rec.load()


def _cores() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_PROCESSES))


@cache
def _pool() -> ProcessPoolExecutor:
    """Workers for all cores but the caller's. On Linux they are forked from this process after the
    lexicons are loaded, so they start at once with warm lexicons; they run only the pure-Python `find`
    code, never Polars, whose threads do not survive a fork. Elsewhere they are spawned and load the
    lexicons themselves."""
    _warm()
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    return ProcessPoolExecutor(max_workers=max(1, _cores() - 1), mp_context=context, initializer=_warm)


def _run(candidates: pl.DataFrame, parallel: bool | None) -> list[list[Span]]:
    """Spans of the distinct candidate texts; in parallel, the caller works on the first share while
    workers do the rest (one share per core), so only the workers' shares cross a process boundary."""
    columns = [candidates[c].to_list() for c in ("clean", "folded", "mask")]
    n = candidates.height
    if parallel is None:
        parallel = n >= PARALLEL_MIN_CANDIDATES and _cores() > 1
    if not parallel or n < 2:
        return _spans_of_chunk(*columns)
    size = -(-n // max(2, _cores()))
    shares = [[col[i : i + size] for col in columns] for i in range(0, n, size)]
    futures = [_pool().submit(_plain_spans_of_chunk, *share) for share in shares[1:]]
    first = _spans_of_chunk(*shares[0])
    return first + [[Span(*h) for h in hits] for future in futures for hits in future.result()]


def _as_series(texts: Sequence[str | None] | pl.Series) -> pl.Series:
    return texts if isinstance(texts, pl.Series) else pl.Series("t", list(texts), dtype=pl.String)


def _spans_by_row(series: pl.Series, parallel: bool | None) -> dict[int, list[Span]]:
    """Spans of every row where something was found (distinct texts analyzed once)."""
    candidates = _candidates(series)
    if candidates.is_empty():
        return {}
    found = _run(candidates, parallel)
    return {row: spans for rows, spans in zip(candidates["row"].to_list(), found, strict=True) if spans for row in rows}


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
    """
    with _collector_paused():
        series = _as_series(texts)
        by_row = _spans_by_row(series, parallel)
        return [by_row.get(row, []) for row in range(len(series))]


def apply_spans(text: str, spans: Sequence[Span], operator: str = "tag") -> str:
    """Replace each span by `<ENTITY>` (tag) or by as many `*` as it has characters (mask)."""
    if operator not in OPERATORS:
        raise ValueError(f"unknown operator {operator!r}; use one of {OPERATORS}")
    parts, last = [], 0
    for span in spans:
        parts += [
            text[last : span.start],
            f"<{span.entity}>" if operator == "tag" else MASK_CHAR * (span.end - span.start),
        ]
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def redact_texts(texts: Sequence[str | None], operator: str = "tag", parallel: bool | None = None) -> list[str | None]:
    """Desensitized copies of `texts`: every detected value tagged (`<CN_MOBILE_PHONE>`) or masked."""
    spans = find_spans(texts, parallel)
    return [t if t is None or not s else apply_spans(t, s, operator) for t, s in zip(texts, spans, strict=True)]


def redact_series(s: pl.Series, operator: str = "tag") -> pl.Series:
    """A free-text column with every detected value tagged or masked (nulls stay null, name kept)."""
    series = s.cast(pl.String)
    with _collector_paused():
        by_row = _spans_by_row(series, None)
    if not by_row:
        return series
    rows = sorted(by_row)
    texts = series.gather(rows).to_list()
    return series.scatter(rows, [apply_spans(t, by_row[r], operator) for r, t in zip(rows, texts, strict=True)])


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
