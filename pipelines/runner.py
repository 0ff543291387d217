"""Run the whole asset graph in this process against a Dagster instance kept inside the lake.

Used by `pdl demo` and `pdl run`: the same definitions the UI shows, so runs appear in `make dev`.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from warehouse.lake import Lake

REPO_DAGSTER_YAML = Path(__file__).resolve().parent.parent / "dagster.yaml"


def prepare_dagster_home(lake: Lake) -> Path:
    """`PDL_HOME/dagster` with the repo's dagster.yaml linked in; sets DAGSTER_HOME for this process."""
    home = lake.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    if REPO_DAGSTER_YAML.exists() and not target.exists():
        target.symlink_to(REPO_DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def run_all(lake: Lake, now: str = "", log_level: str = "INFO") -> dg.ExecuteInProcessResult:
    """Materialize every asset and run every check once; failures are reported, not raised."""
    from pipelines.definitions import LOAD_ALL, build_definitions

    prepare_dagster_home(lake)
    definitions = build_definitions()
    job = definitions.resolve_job_def(LOAD_ALL)
    with dg.DagsterInstance.get() as instance:
        return job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            resources={"lake": _lake_resource(lake, now)},
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )


def _lake_resource(lake: Lake, now: str):
    from assets.resources import LakeResource

    return LakeResource(home=str(lake.home), now=now)
