"""A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` binaries (installed
by `make test` when absent), a data folder and a unix-socket folder in a temporary
directory, a free port on 127.0.0.1, trust authentication for local connections only.

`initdb` refuses to run as root: as root (CI containers, this machine) the cluster runs as
Debian's unprivileged `postgres` user (`runuser`), otherwise as the current user. The
cluster is tuned for tests (no fsync: a crash loses nothing a test needs) and stopped
with `pg_ctl stop -m immediate` at the end, its folder removed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "opp"
INITDB_GLOB = "/usr/lib/postgresql/*/bin/initdb"


class ClusterError(RuntimeError):
    """PostgreSQL could not be started: the message says why and what to do."""


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries (`make test` installs Debian's)."""
    found = sorted(Path("/").glob(INITDB_GLOB.lstrip("/")), key=lambda p: int(p.parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise ClusterError(
        "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin nor on PATH): "
        "run `make test` (it installs Debian's postgresql) or `apt-get install postgresql`"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    root: Path
    port: int
    bindir: Path
    run_as: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.run_as, *args], capture_output=True, text=True, timeout=120, check=False
        )

    def start(self) -> None:
        init = self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if init.returncode != 0:
            raise ClusterError(f"initdb failed: {(init.stderr or init.stdout).strip()[-800:]}")
        options = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.root}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        ctl = self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        if ctl.returncode != 0:
            tail = self.log.read_text(errors="replace")[-800:] if self.log.exists() else ""
            raise ClusterError(f"pg_ctl start failed: {ctl.stderr.strip()[-400:]}\n{tail}")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """Start a fresh cluster (raises `ClusterError` with the reason when it cannot)."""
    bindir = bin_dir()
    root = Path(tempfile.mkdtemp(prefix="opp-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise ClusterError("running as root and `runuser` is missing (util-linux)")
        try:
            shutil.chown(root, user="postgres", group="postgres")
        except (LookupError, PermissionError) as exc:
            raise ClusterError(
                f"running as root needs Debian's `postgres` user (from the postgresql "
                f"package): {exc}"
            ) from exc
        root.chmod(0o700)
        run_as = [runuser, "-u", "postgres", "--"]
    cluster = Cluster(root=root, port=free_port(), bindir=bindir, run_as=run_as)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
