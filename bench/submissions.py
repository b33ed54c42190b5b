"""Benchmark: submitting a full response (what the app does on "submit"), 1 and 8 threads.

    .venv/bin/python bench/submissions.py --scale 100   # also --scale 1

Works on a copy of the cached demo database (bench/data/demo-x{scale}.duckdb, built once
by `bench/dashboards.py:demo_database`), so the cache stays pristine. Realistic full
answer sets are read back from submitted responses of the campaigns open today
(`opp.services.responses.load_answers`); each measured submission is made for a fresh
organisation (created with `opp.services.organisations.create`) that has a draft
(`opp.services.responses.start`) for that campaign and has not answered it yet.

Measured, in the same run and interleaved in rounds (so both methods see the same table
sizes), with 1 and with 8 threads sharing the one `Store` (each thread its own cursor):

- **opp**: `opp.services.responses.save(..., submit=True)` — access checks, validation of
  the whole answer set against the campaign's questionnaire snapshot, then one
  transaction updating the response (row version guard), replacing its answers with one
  Arrow batch and appending to the audit log;
- **executemany** (baseline): the same answer rows (already validated and converted,
  outside the timer) inserted with `INSERT INTO answers VALUES (?, ...)` through DuckDB's
  `executemany`, one transaction per response.

Reported per method and thread count: p50 / p95 / max latency of one submission
(`perf_counter` around the call), throughput (submissions / wall-clock second of the
batch), conflicts and other errors (both should be 0), and the ratio opp / baseline.
Targets (issue): p95 ≤ 20 ms and ≥ 100 submissions/s. Results go to
bench/results/submissions-x{scale}.json and .md (a section for docs/PERFORMANCE.md).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from dashboards import demo_database, write_results  # noqa: E402

from opp import clock  # noqa: E402
from opp.access.viewer import SYSTEM, Role, Viewer  # noqa: E402
from opp.errors import OppError  # noqa: E402
from opp.questionnaire.answers import to_columns  # noqa: E402
from opp.questionnaire.validation import EvalContext, validate_answers  # noqa: E402
from opp.services import organisations, questionnaires, responses  # noqa: E402
from opp.store import Store, open_store  # noqa: E402
from opp.store.records import Campaign  # noqa: E402

TARGET_P95_MS = 20.0
TARGET_PER_S = 100.0
METHODS = ("opp", "executemany")
WARM_UP = 5  # submissions per method before measuring
ANSWER_COLUMNS = (
    "response_id",
    "question_id",
    "item",
    "group_id",
    "value_num",
    "value_text",
    "value_bool",
    "value_date",
    "value_list",
)
INSERT_SQL = (
    f"INSERT INTO answers ({', '.join(ANSWER_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in ANSWER_COLUMNS)})"
)


def machine() -> dict[str, Any]:
    """The machine and library versions, recorded beside every figure."""
    import duckdb
    import polars as pl
    import pyarrow as pa

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "duckdb": duckdb.__version__,
        "polars": pl.__version__,
        "pyarrow": pa.__version__,
    }


@dataclass
class Source:
    """A full answer set of a submitted response, with what its insert needs."""

    campaign: Campaign
    organisation: dict[str, Any]
    answers: dict[str, Any]
    rows: list[tuple[Any, ...]]  # answer rows without response_id (validated, converted)


@dataclass
class Task:
    viewer: Viewer
    response_id: str
    expected_version: int
    answers: dict[str, Any]
    rows: list[tuple[Any, ...]]


@dataclass
class Batch:
    latencies: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # CPU time of the calling thread
    wall: float = 0.0
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)


def open_campaigns(store: Store) -> list[Campaign]:
    from opp.services import campaigns

    today = clock.today()
    return [c for c in campaigns.list_all(store, SYSTEM) if c.state(today) == "open"]


def load_sources(store: Store, campaigns: list[Campaign], limit: int) -> tuple[list[Source], int]:
    """Up to `limit` submitted answer sets of the open campaigns (random by id), read
    back as the app reads them; those the validation would refuse today are skipped."""
    by_id = {c.id: c for c in campaigns}
    cur = store.cursor()
    rows = cur.execute(
        "SELECT r.id, r.campaign_id, o.id, o.structure_type, o.legal_form, o.commune "
        "FROM responses r JOIN organisations o ON o.id = r.organisation_id "
        f"WHERE r.status = 'submitted' AND r.campaign_id IN ({', '.join('?' for _ in by_id)}) "
        "ORDER BY r.id LIMIT ?",
        [*by_id, limit],
    ).fetchall()
    sources, refused = [], 0
    for response_id, campaign_id, org_id, structure_type, legal_form, commune in rows:
        campaign = by_id[campaign_id]
        owner = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org_id, filiere=campaign.filiere)
        answers = responses.load_answers(store, owner, response_id)
        questionnaire = questionnaires.get(
            store, owner, campaign.questionnaire_id, campaign.questionnaire_version
        )
        context = EvalContext(reference_year=campaign.reference_year, today=clock.today())
        result = validate_answers(questionnaire, answers, context=context, complete=True)
        if not result.ok:
            refused += 1
            continue
        columns = to_columns(questionnaire, result.cleaned)
        sources.append(
            Source(
                campaign=campaign,
                organisation={
                    "structure_type": structure_type,
                    "legal_form": legal_form,
                    "commune": commune,
                },
                answers=answers,
                rows=list(zip(*columns.values(), strict=True)),
            )
        )
    return sources, refused


def prepare(store: Store, sources: list[Source], count: int, start: int) -> list[Task]:
    """`count` fresh organisations, each with a draft for the campaign of its answer set."""
    tasks = []
    for n in range(start, start + count):
        source = sources[n % len(sources)]
        campaign = source.campaign
        org = organisations.create(
            store,
            SYSTEM,
            name=f"Structure banc d'essai {n}",
            filieres=[campaign.filiere],
            **source.organisation,
        )
        viewer = Viewer(
            role=Role.CONTRIBUTEUR,
            organisation_id=org.id,
            filiere=campaign.filiere,
            account_id=f"bench-{n}",
        )
        meta = responses.start(store, viewer, campaign.id)
        tasks.append(
            Task(
                viewer=viewer,
                response_id=meta.id,
                expected_version=meta.row_version,
                answers=copy.deepcopy(source.answers),
                rows=[(meta.id, *row) for row in source.rows],
            )
        )
    return tasks


def submit_opp(store: Store, task: Task) -> None:
    responses.save(
        store,
        task.viewer,
        task.response_id,
        task.answers,
        expected_version=task.expected_version,
        submit=True,
    )


def submit_executemany(store: Store, task: Task) -> None:
    with store.transaction() as cur:
        cur.executemany(INSERT_SQL, task.rows)


SUBMIT: dict[str, Callable[[Store, Task], None]] = {
    "opp": submit_opp,
    "executemany": submit_executemany,
}


def run_batch(store: Store, method: str, tasks: list[Task], threads: int) -> Batch:
    """Submit every task with `threads` threads taking the next task from a shared list."""
    batch = Batch()
    submit = SUBMIT[method]
    pending = iter(tasks)
    take = threading.Lock()
    record = threading.Lock()
    ready = threading.Barrier(threads + 1)

    def worker() -> None:
        store.cursor()  # this thread's cursor, created before the clock starts
        ready.wait()
        while True:
            with take:
                task = next(pending, None)
            if task is None:
                return
            started, cpu_started = time.perf_counter(), time.thread_time()
            try:
                submit(store, task)
            except OppError as err:
                with record:
                    if err.code == "CONFLICT":
                        batch.conflicts += 1
                    else:
                        batch.errors.append(f"{err.code}: {err.message('en')[:200]}")
                continue
            except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
                with record:
                    batch.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            elapsed = time.perf_counter() - started
            cpu = time.thread_time() - cpu_started
            with record:
                batch.latencies.append(elapsed)
                batch.cpu.append(cpu)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    batch.wall = time.perf_counter() - started
    return batch


def summarise(batches: list[Batch]) -> dict[str, Any]:
    latencies = sorted(x for b in batches for x in b.latencies)
    cpu = [x for b in batches for x in b.cpu]
    done = len(latencies)
    wall = sum(b.wall for b in batches)
    if done >= 2:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        p50, p95 = statistics.median(latencies), cuts[94]
    else:
        p50 = p95 = latencies[0] if latencies else float("nan")
    errors = [e for b in batches for e in b.errors]
    return {
        "submissions": done,
        "p50_ms": round(p50 * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
        "cpu_p50_ms": round(statistics.median(cpu) * 1000, 2) if cpu else None,
        "per_s": round(done / wall, 1) if wall else None,
        "wall_s": round(wall, 3),
        "conflicts": sum(b.conflicts for b in batches),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
    }


def table_rows(report: dict[str, Any]) -> list[str]:
    lines = [
        (
            "| threads | method | p50 ms | p95 ms | max ms | CPU ms | submissions/s | conflicts "
            "| errors | p95 / baseline | throughput / baseline |"
        ),
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for threads, by_method in report["results"].items():
        base = by_method["executemany"]
        for method in METHODS:
            r = by_method[method]
            ratio_p95 = r["p95_ms"] / base["p95_ms"] if base["p95_ms"] else float("nan")
            ratio_rate = r["per_s"] / base["per_s"] if base["per_s"] else float("nan")
            name = "`responses.save`" if method == "opp" else "executemany (baseline)"
            lines.append(
                f"| {threads} | {name} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
                f"{r['max_ms']:.1f} | {r['cpu_p50_ms']:.1f} | {r['per_s']:.0f} | "
                f"{r['conflicts']} | {r['errors']} | {ratio_p95:.2f} | {ratio_rate:.2f} |"
            )
    return lines


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    db = report["database"]
    load = report["load_average_before_after"]
    lines = [
        (
            f"### ×{report['scale']:g}: {_n(db['submitted_responses'])} submitted responses, "
            f"{_n(db['answer_rows'])} answer rows — {report['per_configuration']} submissions "
            f"per configuration, {report['rows_per_submission']:.0f} answer rows each on average"
        ),
        "",
        *table_rows(report),
        "",
        (
            "Latencies are wall-clock per call; CPU ms is the median CPU time of the "
            "submitting thread (DuckDB work included, waiting for a core excluded); "
            "submissions/s is submissions over the wall-clock time of the batches. "
            f"Targets: p95 ≤ {TARGET_P95_MS:g} ms and ≥ {TARGET_PER_S:g} submissions/s "
            "(`responses.save`)."
        ),
        "",
    ]
    for threads, by_method in report["results"].items():
        r = by_method["opp"]
        met_p95 = "met" if r["p95_ms"] <= TARGET_P95_MS else "**missed**"
        met_rate = "met" if r["per_s"] >= TARGET_PER_S else "**missed**"
        lines.append(
            f"- {threads} thread{'s' if threads != '1' else ''}: p95 {r['p95_ms']:.1f} ms "
            f"({met_p95}), {r['per_s']:.0f} submissions/s ({met_rate})."
        )
    lines += [
        "",
        (
            f"Machine: {m['processor']}, {m['cpu_count']} CPUs, {m['python']}, "
            f"DuckDB {m['duckdb']}, Polars {m['polars']}, PyArrow {m['pyarrow']}; "
            f"{report['rounds']} interleaved rounds after {report['warm_up_per_method']} "
            f"warm-up submissions per method; 1-minute load average {load[0]:g} → {load[1]:g} "
            "(other processes on the machine)."
        ),
        "",
    ]
    return "\n".join(lines)


def database_figures(store: Store) -> dict[str, int]:
    cur = store.cursor()
    return {
        "answer_rows": cur.execute("SELECT count(*) FROM answers").fetchone()[0],
        "submitted_responses": cur.execute(
            "SELECT count(*) FROM responses WHERE status = 'submitted'"
        ).fetchone()[0],
        "organisations": cur.execute("SELECT count(*) FROM organisations").fetchone()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Targets: p95 ≤ 20 ms, ≥ 100 submissions/s. No assertion on time.",
    )
    parser.add_argument("--scale", type=float, default=1, help="demo scale (1, 10, 100)")
    parser.add_argument(
        "--count", type=int, default=300, help="submissions per method and thread count"
    )
    parser.add_argument("--threads", default="1,8", help="thread counts, comma-separated")
    parser.add_argument(
        "--rounds", type=int, default=6, help="interleaved rounds the submissions are split in"
    )
    parser.add_argument(
        "--sources", type=int, default=400, help="distinct answer sets read from the demo"
    )
    args = parser.parse_args()
    thread_counts = [int(x) for x in args.threads.split(",")]
    per_round = max(1, args.count // args.rounds)
    cached = demo_database(args.scale)

    with tempfile.TemporaryDirectory(prefix="opp-bench-") as tmp:
        path = Path(tmp) / cached.name
        shutil.copy(cached, path)
        wal = cached.with_name(cached.name + ".wal")
        if wal.exists():
            shutil.copy(wal, path.with_name(path.name + ".wal"))
        store = open_store(path)
        started = time.perf_counter()
        before = database_figures(store)
        campaigns = open_campaigns(store)
        sources, refused = load_sources(store, campaigns, args.sources)
        if not sources:
            raise SystemExit("no submitted response of an open campaign in the demo")
        configs = [(t, m) for t in thread_counts for m in METHODS]
        needed = per_round * args.rounds * len(configs)
        tasks = prepare(store, sources, needed + WARM_UP * len(METHODS), start=0)
        store.checkpoint()
        # Warm-up, not measured: first-use imports (DuckDB imports pandas the first time
        # an Arrow table is registered, ~0.5 s), parsed questionnaire snapshots, cursors.
        tasks, warm = tasks[:needed], tasks[needed:]
        for n, method in enumerate(METHODS):
            run_batch(store, method, warm[n * WARM_UP : (n + 1) * WARM_UP], 1)
        load_before = os.getloadavg()
        print(
            f"scale ×{args.scale:g}: {before['submitted_responses']} submitted responses, "
            f"{before['answer_rows']} answer rows; {len(sources)} answer sets from "
            f"{len(campaigns)} open campaigns ({refused} refused by validation today); "
            f"{needed} organisations and drafts prepared in {time.perf_counter() - started:.0f} s"
        )
        batches: dict[tuple[int, str], list[Batch]] = {c: [] for c in configs}
        next_task = 0
        for round_no in range(args.rounds):
            order = configs if round_no % 2 == 0 else configs[::-1]
            for threads, method in order:
                chunk = tasks[next_task : next_task + per_round]
                next_task += per_round
                batches[(threads, method)].append(run_batch(store, method, chunk, threads))
        load_after = os.getloadavg()
        after = database_figures(store)
        store.close()

    rows_each = statistics.fmean(len(s.rows) for s in sources)
    report: dict[str, Any] = {
        "scale": args.scale,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": before,
        "database_after": after,
        "open_campaigns": [c.id for c in campaigns],
        "answer_sets": len(sources),
        "answer_sets_refused": refused,
        "rows_per_submission": round(rows_each, 1),
        "per_configuration": per_round * args.rounds,
        "rounds": args.rounds,
        "warm_up_per_method": WARM_UP,
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "targets": {"p95_ms": TARGET_P95_MS, "per_s": TARGET_PER_S},
        "results": {},
    }
    print(
        f"{'threads':>7} {'method':12} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU ms':>8} "
        f"{'subm/s':>8} {'confl':>6} {'errors':>6}"
    )
    for threads in thread_counts:
        by_method = {m: summarise(batches[(threads, m)]) for m in METHODS}
        base = by_method["executemany"]
        ours = by_method["opp"]
        ours["p95_over_baseline"] = round(ours["p95_ms"] / base["p95_ms"], 2)
        ours["per_s_over_baseline"] = round(ours["per_s"] / base["per_s"], 2)
        ours["p95_target_met"] = ours["p95_ms"] <= TARGET_P95_MS
        ours["per_s_target_met"] = ours["per_s"] >= TARGET_PER_S
        report["results"][str(threads)] = by_method
        for method, r in by_method.items():
            print(
                f"{threads:>7} {method:12} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
                f"{r['max_ms']:>8.1f} {r['cpu_p50_ms']:>8.1f} {r['per_s']:>8.0f} "
                f"{r['conflicts']:>6} {r['errors']:>6}"
            )
            for sample in r["error_samples"]:
                print(f"        {sample}")
        print(
            f"        opp / baseline: p95 ×{ours['p95_over_baseline']}, throughput "
            f"×{ours['per_s_over_baseline']}; targets p95 ≤ {TARGET_P95_MS:g} ms "
            f"{'met' if ours['p95_target_met'] else 'MISSED'}, ≥ {TARGET_PER_S:g}/s "
            f"{'met' if ours['per_s_target_met'] else 'MISSED'}"
        )
    write_results(f"submissions-x{args.scale:g}", report, markdown(report))


if __name__ == "__main__":
    main()
