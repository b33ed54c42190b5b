"""Benchmark: render time of every page of the app, cold and warm, through AppTest.

    .venv/bin/python bench/pages.py --scale 1
    .venv/bin/python bench/pages.py --scale 100     # then the growth ×1 → ×100 is added
    .venv/bin/python bench/pages.py --growth        # only recompute the growth from JSON

Runs the real app (`app.py`, `st.navigation` over pages/) with `streamlit.testing.v1`
`AppTest` on a private COPY of the cached demo database (bench/data/demo-x{scale}.duckdb;
some pages write, e.g. `repondre` opens a draft). For every page in pages/, signed in as
a demo account the menu shows that page to (admin; the demo contributor of the cirque
questionnaire for repondre, ma_fiche and mes_donnees; signed out for connexion):

- cold: the first render of the page in a fresh process state — new AppTest session,
  Streamlit caches (`st.cache_data`, `st.cache_resource`: the store, catalogues, frames,
  indicator results) and OPP's in-process memos (functools caches of opp.*) cleared
  just before `switch_page(page).run()`; what the first viewer pays after a restart.
  Python imports are not redone (a server pays them once, at start);
- warm: a second render of the same page in the same session (`at.run()`), every cache
  filled: what a viewer pays when a widget changes nothing the caches key on.

Each page is measured in its own new process (imports done and the app started once,
unmeasured, before its runs); a page still rendering after `--budget` seconds is stopped
and reported as "> budget", and one whose cold render exceeds `--slow` seconds is
measured once rather than `--repeat` times.

Baseline, measured in the same run and interleaved: a trivial page (`st.title("x")`) run
through AppTest — the framework's own cost of a script run, measured like the pages on
an AppTest already started (its first run, ~0.2 s of AppTest start-up that no page time
includes, is recorded too). Ratios are page / trivial.
With OPP_BENCH_FIGURES=rebuilt in the environment, every figure is built again on
each render, as before issue 17 (the "before" of docs/PERFORMANCE.md).
Times are the best of `--repeat` runs. Results: bench/results/pages-x{scale}.json and
.md; when both ×1 and ×100 results exist, bench/results/pages-growth.md compares the
growth of each page's time with the growth of the data (answer rows).
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from dashboards import RESULTS, demo_database, describe, machine, write_results  # noqa: E402

APP = ROOT / "app.py"
TRIVIAL = 'import streamlit as st\n\nst.title("x")\n'
CONTRIBUTOR_PAGES = {"repondre", "ma_fiche", "mes_donnees"}
SIGNED_OUT_PAGES = {"connexion"}


def viewer_key(page: str) -> str | None:
    """The demo account a page is rendered for (one the menu shows the page to)."""
    if page in CONTRIBUTOR_PAGES:
        return "contrib:cirque"
    if page in SIGNED_OUT_PAGES:
        return None
    return "admin"


def demo_viewer(db: Path, key: str):
    """The viewer of a demo account (as tests/conftest.py `demo_viewer`)."""
    from opp.services import auth
    from opp.store import accounts, open_store

    store = open_store(db)
    try:
        everyone = accounts.all_accounts(store)
    finally:
        store.close()
    role, _, scope = key.partition(":")
    if role == "contrib":
        email = f"{scope.replace('_', '-')}-carry-forward@demo.opp"
        return auth.viewer_of(next(a for a in everyone if a.email == email))
    return auth.viewer_of(next(a for a in everyone if a.role == role))


def clear_process_caches() -> None:
    """What a fresh server process would not have: Streamlit caches and OPP's memos."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()  # drops the store: its DuckDB connection closes when collected
    for name, module in list(sys.modules.items()):
        if not (name == "opp" or name.startswith("opp.")):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()
    gc.collect()


def import_page_modules() -> None:
    """Run the import statements of every page once: a server imports them at its first
    visitor, not at every page, so no measured render should pay a module import."""
    import ast

    for path in sorted((ROOT / "pages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        exec(compile(ast.Module(body=imports, type_ignores=[]), str(path), "exec"), {})


def new_app(viewers: dict[str, Any], key: str | None, timeout: float):
    from streamlit.testing.v1 import AppTest

    from opp import clock
    from opp.services import auth
    from opp.ui.session import SESSION_KEY

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if key is not None:
        at.session_state[SESSION_KEY] = auth.Session(viewer=viewers[key], last_seen=clock.now())
    return at


def problems(at) -> list[str]:
    """Exceptions and error boxes of the last run (a broken page must not look fast)."""
    out = [f"exception: {e.value}"[:300] for e in at.exception]
    out += [f"error: {e.value}"[:300] for e in at.error]
    return out


def render(page: str, viewers: dict[str, Any], timeout: float, report=None):
    """(cold, warm) seconds of one page and the problems it showed; `report(kind, value)`
    hears the cold time before the warm render starts."""
    at = new_app(viewers, viewer_key(page), timeout)
    at.run()  # the shell: language, session, menu (and the default page)
    clear_process_caches()
    started = time.perf_counter()
    at.switch_page(f"pages/{page}.py").run()
    cold = time.perf_counter() - started
    found = problems(at)
    if report:
        report("cold", cold)
    started = time.perf_counter()
    at.run()
    warm = time.perf_counter() - started
    return cold, warm, found + problems(at)


def trivial(timeout: float) -> tuple[float, float]:
    """(first run of a new AppTest, a later run): the framework's costs, no app code.

    Page times are runs of an AppTest already started (the shell ran first), so they
    are compared with the later run; the first run (AppTest's own start) is recorded.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(TRIVIAL, default_timeout=timeout)
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    started = time.perf_counter()
    at.run()
    return first, time.perf_counter() - started


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _n(count: int) -> str:
    return f"{count:,}".replace(",", " ")


def _fmt(value: float | None, spec: str, budget: float | None = None) -> str:
    if value is None:
        return f"> {budget:g} s" if budget else "—"
    return format(value, spec)


def markdown(report: dict[str, Any]) -> str:
    title = (
        f"### ×{report['scale']:g}: {_n(report['submitted_responses'])} submitted responses, "
        f"{_n(report['answer_rows'])} answer rows — trivial page {report['trivial_ms']:.1f} ms"
    )
    lines = [
        title,
        "",
        "| page | viewer | cold ms | warm ms | cold / trivial | warm / trivial | notes |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    budget = report.get("budget_s")
    for page, r in report["pages"].items():
        notes = "; ".join([*r.get("notes", []), *r["problems"]])
        notes = notes.replace("|", "\\|").replace("\n", " ")[:160]
        lines.append(
            f"| {page} | {r['viewer'] or 'signed out'} | {_fmt(r['cold_ms'], '.0f', budget)} | "
            f"{_fmt(r['warm_ms'], '.0f', budget)} | {_fmt(r['cold_over_trivial'], '.1f')} | "
            f"{_fmt(r['warm_over_trivial'], '.1f')} | {notes} |"
        )
    lines += [
        "",
        (
            f"Best of {report['repeat']} runs, each page in a new process. Machine: "
            f"{describe(report['machine'])}."
        ),
        "",
    ]
    return "\n".join(lines)


def _ratio(high: float | None, low: float | None) -> float | None:
    return high / low if high is not None and low else None


def growth(low: dict[str, Any], high: dict[str, Any]) -> str:
    """Time growth of each page from one scale to another, beside the data growth."""
    data = high["answer_rows"] / low["answer_rows"]
    trivial_growth = high["trivial_ms"] / low["trivial_ms"]
    title = (
        f"### Growth ×{low['scale']:g} → ×{high['scale']:g}: answer rows × {data:.1f} "
        f"({_n(low['answer_rows'])} → {_n(high['answer_rows'])}); trivial page "
        f"× {trivial_growth:.2f}"
    )
    lines = [
        title,
        "",
        "| page | cold ms | cold growth | warm ms | warm growth | cold growth / data growth |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    budget = high.get("budget_s")
    for page, h in high["pages"].items():
        lo = low["pages"].get(page)
        if lo is None:
            continue
        cold, warm = _ratio(h["cold_ms"], lo["cold_ms"]), _ratio(h["warm_ms"], lo["warm_ms"])
        share = cold / data if cold is not None else None
        lines.append(
            f"| {page} | {_fmt(lo['cold_ms'], '.0f')} → {_fmt(h['cold_ms'], '.0f', budget)} | "
            f"× {_fmt(cold, '.1f')} | {_fmt(lo['warm_ms'], '.0f')} → "
            f"{_fmt(h['warm_ms'], '.0f', budget)} | × {_fmt(warm, '.1f')} | "
            f"{_fmt(share, '.3f')} |"
        )
    lines += [
        "",
        (
            "Growth is the ratio of best times at the two scales; a page whose cost followed "
            f"the data would show × {data:.0f}."
        ),
        "",
    ]
    return "\n".join(lines)


def write_growth() -> Path | None:
    files = {s: RESULTS / f"pages-x{s}.json" for s in (1, 100)}
    if not all(f.exists() for f in files.values()):
        return None
    low, high = (json.loads(files[s].read_text(encoding="utf-8")) for s in (1, 100))
    out = RESULTS / "pages-growth.md"
    out.write_text(growth(low, high), encoding="utf-8")
    return out


def worker(page: str, db: Path, repeat: int, slow: float, out: Path) -> None:
    """Measure one page in this (fresh) process; one JSON line per figure into `out`.

    Lines are flushed as they come, so a page killed for exceeding its time budget
    still leaves the figures it finished.
    """
    import streamlit.config
    import streamlit.logger

    # No "no runtime" / "missing ScriptRunContext" warnings from clearing caches out here.
    streamlit.config.set_option("logger.level", "error")
    streamlit.logger.set_log_level("error")
    os.chdir(ROOT)
    os.environ["OPP_DB"] = str(db)
    timeout = 365 * 24 * 3600.0  # the parent enforces the budget (it can kill a process)
    with out.open("a", encoding="utf-8") as sink:

        def emit(kind: str, value: object) -> None:
            sink.write(json.dumps({"kind": kind, "value": value}) + "\n")
            sink.flush()

        if os.environ.get("OPP_BENCH_FIGURES") == "rebuilt":  # the "before" of issue 17
            import opp.ui.data

            opp.ui.data.figure = lambda result, lang, drawing, build: build()
        viewers = {key: demo_viewer(db, key) for key in ("admin", "contrib:cirque")}
        # Warm-up, not measured: imports and Streamlit's own first-run costs.
        import_page_modules()
        trivial(timeout)
        render("accueil", viewers, timeout)
        for _ in range(repeat):  # interleaved with the baseline
            first, run = trivial(timeout)
            emit("apptest_first_run", first)
            emit("trivial", run)
            cold, warm, found = render(page, viewers, timeout, emit)
            emit("warm", warm)
            emit("problems", found)
            if cold > slow:  # minutes per render: once is enough
                emit("note", f"measured once (cold render over {slow:g} s)")
                break
        clear_process_caches()  # closes the store


def run_worker(page: str, db: Path, args: argparse.Namespace) -> dict[str, list[Any]]:
    """Run `worker` in a new process, killed (with its children) after the page budget."""
    import signal
    import subprocess

    out = db.parent / f"{page}.jsonl"
    out.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--worker", page, "--db", str(db)]
    command += ["--repeat", str(args.repeat), "--slow", str(args.slow), "--out", str(out)]
    proc = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    killed = False
    try:
        proc.wait(timeout=args.budget)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own process group (start_new_session)
        proc.wait()
        killed = True
    figures: dict[str, list[Any]] = {}
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            figures.setdefault(item["kind"], []).append(item["value"])
    if killed:
        figures.setdefault("note", []).append(f"stopped after the {args.budget:g} s budget")
    elif proc.returncode != 0:
        figures.setdefault("note", []).append(f"worker failed (exit {proc.returncode})")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = __doc__
    parser.add_argument("--scale", type=float, default=1, help="demo region scale (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    parser.add_argument(
        "--page", action="append", help="only this page (repeatable; printed, not saved)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=900,
        help="seconds allowed per page, all runs included; a page over it is stopped and "
        "reported as such (default 900)",
    )
    parser.add_argument(
        "--slow",
        type=float,
        default=30,
        help="a page whose cold render takes longer than this many seconds is measured "
        "once (default 30)",
    )
    parser.add_argument(
        "--growth", action="store_true", help="only write the ×1 → ×100 growth from saved JSON"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.db, args.repeat, args.slow, args.out)
        return
    if args.growth:
        out = write_growth()
        if out is None:
            parser.error("needs bench/results/pages-x1.json and pages-x100.json")
        print(out.read_text(encoding="utf-8"))
        return
    source = demo_database(args.scale)
    workdir = Path(tempfile.mkdtemp(prefix="opp-bench-pages-"))
    db = workdir / "demo.duckdb"
    shutil.copy(source, db)  # pages write (repondre opens a draft): never the cached file
    try:
        report = measure(args, db)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.page:
        print(markdown(report))
        print("(some pages only: results not saved)")
        return
    write_results(f"pages-x{args.scale:g}", report, markdown(report))
    grown = write_growth()
    if grown is not None:
        print(grown.read_text(encoding="utf-8"))
        print(f"→ {grown.relative_to(ROOT)}")


def measure(args: argparse.Namespace, db: Path) -> dict[str, Any]:
    from opp.store import open_store

    store = open_store(db)
    cur = store.cursor()
    rows = cur.execute("SELECT count(*) FROM answers").fetchall()[0][0]
    submitted = "SELECT count(*) FROM responses WHERE status = 'submitted'"
    responses = cur.execute(submitted).fetchall()[0][0]
    store.close()
    pages = args.page or sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    report: dict[str, Any] = {
        "scale": args.scale,
        "answer_rows": rows,
        "submitted_responses": responses,
        "repeat": args.repeat,
        "budget_s": args.budget,
        "machine": machine(),
        "pages": {},
    }
    print(f"scale ×{args.scale:g}: {responses} submitted responses, {rows} answer rows")
    print(f"{'page':28} {'cold ms':>9} {'warm ms':>9}  notes", flush=True)
    trivials: list[float] = []
    starts: list[float] = []
    for page in pages:
        figures = run_worker(page, db, args)
        trivials += figures.get("trivial", [])
        starts += figures.get("apptest_first_run", [])
        colds, warms = figures.get("cold", []), figures.get("warm", [])
        notes = figures.get("note", [])
        found = (figures.get("problems") or [[]])[-1]
        entry: dict[str, Any] = {
            "viewer": viewer_key(page),
            "runs": len(colds),
            "cold_ms": _ms(min(colds)) if colds else None,
            "warm_ms": _ms(min(warms)) if warms else None,
            "cold_median_ms": _ms(statistics.median(colds)) if colds else None,
            "warm_median_ms": _ms(statistics.median(warms)) if warms else None,
            "timed_out": any("budget" in n for n in notes),
            "notes": notes,
            "problems": found,
        }
        report["pages"][page] = entry
        shown = [
            f"{entry[k]:>9.0f}" if entry[k] is not None else f"{'> budget':>9}"
            for k in ("cold_ms", "warm_ms")
        ]
        print(f"{page:28} {shown[0]} {shown[1]}  {'; '.join(notes)}", flush=True)
        for line in found:
            print("   ", line)
    if not trivials:
        raise SystemExit("no page finished its warm-up within the budget: nothing to report")
    report["trivial_ms"] = _ms(min(trivials))
    report["trivial_median_ms"] = _ms(statistics.median(trivials))
    report["apptest_first_run_ms"] = _ms(min(starts))
    for entry in report["pages"].values():
        for kind in ("cold", "warm"):
            value = entry[f"{kind}_ms"]
            entry[f"{kind}_over_trivial"] = (
                round(value / report["trivial_ms"], 1) if value is not None else None
            )
    print(f"trivial page (baseline): {report['trivial_ms']:.1f} ms")
    return report


if __name__ == "__main__":
    main()
