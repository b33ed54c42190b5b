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


def base_url() -> str:
    """The address people open OPP at (links in set-up links and mails): `OPP_BASE_URL`,
    default `http://localhost:8501`, without a trailing slash."""
    return (os.environ.get("OPP_BASE_URL") or "http://localhost:8501").strip().rstrip("/")
