"""Where things are; overridable by environment variables for tests and deployments."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def db_path() -> Path:
    """The DuckDB file: `OPP_DB` or `data/opp.duckdb`."""
    return Path(os.environ.get("OPP_DB") or REPO_ROOT / "data" / "opp.duckdb")


def surveys_dir() -> Path:
    return Path(os.environ.get("OPP_SURVEYS") or REPO_ROOT / "surveys")
