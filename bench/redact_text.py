"""Throughput of free-text redaction: `redact_texts` against Presidio's own path with the same recognizers.

    .venv/bin/python -m bench.redact_text                        # 20k notes; Presidio on a 2k subset
    .venv/bin/python -m bench.redact_text --rows 200000 --personal 0.3 --repeat 1

The notes are a generated 备注 column (`bench.text_corpus.notes`): by default 10% with personal data,
15% look-alikes (order numbers, amounts, timestamps, places, items), the rest boilerplate remarks and
2% nulls; `--personal` and `--lookalike` change the mix (Presidio's cost per row hardly depends on it,
ours does). Both paths produce the same text (checked on the baseline subset), and the two-process
run the same as the one-process one. Loading the recognizers (jieba's dictionary, the division
names) is timed apart. Every timed run of the fast path is on notes it has not seen (fresh notes per
repetition; before the first, its memos are warm only from a separate warm-up set, and they carry
over from run to run as they do from batch to batch), and each Presidio run follows ours on the same
notes. Each figure is the best of `--repeat` runs (the machine is shared; the first one-process run
is printed too): wall clock, and CPU time of this process (plus the worker's, for the two-process
runs, read from /proc on Linux).
Peak memory is the max RSS of this process or a worker.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

if not __package__:  # run as a file: the repository root, not bench/ (bench/desensitize.py), goes first
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import warehouse.allocator  # noqa: F401 - first: Polars' allocator reads its settings when Polars loads

# isort: split
from bench.text_corpus import notes
from desensitize import text as fast
from desensitize.registry import recognizers
from desensitize.text import presidio_redact, redact_texts

SEED = 20261126


def _worker_cpu() -> float:
    """CPU seconds used so far by the pool's worker processes (0 when unknown)."""
    pool = fast._pool() if fast._pool.cache_info().currsize else None
    total = 0.0
    for pid in getattr(pool, "_processes", None) or {}:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _timed(func, *args, **kwargs) -> tuple[object, float, float]:
    start, cpu, workers = time.perf_counter(), time.process_time(), _worker_cpu()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start, time.process_time() - cpu + _worker_cpu() - workers


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children, *_worker_rss_kib()) / 1024


def _worker_rss_kib() -> list[int]:
    pool = fast._pool() if fast._pool.cache_info().currsize else None
    peaks = []
    for pid in getattr(pool, "_processes", None) or {}:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
    return peaks


def _same(what: str, a: list[str | None], b: list[str | None], seed: int) -> None:
    """Stop when two outputs differ, naming the rows and the notes' seed (never the texts themselves)."""
    rows = [k for k, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if rows:
        raise SystemExit(f"{what} outputs differ on rows {rows[:20]} of the notes with seed {seed}")


def _runs(args: argparse.Namespace) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) of each timed run, by path; also checks that the paths agree."""
    mix = {"personal_share": args.personal, "lookalike_share": args.lookalike}
    runs: dict[str, list[tuple[float, float]]] = {"one": [], "two": [], "presidio": []}
    for rep in range(args.repeat):
        texts = notes(args.rows, seed=SEED + 1 + rep, **mix)
        ours, wall, cpu = _timed(redact_texts, texts, parallel=False)
        theirs, p_wall, p_cpu = _timed(presidio_redact, texts[: args.baseline_rows])
        _same("the fast path and Presidio's", ours[: args.baseline_rows], theirs, SEED + 1 + rep)
        runs["one"].append((wall, cpu))
        runs["presidio"].append((p_wall, p_cpu))
    redact_texts(notes(2_000, seed=SEED - 1, **mix), parallel=True)  # starts the pool
    for rep in range(args.repeat):
        texts = notes(args.rows, seed=SEED + 101 + rep, **mix)
        pooled, wall, cpu = _timed(redact_texts, texts, parallel=True)
        _same("the two-process and one-process runs", pooled, redact_texts(texts, parallel=False), SEED + 101 + rep)
        runs["two"].append((wall, cpu))
    return runs


def _default_path(args: argparse.Namespace) -> str:
    """Which of the two paths `redact_texts` takes for notes like these when not told (parallel=None)."""
    texts = notes(args.rows, seed=SEED + 1, personal_share=args.personal, lookalike_share=args.lookalike)
    candidates = fast._candidates(fast._as_series(texts)).height
    two = candidates >= fast.PARALLEL_MIN_CANDIDATES
    sign = ">=" if two else "<"
    return (
        f"default path for these notes: {'two processes' if two else 'one process'} "
        f"({candidates:,} distinct candidate texts {sign} {fast.PARALLEL_MIN_CANDIDATES:,})"
    )


def _best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The shortest wall time and the shortest CPU time (not necessarily of the same run)."""
    return min(w for w, _ in runs), min(c for _, c in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--personal", type=float, default=0.1, help="share of notes with personal data")
    parser.add_argument("--lookalike", type=float, default=0.15, help="share of notes with look-alikes")
    parser.add_argument("--repeat", type=int, default=3, help="runs per path; the best is reported")
    args = parser.parse_args(argv)

    _, load, _ = _timed(lambda: [r.load() for r in recognizers()])
    warm = notes(500, seed=SEED, personal_share=args.personal, lookalike_share=args.lookalike)
    redact_texts(warm)
    presidio_redact(warm[:50])
    runs = _runs(args)
    (wall1, cpu1), (wall2, cpu2), (p_wall, p_cpu) = (_best(runs[k]) for k in ("one", "two", "presidio"))
    n, m = args.rows, args.baseline_rows
    first_wall, first_cpu = runs["one"][0]
    print(f"notes: {n:,} ({args.personal:.0%} personal, {args.lookalike:.0%} look-alikes); load {load:.2f} s once")
    print(f"best of {args.repeat} runs, each on fresh notes (memos carry over from run to run, as batch to batch)")
    print(f"redact_texts, one process:   {n / wall1:>9,.0f} rows/s wall, {n / cpu1:>9,.0f} rows/s CPU")
    print(
        f"  first run (memos warm from the warm-up only): {n / first_wall:,.0f} rows/s wall, {n / first_cpu:,.0f} CPU"
    )
    print(f"redact_texts, two processes: {n / wall2:>9,.0f} rows/s wall, {n / cpu2:>9,.0f} rows/s CPU (both)")
    print(f"presidio_redact (baseline):  {m / p_wall:>9,.0f} rows/s wall, {m / p_cpu:>9,.0f} rows/s CPU")
    print(f"ratio one process / Presidio: {p_wall / m * n / wall1:.1f}x wall, {p_cpu / m * n / cpu1:.1f}x CPU")
    print(f"ratio two processes / Presidio (one process): {p_wall / m * n / wall2:.1f}x wall")
    print(_default_path(args))
    print("same output: fast path = Presidio on the baseline subsets, two processes = one process")
    print(f"peak memory (max RSS, this process or a worker): {_peak_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
