"""Benchmark: dashboard page time with 1, 5 and 10 people viewing at once, on a real server.

    .venv/bin/python bench/concurrent_viewers.py --scale 100   # and --scale 1
    .venv/bin/python bench/concurrent_viewers.py --scale 1 --viewers 1,5 --walks 2

The server is started as `make run` starts it (`streamlit run asgi.py`, Streamlit's
ASGI app, `MALLOC_ARENA_MAX=2`, caches warmed at start) on a copy of the cached demo
database (bench/data/demo-x{scale}.duckdb, built once by `bench/dashboards.py`). The
measurement starts once the server's warm-up is done.

For each number of viewers N (default 1, 5, 10, in that order, same server): N Chromium
sessions (Playwright driving Debian's chromium, one browser context each), signed in
alternately as the Coreps and the agency, walk the nine dashboard pages (five themes,
four filières) through the menu, all at the same time, `--walks` times (default 2).
A page's time runs from the click on its menu entry until its heading is shown and the
script run has finished (Streamlit's status widget gone). The first walk of N = 1 is
the first visit after a start (frames warm, indicator results not yet computed for
these scopes); every later walk is "warm" (results cached: what a meeting sees once
the first person has opened a page), and those are the figures compared. Baseline: N = 1
in the same run, on the same server; each N is reported as p50 / p95 / max page time and
its ratio to N = 1, with the pages served per second, the server's own time per page run
(p50 / p95, from the "page run" lines the server logs with OPP_LOG_LEVEL=DEBUG: app.py
from start to end, waiting for the interpreter lock included), the server's CPU time per
page and its share of one core (from /proc: user + system time of the server process
during the walks), and the machine's load average before and after.

The browsers run on the same machine as the server and take CPU from it: a real
meeting's browsers run on the participants' machines, so the server's own cost is the
CPU time per page, and the wall-clock figures overstate the slowdown somewhat.
Results go to bench/results/concurrent_viewers-x{scale}.json and .md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from dashboards import demo_database, describe, machine, write_results  # noqa: E402

from opp.indicators.catalogue import load_indicators  # noqa: E402
from opp.indicators.dashboards import load_dashboards  # noqa: E402

CHROMIUM = os.environ.get("OPP_CHROMIUM", "/usr/bin/chromium")
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
ACCOUNTS = ("coreps@demo.opp", "agence@demo.opp")
RUN_LINE = re.compile(r"opp\.runs: page run (\S+) ([0-9.]+) s")
PASSWORD = "demo-opp-occitanie"
MENU = ".st-key-opp-menu"  # OPP's sidebar menu (opp.ui.navigation), links relative
WAIT_MS = 300_000  # the longest a page may take before the run is declared broken
# (page, heading) of every declared dashboard (surveys/dashboards/*.yaml)
PAGES = [
    (name, page.title.get("fr"))
    for name, page in load_dashboards(load_indicators()).dashboards.items()
]


class Server:
    """`streamlit run asgi.py` on a free port, on `db`, until `stop()`."""

    def __init__(self, db: Path, log: Path) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._out = log.open("wb")
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
        env = {**os.environ, "OPP_DB": str(db), "MALLOC_ARENA_MAX": "2", "OPP_LOG_LEVEL": "DEBUG"}
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT
        )

    def wait_warm(self, timeout: float) -> float:
        """Seconds from now until the warm-up is done (health answering first)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"server stopped:\n{self.tail()}")
            if "warm-up done" in self.tail():
                return time.monotonic() - started
            time.sleep(0.2)
        raise RuntimeError(f"no warm-up within {timeout} s:\n{self.tail()}")

    def tail(self) -> str:
        self._out.flush()
        return self.log.read_text(errors="replace")[-5000:]

    def runs(self) -> list[tuple[str, float]]:
        """Every page run the server logged so far: (page, seconds)."""
        self._out.flush()
        found = RUN_LINE.findall(self.log.read_text(errors="replace"))
        return [(page, float(seconds)) for page, seconds in found]

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()


async def _settled(page: Any) -> None:
    await page.wait_for_timeout(250)
    await page.wait_for_selector(
        '[data-testid="stStatusWidget"]', state="detached", timeout=WAIT_MS
    )


async def _viewer(browser: Any, url: str, account: str, walks: int) -> list[list[float]]:
    """One person: sign in, walk the dashboards `walks` times; the page times per walk."""
    context = await browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    # Finite: a selector the app no longer has fails the run instead of waiting forever
    # (until 1 December the bench waited for Streamlit's own menu, which OPP replaced).
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    await page.goto(f"{url}/connexion")
    await page.get_by_label("Adresse électronique").fill(account)
    await page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    menu = page.locator(MENU)
    await menu.locator('a[href="emploi"]').wait_for()
    await _settled(page)
    times: list[list[float]] = []
    for _ in range(walks):
        walk = []
        for path, title in PAGES:
            started = time.perf_counter()
            await menu.locator(f'a[href="{path}"]').click()
            await page.get_by_role("heading", level=1, name=title, exact=True).wait_for()
            await _settled(page)
            walk.append(time.perf_counter() - started - 0.25)  # _settled's fixed pause
        times.append(walk)
    await context.close()
    return times


async def _round(url: str, viewers: int, walks: int) -> list[list[list[float]]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await asyncio.gather(
                *(_viewer(browser, url, ACCOUNTS[i % 2], walks) for i in range(viewers))
            )
        finally:
            await browser.close()


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(scale: float, counts: list[int], walks: int) -> dict[str, Any]:
    source = demo_database(scale)
    with tempfile.TemporaryDirectory() as work:
        db = Path(work) / "opp.duckdb"
        shutil.copy(source, db)
        server = Server(db, Path(work) / "server.log")
        try:
            warm_up = server.wait_warm(timeout=1200)
            print(f"×{scale:g}: warm-up done {warm_up:.1f} s after the health check")
            rounds = []
            for n in counts:
                cpu_before, started = server.cpu_seconds(), time.perf_counter()
                load_before = os.getloadavg()[0]
                runs_before = len(server.runs())
                per_viewer = asyncio.run(_round(server.url, n, walks))
                wall = time.perf_counter() - started
                cpu = server.cpu_seconds() - cpu_before
                dashboards = {path for path, _ in PAGES}
                server_runs = [s for page, s in server.runs()[runs_before:] if page in dashboards]
                first = [s for viewer in per_viewer for s in viewer[0]]
                warm = [s for viewer in per_viewer for walk in viewer[1:] for s in walk]
                pages = sum(len(walk) for viewer in per_viewer for walk in viewer)
                rounds.append(
                    {
                        "viewers": n,
                        "first_walk_p50_s": round(statistics.median(first), 3),
                        "warm_p50_s": round(statistics.median(warm), 3),
                        "warm_p95_s": round(_quantile(warm, 0.95), 3),
                        "warm_max_s": round(max(warm), 3),
                        "pages": pages,
                        "pages_per_s": round(pages / wall, 2),
                        "server_cpu_s_per_page": round(cpu / pages, 3),
                        "server_cpu_share": round(cpu / wall, 2),
                        "server_run_p50_s": round(statistics.median(server_runs), 3),
                        "server_run_p95_s": round(_quantile(server_runs, 0.95), 3),
                        "wall_s": round(wall, 1),
                        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                    }
                )
                print(rounds[-1])
            peak = server.rss_mib()
        finally:
            server.stop()
    base = rounds[0]
    for entry in rounds:
        entry["warm_p50_ratio"] = round(entry["warm_p50_s"] / base["warm_p50_s"], 2)
        entry["warm_p95_ratio"] = round(entry["warm_p95_s"] / base["warm_p95_s"], 2)
    return {
        "scale": scale,
        "walks": walks,
        "pages_per_walk": len(PAGES),
        "warm_up_s": round(warm_up, 1),
        "server_peak_rss_mib": round(peak),
        "rounds": rounds,
        "machine": machine(),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        (
            f"### ×{report['scale']:g}: {len(report['rounds'])} rounds, each viewer walking the "
            f"{report['pages_per_walk']} dashboard pages {report['walks']} times"
        ),
        "",
        (
            "| viewers | first walk p50 s | warm p50 s | warm p95 s | warm max s | p50 / 1 viewer "
            "| p95 / 1 viewer | pages/s | server run p50 / p95 s | server CPU s per page "
            "| server CPU use | load average |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["rounds"]:
        lines.append(
            f"| {r['viewers']} | {r['first_walk_p50_s']:.2f} | {r['warm_p50_s']:.2f} | "
            f"{r['warm_p95_s']:.2f} | {r['warm_max_s']:.2f} | ×{r['warm_p50_ratio']:.1f} | "
            f"×{r['warm_p95_ratio']:.1f} | {r['pages_per_s']:.1f} | "
            f"{r['server_run_p50_s']:.2f} / {r['server_run_p95_s']:.2f} | "
            f"{r['server_cpu_s_per_page']:.3f} | {r['server_cpu_share']:.0%} | "
            f"{r['load_average'][0]} → {r['load_average'][1]} |"
        )
    lines += [
        "",
        (
            f"Warm-up at start: {report['warm_up_s']} s after the health check; server peak "
            f"RSS {report['server_peak_rss_mib']} MiB. Machine: {describe(report['machine'])}."
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = __doc__
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--viewers", default="1,5,10", help="comma-separated (first = baseline)")
    parser.add_argument("--walks", type=int, default=2, help="walks per viewer (≥ 2)")
    args = parser.parse_args()
    counts = [int(v) for v in args.viewers.split(",")]
    report = measure(args.scale, counts, max(2, args.walks))
    write_results(f"concurrent_viewers-x{args.scale:g}", report, markdown(report))


if __name__ == "__main__":
    main()
