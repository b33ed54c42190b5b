"""Where things are; overridable by environment variables for tests and deployments.

Deployment settings (mail, base URL, trusted proxies, the instance secret) are read from
the environment first, then from the same key at the top level of
`.streamlit/secrets.toml` (where Streamlit keeps the single sign-on settings), so an
operator can keep every secret in one file readable by the server only.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# Run from a checkout (`make run`, an editable install): the package is src/opp of it.
IN_CHECKOUT = (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "src" / "opp").is_dir()
DEFAULT_BASE_URL = "http://localhost:8501"


def package_data(*parts: str) -> Path:
    """A file or folder shipped inside the package (`src/opp/data/`), found through
    importlib.resources: the same place in a checkout and in an installed wheel."""
    found = resources.files("opp").joinpath("data", *parts)
    if not isinstance(found, Path):  # a zipped install: OPP reads its data as files
        raise RuntimeError(f"OPP must be installed unzipped to read {'/'.join(parts)}")
    return found


def db_path() -> Path:
    """The DuckDB file: `OPP_DB`, else `data/opp.duckdb` of the checkout (of the working
    directory when OPP is installed as a package)."""
    base = REPO_ROOT if IN_CHECKOUT else Path.cwd()
    return Path(os.environ.get("OPP_DB") or base / "data" / "opp.duckdb")


def database_url() -> str | None:
    """`OPP_DATABASE_URL` (`postgresql://user:password@host:port/database`): the whole
    store in PostgreSQL; unset, OPP uses the DuckDB file `db_path()`."""
    url = setting("OPP_DATABASE_URL")
    if url is None:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        from opp.errors import OppError

        raise OppError("STORE_URL", scheme=url.split(":", 1)[0][:20])
    return url


def surveys_dir() -> Path:
    """Questionnaires, indicator definitions and the disclosure policy: `OPP_SURVEYS`, else
    those shipped with OPP (package data; `surveys/` of a checkout links to them)."""
    return Path(os.environ.get("OPP_SURVEYS") or package_data("surveys"))


def _secrets_files() -> list[Path]:
    """Streamlit's places for secrets.toml: the working directory's, then the project's."""
    explicit = os.environ.get("OPP_SECRETS_FILE")
    if explicit:
        return [Path(explicit)]
    places = [Path.cwd() / ".streamlit" / "secrets.toml"]
    return [*places, REPO_ROOT / ".streamlit" / "secrets.toml"] if IN_CHECKOUT else places


def setting(name: str) -> str | None:
    """A deployment setting: environment variable `name`, else the same top-level key of
    `.streamlit/secrets.toml`; None when set nowhere (or empty)."""
    value = os.environ.get(name)
    if value is not None:
        return value.strip() or None
    for path in _secrets_files():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        found = data.get(name)
        if found is not None and not isinstance(found, dict):
            return str(found).strip() or None
    return None


def base_url() -> str:
    """The address people use to reach OPP (links in mails): `OPP_BASE_URL`."""
    return (setting("OPP_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
