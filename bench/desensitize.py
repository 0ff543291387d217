"""Benchmark: our desensitization against presidio-structured and a plain DuckDB copy, same file, same run.

    .venv/bin/python bench/desensitize.py                 # 1,000,000 rows x 10 columns
    .venv/bin/python bench/desensitize.py --rows 100000   # smaller
    .venv/bin/python bench/desensitize.py --destination share_unconditional

A generated table (valid ID numbers and bank cards, names, mobiles, addresses, birth dates, amounts,
18-digit order numbers, townships, timestamps) is written once as Parquet. Each contender then runs in
its own child process, so that its peak memory (ru_maxrss) is its own:

- **ours**: classify a 2,000-row sample against the catalog entry, look the policy up, and stream
  Parquet -> Parquet through `desensitize.safe.write_safe` (100,000-row batches into Polars' sink);
- **presidio-structured** in its fastest configuration: the entity mapping given (no analysis), pandas
  object dtype (`.astype(object)`), mask/replace/hash operators, then `to_parquet`. It runs on a 50,000-row
  subset (`--presidio-rows`) and its time is extrapolated linearly, which the output says;
- **duckdb copy**: `COPY (SELECT * FROM read_parquet(...)) TO ... (FORMAT parquet)`, the floor for
  rewriting the file at all.

Ours also runs once on the table three times over, to show that peak memory does not grow with the
row count.
Ours and the copy run `--repeat` times (the fastest counts: the machine may be shared); presidio once.
Targets: at least 30x presidio-structured, at most 2x the DuckDB copy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# Run as a script, this folder comes first on sys.path and bench/desensitize.py would shadow the
# `desensitize` package: take the folder off the path before any project import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
import warehouse.allocator  # noqa: F401 - first: Polars' allocator reads its settings when Polars loads

# isort: split
import polars as pl

SEED = 20261126
SAMPLE_ROWS = 2000
WEIGHTS = np.array([2 ** (17 - i) % 11 for i in range(17)])
CHECK = np.array(list("10X98765432"))
SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁") + ["欧阳", "司马"])
GIVEN = np.array(list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文辉林海燕萍飞鹏宇浩俊婷雪琳晨欣怡佳"))
TOWNS = np.array(
    [
        "武康街道",
        "舞阳街道",
        "阜溪街道",
        "下渚湖街道",
        "康乾街道",
        "乾元镇",
        "新市镇",
        "洛舍镇",
        "钟管镇",
        "雷甸镇",
        "禹越镇",
        "新安镇",
        "莫干山镇",
    ]
)
ROADS = np.array(["英溪北路", "武源街", "千秋街", "永安街", "塔山街", "志远北路", "曲园南路", "云岫南路"])

COLUMNS = [
    {"name": "resident_id", "aliases": ["身份证号码"], "entity": "CN_RESIDENT_ID", "grade": "L3"},
    {"name": "name", "aliases": ["姓名"], "entity": "PERSON", "grade": "L2"},
    {"name": "mobile", "aliases": ["手机号码"], "entity": "CN_MOBILE_PHONE", "grade": "L3"},
    {"name": "address", "aliases": ["住址"], "entity": "CN_ADDRESS", "grade": "L2"},
    {"name": "birth_date", "aliases": ["出生日期"], "entity": "DATE_OF_BIRTH", "grade": "L2"},
    {"name": "bank_card", "aliases": ["银行卡号"], "entity": "CN_BANK_CARD", "grade": "L3"},
    {"name": "amount", "aliases": ["金额"], "grade": "L1"},
    {"name": "order_no", "aliases": ["订单号"], "grade": "L1"},
    {"name": "township", "aliases": ["所属乡镇"], "grade": "L1"},
    {"name": "event_at", "aliases": ["操作时间"], "grade": "L1"},
]
# presidio-structured has no generalization or suppression: the nearest operator it has.
PRESIDIO_OPERATORS = {
    "CN_RESIDENT_ID": ("mask", {"masking_char": "*", "chars_to_mask": 8, "from_end": False}),
    "PERSON": ("mask", {"masking_char": "*", "chars_to_mask": 2, "from_end": True}),
    "CN_MOBILE_PHONE": ("mask", {"masking_char": "*", "chars_to_mask": 4, "from_end": True}),
    "CN_ADDRESS": ("replace", {"new_value": "<ADDRESS>"}),
    "DATE_OF_BIRTH": ("replace", {"new_value": "<DATE>"}),
    "CN_BANK_CARD": ("hash", {"hash_type": "sha256"}),
}


def dataset():
    from catalog.model import Dataset

    return Dataset.model_validate(
        {
            "id": "bench_people",
            "title": "基准测试表",
            "provider": {"code": "bench", "name": "基准"},
            "data_subject": "自然人",
            "share": {"class": "unconditional"},
            "open": {"class": "unconditional"},
            "format": "parquet",
            "update_frequency": "每日",
            "columns": COLUMNS,
        }
    )


def _digits_to_text(digits: np.ndarray) -> pl.Series:
    """Rows of digit arrays as strings, through one int64 per row (up to 18 digits)."""
    width = digits.shape[1]
    numbers = digits @ (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))
    return pl.Series(numbers).cast(pl.String).str.zfill(width)


def _resident_ids(rng: np.random.Generator, n: int) -> pl.Series:
    days = rng.integers(0, 80 * 365, n)
    born = (np.datetime64("1940-01-01") + days.astype("timedelta64[D]")).astype("datetime64[D]")
    ymd = pl.Series(born).dt.strftime("%Y%m%d")
    region = np.where(rng.random(n) < 0.7, 330521, 110101)
    first17 = pl.Series(region).cast(pl.String) + ymd + pl.Series(rng.integers(0, 1000, n)).cast(pl.String).str.zfill(3)
    digits = np.frombuffer("".join(first17.to_list()).encode(), dtype=np.uint8).reshape(n, 17) - 48
    return first17 + pl.Series(CHECK[(digits @ WEIGHTS) % 11])


def _bank_cards(rng: np.random.Generator, n: int) -> pl.Series:
    digits = np.concatenate([np.tile([6, 2, 2, 2, 0, 2], (n, 1)), rng.integers(0, 10, (n, 12))], axis=1)
    doubled = digits[:, ::-1][:, ::2] * 2
    total = (doubled - 9 * (doubled > 9)).sum(axis=1) + digits[:, ::-1][:, 1::2].sum(axis=1)
    return _digits_to_text(digits) + pl.Series((-total) % 10).cast(pl.String)


def generate(path: Path, rows: int) -> None:
    """The benchmark table, vectorized (a million rows in a few seconds)."""
    rng = np.random.default_rng(SEED)
    given2 = rng.random(rows) < 0.65
    names = pl.Series(SURNAMES[rng.integers(0, len(SURNAMES), rows)]) + pl.Series(
        GIVEN[rng.integers(0, len(GIVEN), rows)]
    )
    names = pl.select(
        pl.when(pl.Series(given2)).then(names + pl.Series(GIVEN[rng.integers(0, len(GIVEN), rows)])).otherwise(names)
    ).to_series()
    towns = pl.Series(TOWNS[rng.integers(0, len(TOWNS), rows)])
    frame = pl.DataFrame(
        {
            "resident_id": _resident_ids(rng, rows),
            "name": names,
            "mobile": "13" + pl.Series(rng.integers(0, 10**9, rows)).cast(pl.String).str.zfill(9),
            "address": "德清县"
            + towns
            + pl.Series(ROADS[rng.integers(0, len(ROADS), rows)])
            + pl.Series(rng.integers(1, 400, rows)).cast(pl.String)
            + "号",
            "birth_date": pl.Series(rng.integers(0, 80 * 365, rows)).cast(pl.Date).dt.offset_by("-70y").cast(pl.String),
            "bank_card": _bank_cards(rng, rows),
            "amount": pl.Series(rng.uniform(1, 50000, rows)).round(2).cast(pl.String),
            "order_no": "2026" + pl.Series(rng.integers(0, 10**14, rows)).cast(pl.String).str.zfill(14),
            "township": towns,
            "event_at": pl.Series(rng.integers(1_767_225_600, 1_795_000_000, rows) * 1_000_000)
            .cast(pl.Datetime("us"))
            .dt.strftime("%Y-%m-%d %H:%M:%S"),
        }
    )
    frame.write_parquet(path)


def _peak_mb() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux carries it over from the parent across exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child_ours(source: Path, target: Path, destination: str) -> dict:
    from desensitize.classify import catalog_findings
    from desensitize.safe import write_safe

    ds = dataset()
    started = time.perf_counter()
    findings = catalog_findings(ds, pl.read_parquet(source, n_rows=SAMPLE_ROWS))
    report = write_safe(ds, source, target, destination)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": report.rows, "findings": len(findings), "operators": report.operators}


def child_duckdb(source: Path, target: Path) -> dict:
    import duckdb

    con = duckdb.connect(config={"autoinstall_known_extensions": "false"})
    started = time.perf_counter()
    con.sql(f"COPY (SELECT * FROM read_parquet('{source}')) TO '{target}' (FORMAT parquet)")
    return {"seconds": time.perf_counter() - started}


def child_presidio(source: Path, target: Path, rows: int) -> dict:
    from presidio_anonymizer.entities import OperatorConfig
    from presidio_structured import PandasDataProcessor, StructuredAnalysis, StructuredEngine

    frame = pl.read_parquet(source, n_rows=rows).to_pandas().astype(object)
    mapping = {c["name"]: c["entity"] for c in COLUMNS if c.get("entity")}
    operators = {entity: OperatorConfig(name, params) for entity, (name, params) in PRESIDIO_OPERATORS.items()}
    engine = StructuredEngine(data_processor=PandasDataProcessor())
    started = time.perf_counter()
    result = engine.anonymize(frame, StructuredAnalysis(entity_mapping=mapping), operators)
    result.to_parquet(target)
    return {"seconds": time.perf_counter() - started, "rows": len(result)}


def run_child(*args: str, repeat: int = 1) -> dict:
    """Run this script as a child for one contender, `repeat` times; the fastest run, the highest peak.

    The machine is shared: the best of a few runs is the figure least disturbed by other work.
    """
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"child {args[0]} failed:\n{done.stderr[-2000:]}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r.get("seconds", 0))
    return best | {"peak_mb": max(r["peak_mb"] for r in runs)}


def _child_main(args: list[str]) -> int:
    kind, source, target = args[0], Path(args[1]), Path(args[2])
    if kind == "generate":
        generate(source, int(args[3]))
        pl.concat([pl.read_parquet(source)] * 3).write_parquet(target)
        result = {}
    elif kind == "ours":
        result = child_ours(source, target, args[3])
    elif kind == "duckdb":
        result = child_duckdb(source, target)
    else:
        result = child_presidio(source, target, int(args[3]))
    print(json.dumps(result | {"peak_mb": round(_peak_mb(), 1)}))
    return 0


def _line(label: str, rows: int, seconds: float, peak: float | None, note: str = "") -> str:
    peak_text = f"{peak:8.0f} MB" if peak is not None else " " * 11
    return f"{label:<34} {rows:>10,} {seconds:>9.2f} s {rows / seconds:>12,.0f} rows/s {peak_text}  {note}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--presidio-rows", type=int, default=50_000, help="subset for presidio-structured")
    parser.add_argument("--destination", default="open", choices=["share_unconditional", "share_restricted", "open"])
    parser.add_argument("--dir", type=Path, default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours and of the copy; the fastest counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        return _bench(Path(tmp), args)


def _bench(work: Path, args: argparse.Namespace) -> int:
    source, triple = work / "table.parquet", work / "triple.parquet"
    started = time.perf_counter()
    run_child("generate", str(source), str(triple), str(args.rows))
    from desensitize.hmac_batch import vectorized

    hmac_mode = "eight at a time (AVX2)" if vectorized() else "one at a time (no AVX2)"
    print(
        f"generated {args.rows:,} rows x {len(COLUMNS)} columns in {time.perf_counter() - started:.1f} s; "
        f"destination {args.destination}; polars {pl.__version__}; HMAC {hmac_mode}"
    )
    ours = run_child("ours", str(source), str(work / "ours.parquet"), args.destination, repeat=args.repeat)
    ours_triple = run_child("ours", str(triple), str(work / "ours_triple.parquet"), args.destination)
    copy = run_child("duckdb", str(source), str(work / "copy.parquet"), repeat=args.repeat)
    subset = min(args.presidio_rows, args.rows)
    presidio = run_child("presidio", str(source), str(work / "presidio.parquet"), str(subset))
    presidio_full = presidio["seconds"] * args.rows / subset
    note = f"extrapolated from {subset:,} rows" if subset < args.rows else ""
    print()
    print(_line("ours: classify + policy + write", args.rows, ours["seconds"], ours["peak_mb"]))
    print(_line("ours, three times the rows", ours_triple["rows"], ours_triple["seconds"], ours_triple["peak_mb"]))
    print(_line("duckdb parquet -> parquet copy", args.rows, copy["seconds"], copy["peak_mb"]))
    print(_line("presidio-structured (object dtype)", args.rows, presidio_full, presidio["peak_mb"], note))
    print()
    print(f"operators: {ours['operators']}; catalog findings: {ours['findings']}")
    print(f"speed-up over presidio-structured: {presidio_full / ours['seconds']:.1f}x (target >= 30x)")
    print(f"time relative to the duckdb copy:  {ours['seconds'] / copy['seconds']:.2f}x (target <= 2x)")
    print(
        f"peak memory, {args.rows:,} vs {3 * args.rows:,} rows: {ours['peak_mb']:.0f} MB vs {ours_triple['peak_mb']:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(_child_main(sys.argv[2:]))
    sys.exit(main())
