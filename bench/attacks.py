"""How well the confidentiality layer holds, and what it costs in accuracy.

    .venv/bin/python bench/attacks.py [--scale 1]

1. The attack classes of tests/unit/attacks.py against the demo's latest release, with
   the protection on and, as the baseline measured in the same run, with the perturbation
   switched off: attempts, exact recoveries (to 0.5 %), share within 10 %, median error.
2. The accuracy it costs: the expected relative error of a published sum of n
   contributors with lognormal values (budgets), for n = 3 … 300, from the same
   `publish_cell` every page uses.

Writes bench/results/attacks.json and attacks.md (tables for docs/CONFIDENTIALITY.md).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "unit"))

import attacks  # noqa: E402
from attack_kit import World  # noqa: E402

from opp.demo.generator import build_demo  # noqa: E402
from opp.indicators import disclosure, engine  # noqa: E402
from opp.indicators.model import Indicator  # noqa: E402
from opp.indicators.policy import load_policy  # noqa: E402
from opp.store import open_store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
ATTACKS = ("subtraction", "linked_tables", "shares", "map_places")


def _quiet():
    policy = load_policy()
    return policy.model_copy(
        update={
            "perturbation": policy.perturbation.model_copy(
                update={"magnitude": 0.0, "counts": (0.0, 0.0, 1.0, 0.0, 0.0), "quantiles": 0.0}
            )
        }
    )


def attack_table(path: Path) -> list[dict]:
    rows = []
    original = engine.load_policy
    for protected in (True, False):
        engine.load_policy = original if protected else _quiet
        store = open_store(path)
        try:
            world = World(store)
            for name in ATTACKS:
                summary = getattr(attacks, name)(world).summary()
                rows.append({"protected": protected, **summary})
        finally:
            store.close()
    engine.load_policy = original
    return rows


def accuracy_table(seed: int = 7, trials: int = 400) -> list[dict]:
    policy = load_policy()
    rng = np.random.default_rng(seed)
    indicator = Indicator.model_validate(
        {
            "id": "t",
            "domain": "economie",
            "label": "T",
            "definition": "T",
            "kind": "sum",
            "unit": "eur",
            "question": "x",
        }
    )
    rows = []
    for n in (3, 5, 10, 20, 50, 100, 300):
        errors = []
        for _ in range(trials):
            values = rng.lognormal(mean=12, sigma=1.0, size=n)
            ordered = np.sort(values)[::-1]
            row = {
                "n": n,
                "ck": int(rng.integers(0, 2**32)),
                "k1": int(rng.integers(0, 2**32)),
                "s": float(values.sum()),
                "t1": float(ordered[0]),
                "t2": float(ordered[1]) if n > 1 else 0.0,
                "neg": False,
            }
            shown = disclosure.publish_cell(row, indicator, indicator.series[0], policy)
            errors.append(abs(shown["value"] - row["s"]) / row["s"])
        rows.append(
            {
                "contributors": n,
                "mean_relative_error": round(float(np.mean(errors)), 4),
                "p90_relative_error": round(float(np.quantile(errors, 0.9)), 4),
            }
        )
    return rows


def markdown(attack_rows: list[dict], accuracy_rows: list[dict]) -> str:
    lines = [
        "| attack | protected | attempts | exact | within 10 % | median error |",
        "|---|---|---|---|---|---|",
    ]
    for r in attack_rows:
        lines.append(
            f"| {r['attack']} | {'yes' if r['protected'] else 'no (baseline)'} | "
            f"{r['attempts']} | {r['exact']} | {r['within_10pct']:.0%} | "
            f"{r['median_error']:.0%} |"
        )
    lines += ["", "| contributors | mean relative error | 90th percentile |", "|---|---|---|"]
    for r in accuracy_rows:
        lines.append(
            f"| {r['contributors']} | {r['mean_relative_error']:.1%} | "
            f"{r['p90_relative_error']:.1%} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.duckdb"
        store = open_store(path)
        build_demo(store, scale=args.scale)
        store.close()
        attack_rows = attack_table(path)
        shutil.rmtree(folder, ignore_errors=True)
    accuracy_rows = accuracy_table()
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"scale": args.scale, "attacks": attack_rows, "accuracy": accuracy_rows}
    (RESULTS / "attacks.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (RESULTS / "attacks.md").write_text(markdown(attack_rows, accuracy_rows), encoding="utf-8")
    print(markdown(attack_rows, accuracy_rows))


if __name__ == "__main__":
    main()
