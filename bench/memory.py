"""Benchmark: peak memory (RSS) of the app process serving every page, at ×1 and ×100.

    .venv/bin/python bench/memory.py --scale 100

Each figure is the peak resident set size (`resource.getrusage(RUSAGE_SELF).ru_maxrss`)
of a fresh Python subprocess, so it counts that process only. Measured in the same run:

- **baseline**: a process that only imports the app's dependencies — streamlit (and its
  `AppTest` harness), duckdb, polars, pyarrow, plotly and every `opp` module that app.py
  and pages/*.py import — and opens nothing;
- **server at ×1 and at ×`--scale`**: a process doing what a server does, on a copy of
  the cached demo database (bench/data/demo-x{scale}.duckdb, built once by
  `bench/dashboards.py:demo_database`): the same imports, then the store opened through
  the app's cached resource (`opp.ui.state.get_store`), the cached catalogues and
  analytical frames (`opp.ui.data.frames`, a `LazyFrames`), every panel of every
  dashboard page computed for every campaign year (pages and panels read by
  `bench/dashboards.py:page_panels`), then every page the demo administrator may open
  rendered once through `streamlit.testing.v1.AppTest` (same process, so the app reuses
  the store and frames already cached, as one server process does). The peak RSS is
  read at that point.
- as a further figure, in another subprocess (no page rendered): what happens when new
  data arrives (every submission bumps the store's data generation): after the frames
  and panels above, the frames of the new generation are built and every panel computed
  again while the app's cache still holds the previous generation's frames
  (`opp.ui.data._frames` keeps two entries).

The peak RSS after each step (VmHWM from /proc/self/status) shows where memory goes.
A page still rendering after `--page-timeout` seconds is abandoned (and reported); its
memory until then is counted. Target (issue): peak ≤ 1 GiB at ×100. Results go to
bench/results/memory.json and .md.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGET_MIB = 1024
HARNESS = ("streamlit", "streamlit.testing.v1", "duckdb", "polars", "pyarrow", "plotly")


# --- in the measured subprocess ------------------------------------------------------------


def _paths() -> None:
    for folder in (ROOT / "src", ROOT / "bench"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))


def app_modules() -> list[str]:
    """Every module app.py and pages/*.py import at top level."""
    found: dict[str, None] = {}
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                found |= dict.fromkeys(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found[node.module] = None
    return list(found)


def import_everything() -> int:
    import importlib

    _paths()
    modules = [*HARNESS, *app_modules()]
    for name in modules:
        importlib.import_module(name)
    return len(modules)


def memory_now() -> dict[str, float]:
    """Current and peak RSS of this process (MiB), from /proc/self/status."""
    fields = {}
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mib": fields.get("VmRSS", 0.0), "peak_mib": fields.get("VmHWM", 0.0)}


def peak_kib() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def child_baseline() -> dict[str, Any]:
    modules = import_everything()
    return {"modules": modules, "peak_rss_kib": peak_kib(), "steps": {"imports": memory_now()}}


def duckdb_memory(store: Any) -> float | None:
    """Memory DuckDB's buffer manager holds (MiB), if the version reports it."""
    try:
        row = (
            store.cursor().execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()
        )
    except Exception:  # noqa: BLE001 - an optional figure; older DuckDB lacks the function
        return None
    return round((row[0] or 0) / 2**20, 1)


def say(message: str) -> None:
    print(f"    [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child_server(db: str, page_timeout: float, *, pages: bool = True) -> dict[str, Any]:
    """What a server does (see the module docstring); with `pages=False`, no rendering but
    a second data generation built while the first is still cached."""
    import logging
    import threading

    os.environ["OPP_DB"] = db
    steps: dict[str, Any] = {}
    started = time.perf_counter()
    import_everything()
    # Calls made outside a script run warn "no runtime / no ScriptRunContext": expected.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    steps["imports"] = memory_now()

    from dashboards import page_panels

    from opp import clock
    from opp.indicators.engine import Filters, compute
    from opp.services import auth
    from opp.store import accounts
    from opp.ui import data, state
    from opp.ui.navigation import PAGES, visible
    from opp.ui.session import SESSION_KEY

    store = state.get_store()
    cur = store.cursor()
    figures = {
        "answer_rows": cur.execute("SELECT count(*) FROM answers").fetchone()[0],
        "submitted_responses": cur.execute(
            "SELECT count(*) FROM responses WHERE status = 'submitted'"
        ).fetchone()[0],
    }
    steps["store"] = memory_now()
    say(f"store opened: {figures['answer_rows']} answer rows")

    _, indicators = data.catalogues()
    panels = page_panels(indicators)

    def every_panel() -> tuple[Any, int]:
        """The app's frames of the current data generation, every page's panels computed
        from them for every campaign year (as viewers of every page and year would)."""
        frames = data.frames()
        computed = 0
        for page_list in panels.values():
            frames.prefetch([indicators.get(i) for i, _ in page_list])
            for year in frames.years():
                for indicator_id, breakdown in page_list:
                    indicator = indicators.get(indicator_id)
                    compute(
                        frames.for_indicator(indicator),
                        indicator,
                        Filters(reference_year=year),
                        breakdown,
                        memo=frames.memo,  # as the service computes: the memo filled
                    )
                    computed += 1
        return frames, computed

    frames, computed = every_panel()
    years = frames.years()
    steps["frames"] = memory_now() | {
        "duckdb_mib": duckdb_memory(store),
        "panels": computed,
        "years": years,
        "seconds": round(time.perf_counter() - started, 1),
        "frames_mib": round(
            sum(s.estimated_size() for s in frames.columns.values()) / 2**20
            + frames.base.estimated_size() / 2**20
            + sum(f.estimated_size() for f in frames.items.values()) / 2**20,
            1,
        ),
    }

    say(f"{computed} panels computed, peak {steps['frames']['peak_mib']:.0f} MiB")
    if not pages:
        # New data arrives (every submission bumps the generation): the app builds the
        # frames of the new generation while its cache still holds the previous one.
        store.bump()
        del frames
        every_panel()
        steps["next_generation"] = memory_now() | {"duckdb_mib": duckdb_memory(store)}
        say(f"next data generation computed, peak {steps['next_generation']['peak_mib']:.0f} MiB")
        return {
            "database": figures,
            "peak_rss_kib": peak_kib(),
            "steps": steps,
            "seconds": round(time.perf_counter() - started, 1),
        }

    from streamlit.testing.v1 import AppTest

    admin = next(a for a in accounts.all_accounts(store) if a.role == "admin")
    viewer = auth.viewer_of(admin)

    def signed_in() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=2 * page_timeout)
        at.session_state[SESSION_KEY] = auth.Session(viewer=viewer, last_seen=clock.now())
        at.run()
        return at

    at = signed_in()
    rendered: dict[str, Any] = {}
    for spec in PAGES:
        if not visible(spec, viewer):
            continue
        say(f"rendering {spec.url_path}")
        outcome: dict[str, Any] = {}

        def show(at: AppTest = at, path: str = spec.path, outcome: dict = outcome) -> None:
            try:
                at.switch_page(path).run()
            except Exception as exc:  # noqa: BLE001 - reported with the page
                outcome["failure"] = f"{type(exc).__name__}: {str(exc)[:200]}"

        page_started = time.perf_counter()
        # A page that does not finish in time is abandoned (its thread keeps running and
        # keeps its memory, as it would in a server) and the next pages get a new session.
        runner = threading.Thread(target=show, daemon=True)
        runner.start()
        runner.join(page_timeout)
        seconds = round(time.perf_counter() - page_started, 2)
        if runner.is_alive():
            rendered[spec.url_path] = {"seconds": seconds, "timed_out": True}
            say(f"  {spec.url_path} still running after {page_timeout:g} s: abandoned")
            at = signed_in()
            continue
        rendered[spec.url_path] = {
            "seconds": seconds,
            "timed_out": False,
            "failure": outcome.get("failure"),
            "exceptions": [str(e.value)[:200] for e in at.exception],
            "errors": [str(e.value)[:200] for e in at.error],
            "elements": len(list(at.main)),
        }
    steps["pages"] = memory_now() | {"duckdb_mib": duckdb_memory(store)}
    say("every page rendered")
    same_frames = data.frames() is frames
    return {
        "database": figures,
        "peak_rss_kib": peak_kib(),
        "steps": steps,
        "pages": rendered,
        "app_reused_bench_frames": same_frames,
        "seconds": round(time.perf_counter() - started, 1),
    }


# --- in the parent ----------------------------------------------------------------------------


def measure(mode: str, db: Path | None = None, page_timeout: float = 120) -> dict[str, Any]:
    """Run one measured subprocess (its progress goes to stderr) and return its report."""
    command = [sys.executable, __file__, "--child", mode, "--page-timeout", str(page_timeout)]
    if db is not None:
        command += ["--db", str(db)]
    quiet = os.environ | {"STREAMLIT_LOGGER_LEVEL": "error"}  # "no runtime" warnings
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False, env=quiet)
    if done.returncode != 0:
        raise SystemExit(f"{mode} subprocess failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def server_at(scale: float, page_timeout: float, mode: str = "server") -> dict[str, Any]:
    import shutil

    _paths()
    from dashboards import demo_database

    cached = demo_database(scale)
    with tempfile.TemporaryDirectory(prefix="opp-bench-") as tmp:
        copy = Path(tmp) / cached.name
        shutil.copy(cached, copy)
        wal = cached.with_name(cached.name + ".wal")
        if wal.exists():
            shutil.copy(wal, copy.with_name(copy.name + ".wal"))
        return measure(mode, copy, page_timeout)


def mib(kib: int) -> float:
    return round(kib / 1024, 1)


def markdown(report: dict[str, Any]) -> str:
    base = report["baseline"]["peak_rss_kib"]
    m = report["machine"]
    lines = [
        f"### Peak memory of the app process (target ≤ {TARGET_MIB} MiB at ×{report['scale']:g})",
        "",
        (
            "| process | answer rows | peak RSS MiB | over baseline | target | peak after "
            "opening MiB | … frames + panels MiB | … every page MiB | frames + panels, "
            "then a next data generation MiB |"
        ),
        "|---|---:|---:|---:|---|---:|---:|---:|---:|",
        f"| baseline (imports only) | — | {mib(base):.0f} | 1.00 | — | — | — | — | — |",
    ]
    for key, run in report["servers"].items():
        steps = run["steps"]
        next_run = run["next_generation"]
        peak = mib(run["peak_rss_kib"])
        met = "met" if peak <= TARGET_MIB else "**missed**"
        rows = f"{run['database']['answer_rows']:,}".replace(",", " ")
        lines.append(
            f"| server {key} | {rows} | {peak:.0f} | {run['peak_rss_kib'] / base:.2f} | {met} | "
            f"{steps['store']['peak_mib']:.0f} | {steps['frames']['peak_mib']:.0f} | "
            f"{steps['pages']['peak_mib']:.0f} | {mib(next_run['peak_rss_kib']):.0f} |"
        )
    servers = list(report["servers"].values())
    lines.append("")
    if len(servers) > 1:
        first, last = servers[0], servers[-1]
        grow = (last["peak_rss_kib"] - base) / max(1, first["peak_rss_kib"] - base)
        lines.append(
            f"Growth ×{report['scales'][0]:g} → ×{report['scales'][-1]:g}: peak RSS "
            f"{mib(first['peak_rss_kib']):.0f} → {mib(last['peak_rss_kib']):.0f} MiB "
            f"(×{last['peak_rss_kib'] / first['peak_rss_kib']:.2f}); above the baseline "
            f"×{grow:.1f} for "
            f"×{last['database']['answer_rows'] / first['database']['answer_rows']:.0f} "
            "answer rows."
        )
        lines.append("")
    for key, run in report["servers"].items():
        frames = run["steps"]["frames"]
        pages = run["steps"]["pages"]
        lines.append(
            f"- {key}: {frames['panels']} panels computed ({len(frames['years'])} years), "
            f"frames ≈ {frames['frames_mib']:.0f} MiB (Polars estimate), DuckDB buffers "
            f"{frames['duckdb_mib']} MiB after the panels and {pages['duckdb_mib']} MiB after "
            f"rendering {len(run['pages'])} pages; {run['seconds']:.0f} s."
        )
        slow = [page for page, info in run["pages"].items() if info["timed_out"]]
        if slow:
            lines.append(
                f"  Not finished after {report['page_timeout_s']:g} s and abandoned (its "
                f"memory until then is counted): {', '.join(slow)}."
            )
    lines += [
        "",
        (
            f"Machine: {m['processor']}, {m['cpu_count']} CPUs, {m['python']}, "
            f"DuckDB {m['duckdb']}, Polars {m['polars']}, Streamlit {m['streamlit']}."
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Each figure is one fresh subprocess; the ×1 server is always measured too.",
    )
    parser.add_argument("--scale", type=float, default=100, help="demo scale (default 100)")
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=120,
        help="seconds after which a page still rendering is abandoned (default 120)",
    )
    parser.add_argument(
        "--child", choices=("baseline", "server", "generations"), help=argparse.SUPPRESS
    )
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "baseline":
        print(json.dumps(child_baseline()))
        return
    if args.child in ("server", "generations"):
        report = child_server(args.db, args.page_timeout, pages=args.child == "server")
        print(json.dumps(report), flush=True)
        os._exit(0)  # abandoned page threads, if any, must not keep the process alive

    _paths()
    import streamlit
    from submissions import machine

    scales = sorted({1.0, args.scale})
    report: dict[str, Any] = {
        "scale": args.scale,
        "scales": scales,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine() | {"streamlit": streamlit.__version__},
        "target_mib": TARGET_MIB,
        "page_timeout_s": args.page_timeout,
        "baseline": measure("baseline"),
        "servers": {},
    }
    base = report["baseline"]["peak_rss_kib"]
    print(f"baseline (imports only): peak RSS {mib(base):.0f} MiB")
    for scale in scales:
        run = server_at(scale, args.page_timeout)
        run["next_generation"] = server_at(scale, args.page_timeout, "generations")
        report["servers"][f"×{scale:g}"] = run
        peak = run["peak_rss_kib"]
        steps = run["steps"]
        print(
            f"server ×{scale:g}: peak RSS {mib(peak):.0f} MiB (×{peak / base:.2f} baseline; "
            f"opened {steps['store']['peak_mib']:.0f}, frames+panels "
            f"{steps['frames']['peak_mib']:.0f}, pages {steps['pages']['peak_mib']:.0f}) "
            f"in {run['seconds']:.0f} s — target ≤ {TARGET_MIB} MiB "
            f"{'met' if mib(peak) <= TARGET_MIB else 'MISSED'}; frames+panels then a next "
            f"data generation (no pages): {mib(run['next_generation']['peak_rss_kib']):.0f} MiB"
        )
        for page, info in run["pages"].items():
            if info["timed_out"]:
                print(f"  {page}: not finished after {args.page_timeout:g} s (abandoned)")
            elif info["failure"] or info["exceptions"] or info["errors"]:
                print(f"  {page}: {info['failure'] or info['exceptions'] or info['errors']}")
    _paths()
    from dashboards import write_results

    write_results("memory", report, markdown(report))


if __name__ == "__main__":
    main()
