"""The landing sensor: a new or changed file in an agency's landing folder launches that dataset's load.

File identity is the content hash: the cursor remembers the hashes already requested per dataset (and
a size/mtime memo so unchanged files are not re-hashed), and each run request carries the run key
`<dataset>:<sha256>`, so an identical re-drop requests nothing.
"""

import json
from pathlib import Path

import dagster as dg

from assets.naming import key, layers_of
from assets.resources import LakeResource
from catalog.model import Dataset
from warehouse.ingest import file_sha256, pending_files
from warehouse.lake import Lake

SEEN_PER_DATASET = 5000


def _hash(path: Path, memo: dict[str, list]) -> str:
    stat = path.stat()
    cached = memo.get(str(path))
    if cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime_ns:
        return cached[2]
    sha = file_sha256(path)
    memo[str(path)] = [stat.st_size, stat.st_mtime_ns, sha]
    return sha


def new_files(datasets: list[Dataset], lake: Lake, cursor: dict) -> list[tuple[Dataset, Path, str]]:
    """(dataset, file, sha) for every landing file whose content was not requested before; updates `cursor`."""
    seen, memo, found = cursor.setdefault("seen", {}), cursor.setdefault("memo", {}), []
    present = set()
    for ds in datasets:
        hashes = seen.setdefault(ds.id, [])
        for path in pending_files(lake, ds):
            present.add(str(path))
            sha = _hash(path, memo)
            if sha not in hashes:
                hashes.append(sha)
                found.append((ds, path, sha))
        del hashes[:-SEEN_PER_DATASET]
    cursor["memo"] = {p: v for p, v in memo.items() if p in present}
    return found


def landing_sensor(datasets: list[Dataset]) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_sensor",
        minimum_interval_seconds=30,
        target=dg.AssetSelection.all(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Watches PDL_HOME/landing/<agency>/<dataset>/ and loads each new extract once.",
    )
    def _landing(context: dg.SensorEvaluationContext, lake: LakeResource):
        cursor = json.loads(context.cursor) if context.cursor else {}
        found = new_files(datasets, lake.lake(), cursor)
        context.update_cursor(json.dumps(cursor))
        if not found:
            return dg.SkipReason("no new files in landing/")
        return [
            dg.RunRequest(
                run_key=f"{ds.id}:{sha}",
                asset_selection=[key(layer, ds) for layer in layers_of(ds)],
                tags={"dataset": ds.id, "agency": ds.provider.code, "source_file": path.name[:200]},
            )
            for ds, path, sha in found
        ]

    return _landing
