"""A real OPP server for browser tests, started as `make run` starts it (`streamlit run
asgi.py`: Streamlit's ASGI app with OPP's headers and warm-up) on a free local port, on a
database file of the test's own, stopped at the end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("OPP_CHROMIUM", "/usr/bin/chromium")
# Flags for a machine without network access and without a sandbox (containers, CI).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AppServer:
    """One `streamlit run asgi.py` process; its output goes to `log`."""

    def __init__(self, db: Path, log: Path, *, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "asgi.py"),
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ]
        environment = {**os.environ, "OPP_DB": str(db), "MALLOC_ARENA_MAX": "2", **(env or {})}
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=self._out, stderr=subprocess.STDOUT
        )
        self.wait_healthy(timeout=60)

    def healthy(self, timeout: float = 5) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=timeout) as reply:
                return reply.status == 200
        except OSError:
            return False

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                msg = f"the app server stopped at start:\n{self.tail()}"
                raise RuntimeError(msg)
            if self.healthy(timeout=1):
                return
            time.sleep(0.2)
        msg = f"the app server did not answer within {timeout} s:\n{self.tail()}"
        raise RuntimeError(msg)

    def tail(self, lines: int = 40) -> str:
        self._out.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server; fail if a page caught an unexpected exception meanwhile (the
        browser only saw the generic message: the server's log has the traceback)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._out.close()
        text = self.log.read_text(errors="replace")
        if PAGE_ERROR in text:
            start = text.index(PAGE_ERROR)
            msg = f"a page failed on the server ({self.log}):\n{text[start : start + 3000]}"
            raise AssertionError(msg)


# What opp.ui.state.guarded() logs, with the traceback, for an unexpected exception.
PAGE_ERROR = "unexpected error (ref "
