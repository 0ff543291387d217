"""Throughput of free-text redaction: `redact_texts` against Presidio's own path with the same recognizers.

    .venv/bin/python -m bench.redact_text                        # 20k notes; Presidio on a 2k subset
    .venv/bin/python -m bench.redact_text --rows 200000 --personal 0.3

The notes are a generated 备注 column (`bench.text_corpus.notes`): by default 10% with personal data,
15% look-alikes (order numbers, amounts, timestamps, places, items), the rest boilerplate remarks and
2% nulls; `--personal` and `--lookalike` change the mix (Presidio's cost per row hardly depends on it,
ours does). Both paths produce the same text (checked on the baseline subset). Loading the
recognizers (jieba's dictionary, the division names) is timed apart; the fast path is timed on notes
it has not seen (its validation memo is warm only from a separate warm-up set). Times are wall clock
and, for the one-process runs, CPU time too (the machine is shared). Peak memory is the max RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

if not __package__:  # run as a file: the repository root, not bench/ (bench/desensitize.py), goes first
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.text_corpus import notes
from desensitize.registry import recognizers
from desensitize.text import presidio_redact, redact_texts


def _timed(func, *args, **kwargs) -> tuple[object, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start, time.process_time() - cpu


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--personal", type=float, default=0.1, help="share of notes with personal data")
    parser.add_argument("--lookalike", type=float, default=0.15, help="share of notes with look-alikes")
    args = parser.parse_args(argv)
    texts = notes(args.rows, personal_share=args.personal, lookalike_share=args.lookalike)
    other = notes(args.rows, seed=1, personal_share=args.personal, lookalike_share=args.lookalike)
    subset = texts[: args.baseline_rows]

    _, load, _ = _timed(lambda: [r.load() for r in recognizers()])
    redact_texts(other[:500])
    presidio_redact(other[:50])
    ours, ours_s, ours_cpu = _timed(redact_texts, texts, parallel=False)
    _, pool_cold_s, _ = _timed(redact_texts, other, parallel=True)
    _, pool_s, _ = _timed(redact_texts, texts, parallel=True)
    theirs, theirs_s, theirs_cpu = _timed(presidio_redact, subset)

    n, m = len(texts), len(subset)
    print(f"notes: {n:,} ({args.personal:.0%} personal, {args.lookalike:.0%} look-alikes); load {load:.2f} s once")
    print(f"redact_texts, one process:  {n / ours_s:>9,.0f} rows/s wall, {n / ours_cpu:>9,.0f} rows/s CPU")
    print(f"redact_texts, two processes: {n / pool_s:>8,.0f} rows/s wall ({pool_cold_s:.2f} s with pool start)")
    print(f"presidio_redact (baseline): {m / theirs_s:>9,.0f} rows/s wall, {m / theirs_cpu:>9,.0f} rows/s CPU")
    print(
        f"ratio one process / Presidio: {theirs_s / m * n / ours_s:.1f}x wall, {theirs_cpu / m * n / ours_cpu:.1f}x CPU"
    )
    print(f"ratio two processes / Presidio (one process): {theirs_s / m * n / pool_s:.1f}x wall")
    print(f"same output on the baseline subset: {ours[:m] == theirs}")
    print(f"peak memory (max RSS, this process or a worker): {_peak_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
