"""Benchmark: the DuckDB file against PostgreSQL — submissions from 1 and 2 app processes,
dashboards cold and warm, in the same run, as ratios to the DuckDB-file default.

    .venv/bin/python bench/backends.py --scale 100
    .venv/bin/python bench/backends.py --dry-run      # tiny sizes, both backends, ~1 min

The same demo region on both backends: the DuckDB file is a copy of the cached
bench/data/demo-x{scale}.duckdb (`bench/dashboards.py:demo_database`); PostgreSQL is a
throwaway cluster (`tests/pg_cluster.py`, Debian's binaries that `make test` and `make
bench` install) holding a database filled by the same generator with the same seed, as
`OPP_DATABASE_URL=… opp demo --scale N` does. The cluster runs with fsync off (as in the
tests): its commits cost less than a production server's, say so beside the figures.

Measured, per backend:

- **submissions**: `responses.save(..., submit=True)` (bench/submissions.py's "opp"
  method: validation, one transaction, the audit line) by 16 concurrent submitters, each
  on a fresh organisation's draft. Spread over **1 process** (16 threads on one `Store`)
  and, on PostgreSQL only, over **2 processes** (8 threads each, each process its own
  `PgStore` on the same database: two app servers). The DuckDB file admits one process
  (it locks the file), so its 2-process line is absent by construction. Reported: the
  throughput (submissions over the wall-clock span from the first start to the last end,
  across processes), p50/p95 latency, conflicts and errors (both should be 0), and the
  submitted responses counted in the database before and after (none lost or doubled);
- **dashboards**: every panel of each dashboard page computed cold (fresh frame cache:
  the answers read from the store into Arrow) and warm (the frames of this generation
  reused), as bench/dashboards.py does, best of `--repeat`.

Ratios are to the DuckDB file in the same run (PostgreSQL ÷ DuckDB). The load average
(`uptime`) is recorded before and after each measured step: the machine is shared.
Results go to bench/results/backends-x{scale}.json and .md. No assertion on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from dashboards import demo_database, page_panels, run_page, write_results  # noqa: E402
from submissions import (  # noqa: E402
    Task,
    database_figures,
    load_sources,
    open_campaigns,
    prepare,
    run_batch,
    summarise,
)

from opp.store import Store  # noqa: E402

SUBMITTERS = 16
WARM_UP = 4  # submissions per process before the clock starts (imports, cursors, caches)
DUCKDB, POSTGRES = "duckdb", "postgres"


@dataclass
class Sizes:
    scale: float
    count: int  # measured submissions per (backend, processes) configuration
    submitters: int
    repeat: int  # dashboard runs per page (best kept)
    sources: int  # distinct answer sets read from the demo


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


# -- the two stores ---------------------------------------------------------------------


def duckdb_file(sizes: Sizes, folder: Path, *, cached: bool) -> Path:
    """A DuckDB file holding the demo region: a copy of the cached one, or (dry run) a
    small one built here so that the test suite never touches bench/data/."""
    path = folder / "bench.duckdb"
    if cached:
        source = demo_database(sizes.scale)
        shutil.copy(source, path)
        wal = source.with_name(source.name + ".wal")
        if wal.exists():
            shutil.copy(wal, path.with_name(path.name + ".wal"))
        return path
    from opp.demo.generator import build_demo
    from opp.store import open_store

    store = open_store(path)
    build_demo(store, scale=sizes.scale, validate=False)
    store.checkpoint()
    store.close()
    return path


def postgres_database(cluster: Any, sizes: Sizes) -> tuple[str, float]:
    """A database of `cluster` with the demo region (same generator, same seed): its URL
    and the seconds the build took."""
    import psycopg

    from opp.demo.generator import build_demo
    from opp.store.engine_pg import PgStore

    with psycopg.connect(cluster.url(), autocommit=True) as con:
        con.execute("CREATE DATABASE opp_bench")
    url = cluster.url("opp_bench")
    started = time.perf_counter()
    store = PgStore(url)
    build_demo(store, scale=sizes.scale, validate=sizes.scale <= 1)
    store.cursor().execute("ANALYZE")
    store.close()
    return url, time.perf_counter() - started


def open_backend(backend: str, target: str) -> Store:
    if backend == POSTGRES:
        from opp.store.engine_pg import PgStore

        return PgStore(target)
    from opp.store import Store as DuckStore

    return DuckStore(Path(target))


# -- dashboards -------------------------------------------------------------------------


def measure_dashboards(store: Store, sizes: Sizes, *, only_first: bool) -> dict[str, Any]:
    from opp.indicators.catalogue import load_indicators
    from opp.indicators.frames import LazyFrames
    from opp.questionnaire.catalogue import load_catalogue

    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    panels = page_panels(indicators)
    if only_first:
        panels = dict(list(panels.items())[:1])
    year = LazyFrames(store, surveys, indicators).years()[1]  # the last closed campaign
    pages: dict[str, Any] = {}
    load_before = load_average()
    for page, page_list in panels.items():
        colds, warms = [], []
        for _ in range(sizes.repeat):
            cold, cache = run_page(store, surveys, indicators, page_list, year, None)
            warm, _ = run_page(store, surveys, indicators, page_list, year, cache)
            colds.append(cold)
            warms.append(warm)
            del cache
        pages[page] = {
            "panels": len(page_list),
            "cold_ms": round(min(colds) * 1000, 1),
            "warm_ms": round(min(warms) * 1000, 1),
        }
    return {
        "pages": pages,
        "load_before_after": [load_before, load_average()],
        # Process-wide peak so far (the later store's figure includes the earlier's).
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


# -- submissions from N processes -------------------------------------------------------


def worker_main(args: argparse.Namespace) -> None:
    """One app process: open its own store, warm up, say "ready", wait for "go" on
    stdin, submit its share with its threads, print its figures as one JSON line."""
    with Path(args.worker).open("rb") as handle:
        job = pickle.load(handle)
    store = open_backend(job["backend"], job["target"])
    warmed = run_batch(store, "opp", job["warm"], 1)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.time()
    batch = run_batch(store, "opp", job["tasks"], job["threads"])
    ended = time.time()
    store.close()
    print(
        json.dumps(
            {
                "warmed": len(warmed.latencies),
                "started": started,
                "ended": ended,
                "latencies": batch.latencies,
                "cpu": batch.cpu,
                "wall": batch.wall,
                "conflicts": batch.conflicts,
                "errors": batch.errors,
            }
        ),
        flush=True,
    )


def run_processes(
    backend: str, target: str, tasks: list[Task], warm: list[Task], processes: int, sizes: Sizes
) -> dict[str, Any]:
    """Submit `tasks` from `processes` worker processes started together, 16 threads in
    all; the throughput spans the first start to the last end."""
    from submissions import Batch

    threads = sizes.submitters // processes
    share = len(tasks) // processes
    workers = []
    with tempfile.TemporaryDirectory(prefix="opp-bench-jobs-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "OPP_DATABASE_URL"}
        env["MALLOC_ARENA_MAX"] = "2"
        for n in range(processes):
            job = Path(folder) / f"job{n}.pickle"
            with job.open("wb") as handle:
                pickle.dump(
                    {
                        "backend": backend,
                        "target": target,
                        "threads": threads,
                        "tasks": tasks[n * share : (n + 1) * share],
                        "warm": warm[n * WARM_UP : (n + 1) * WARM_UP],
                    },
                    handle,
                )
            workers.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--worker", str(job)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=ROOT,
                    env=env,
                )
            )
        for worker in workers:
            line = worker.stdout.readline() if worker.stdout else ""
            if line.strip() != "ready":
                for other in workers:
                    other.kill()
                raise SystemExit(f"a {backend} worker failed to start: {line!r}")
        load_before = load_average()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=3600)[0] for worker in workers]
    results = []
    for worker, out in zip(workers, outputs, strict=True):
        if worker.returncode != 0:
            raise SystemExit(f"a {backend} worker failed (exit {worker.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    batch = Batch(
        latencies=[x for r in results for x in r["latencies"]],
        cpu=[x for r in results for x in r["cpu"]],
        wall=max(r["ended"] for r in results) - min(r["started"] for r in results),
        conflicts=sum(r["conflicts"] for r in results),
        errors=[e for r in results for e in r["errors"]],
    )
    summary = summarise([batch])
    summary |= {
        "processes": processes,
        "threads_per_process": threads,
        "load_before_after": [load_before, load_average()],
        "warmed": sum(r["warmed"] for r in results),
    }
    return summary


def measure_backend(backend: str, target: str, sizes: Sizes, *, dry_run: bool) -> dict[str, Any]:
    """Prepare the drafts, measure the dashboards, then the submissions from 1 (and on
    PostgreSQL 2) processes; count the submitted responses before and after."""
    process_counts = (1, 2) if backend == POSTGRES else (1,)
    store = open_backend(backend, target)
    before = database_figures(store)
    campaigns = open_campaigns(store)
    sources, _refused = load_sources(store, campaigns, sizes.sources)
    if not sources:
        raise SystemExit("no submitted response of an open campaign in the demo")
    per_config = sizes.count - sizes.count % sizes.submitters
    warm_needed = WARM_UP * max(process_counts)
    prepared = prepare(store, sources, (per_config + warm_needed) * len(process_counts), start=0)
    store.checkpoint()
    dashboards = measure_dashboards(store, sizes, only_first=dry_run)
    store.close()  # the DuckDB file admits one process: the workers open it next
    submissions = {}
    for n, processes in enumerate(process_counts):
        chunk = prepared[n * (per_config + warm_needed) : (n + 1) * (per_config + warm_needed)]
        tasks, warm = chunk[:per_config], chunk[per_config:]
        submissions[str(processes)] = run_processes(backend, target, tasks, warm, processes, sizes)
    store = open_backend(backend, target)
    after = database_figures(store)
    store.close()
    done = sum(r["submissions"] + r["warmed"] for r in submissions.values())
    return {
        "database": before,
        "submitted_after": after["submitted_responses"],
        "submitted_expected": before["submitted_responses"] + done,
        "submissions": submissions,
        "dashboards": dashboards,
    }


# -- report -----------------------------------------------------------------------------


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}".replace(",", " ")


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "—"


def markdown(report: dict[str, Any]) -> str:
    duck, pg = report["backends"][DUCKDB], report["backends"][POSTGRES]
    base = duck["submissions"]["1"]
    db = duck["database"]
    lines = [
        (
            f"### ×{report['scale']:g}: {_n(db['submitted_responses'])} submitted responses, "
            f"{_n(db['answer_rows'])} answer rows — {report['per_configuration']} submissions "
            f"per configuration, {report['submitters']} concurrent submitters"
        ),
        "",
        "Submissions (`responses.save`, full validation and one transaction):",
        "",
        (
            "| backend | processes × threads | submissions/s | p50 ms | p95 ms | conflicts "
            "| errors | throughput ÷ DuckDB | p95 ÷ DuckDB | load before → after |"
        ),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, label in ((DUCKDB, "DuckDB file"), (POSTGRES, "PostgreSQL")):
        for processes in ("1", "2"):
            r = report["backends"][name]["submissions"].get(processes)
            if r is None:
                lines.append(
                    f"| {label} | 2 × 8 | — (one process per file: DuckDB locks it) | | | | | | | |"
                )
                continue
            load = r["load_before_after"]
            lines.append(
                f"| {label} | {r['processes']} × {r['threads_per_process']} | "
                f"{r['per_s']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
                f"{r['conflicts']} | {r['errors']} | {_ratio(r['per_s'], base['per_s'])} | "
                f"{_ratio(r['p95_ms'], base['p95_ms'])} | {load[0]:g} → {load[1]:g} |"
            )
    lines += [
        "",
        (
            "Dashboards (every panel of the page; cold: answers read from the store; warm: "
            f"frames reused; best of {report['repeat']}):"
        ),
        "",
        (
            "| page | DuckDB cold ms | PostgreSQL cold ms | cold ÷ DuckDB | DuckDB warm ms "
            "| PostgreSQL warm ms | warm ÷ DuckDB |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page, d in duck["dashboards"]["pages"].items():
        p = pg["dashboards"]["pages"][page]
        lines.append(
            f"| {page} | {d['cold_ms']:.0f} | {p['cold_ms']:.0f} | "
            f"{_ratio(p['cold_ms'], d['cold_ms'])} | {d['warm_ms']:.0f} | {p['warm_ms']:.0f} | "
            f"{_ratio(p['warm_ms'], d['warm_ms'])} |"
        )
    dl, pl_ = duck["dashboards"]["load_before_after"], pg["dashboards"]["load_before_after"]
    lines += [
        "",
        (
            f"Load average during the dashboards: DuckDB {dl[0]:g} → {dl[1]:g}, PostgreSQL "
            f"{pl_[0]:g} → {pl_[1]:g}. Submitted responses after the run: DuckDB "
            f"{_n(duck['submitted_after'])} (expected {_n(duck['submitted_expected'])}), "
            f"PostgreSQL {_n(pg['submitted_after'])} (expected "
            f"{_n(pg['submitted_expected'])}). Peak resident memory of the bench process: "
            f"{_n(duck['dashboards'].get('peak_rss_mib'))} MiB after the DuckDB file's "
            f"dashboards, {_n(pg['dashboards'].get('peak_rss_mib'))} MiB after "
            "PostgreSQL's (a process-wide peak). "
            f"PostgreSQL {report['postgres_version']} "
            f"(throwaway cluster, fsync off), demo built in {report['postgres_build_s']:.0f} s; "
            f"{report['cpus']} CPUs shared with other work; {report['date']}."
        ),
        "",
    ]
    return "\n".join(lines)


def keep_partial(report: dict[str, Any], folder: Path | None, *, dry_run: bool) -> None:
    """Each store's figures as soon as they are measured (a long run stopped midway
    keeps what it measured): bench/results/backends-x{scale}.partial.json."""
    if dry_run and folder is None:
        return
    target = folder or ROOT / "bench" / "results"
    target.mkdir(parents=True, exist_ok=True)
    name = f"backends-x{report['scale']:g}.partial.json"
    (target / name).write_text(json.dumps(report, indent=2), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = __doc__
    parser.add_argument("--scale", type=float, default=1, help="demo region scale (1, 10, 100)")
    parser.add_argument(
        "--count", type=int, default=320, help="measured submissions per configuration"
    )
    parser.add_argument("--repeat", type=int, default=3, help="dashboard runs per page")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="tiny sizes (×0.05, 32 submissions, one page, results in a temporary folder)",
    )
    parser.add_argument("--results", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args)
        return
    if args.dry_run:
        sizes = Sizes(scale=0.05, count=32, submitters=SUBMITTERS, repeat=1, sources=40)
    else:
        sizes = Sizes(
            scale=args.scale,
            count=args.count,
            submitters=SUBMITTERS,
            repeat=args.repeat,
            sources=400,
        )
    from pg_cluster import ClusterError, start_cluster

    report: dict[str, Any] = {
        "scale": sizes.scale,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "submitters": sizes.submitters,
        "per_configuration": sizes.count - sizes.count % sizes.submitters,
        "repeat": sizes.repeat,
        "backends": {},
    }
    with tempfile.TemporaryDirectory(prefix="opp-bench-") as folder:
        path = duckdb_file(sizes, Path(folder), cached=not args.dry_run)
        print(f"DuckDB file ready (load {load_average()})", flush=True)
        report["backends"][DUCKDB] = measure_backend(DUCKDB, str(path), sizes, dry_run=args.dry_run)
        keep_partial(report, args.results, dry_run=args.dry_run)
        Path(path).unlink()
        try:
            cluster = start_cluster()
        except ClusterError as exc:
            raise SystemExit(f"PostgreSQL could not be started: {exc}") from exc
        try:
            url, took = postgres_database(cluster, sizes)
            report["postgres_build_s"] = round(took, 1)
            print(f"PostgreSQL database built in {took:.0f} s (load {load_average()})", flush=True)
            import psycopg

            with psycopg.connect(url) as con:
                report["postgres_version"] = con.execute("SHOW server_version").fetchone()[0]
            report["backends"][POSTGRES] = measure_backend(
                POSTGRES, url, sizes, dry_run=args.dry_run
            )
        finally:
            cluster.stop()
    section = markdown(report)
    print(section)
    if args.results:
        args.results.mkdir(parents=True, exist_ok=True)
        (args.results / "backends.json").write_text(json.dumps(report, indent=2), "utf-8")
        (args.results / "backends.md").write_text(section, "utf-8")
    elif not args.dry_run:
        write_results(f"backends-x{sizes.scale:g}", report, section)


if __name__ == "__main__":
    main()
