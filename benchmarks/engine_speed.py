"""Speed of the scoring engine alone: assessments per second on one core.

Scores random complete valid answer sets on the DB37-shaped framework of the engine tests
(24 indicators / 46 items), timing validation + scoring (`score`) and, separately, the JSON
output. No Django is imported.

    python benchmarks/engine_speed.py [--sets 2000] [--repeat 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.engine import result_to_json, score, validate_answers  # noqa: E402

FACTORY_PATH = ROOT / "tests" / "scoring" / "engine" / "specs_factory.py"


def load_factory() -> ModuleType:
    spec = importlib.util.spec_from_file_location("engine_specs_factory", FACTORY_PATH)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {FACTORY_PATH}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def best_rate(label: str, work: Sequence[Any], run: Callable[[Any], object], repeat: int) -> float:
    """Best of `repeat` passes over `work`, in items per second."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for entry in work:
            run(entry)
        best = min(best, time.perf_counter() - start)
    rate = len(work) / best
    print(f"{label:<36} {rate:>10,.0f} /s   ({best / len(work) * 1e6:7.1f} us each)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=2000, help="answer sets per pass")
    parser.add_argument("--repeat", type=int, default=5, help="passes; the best one counts")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    factory = load_factory()
    framework = factory.make_db37()
    rng = random.Random(args.seed)
    answer_sets = [factory.random_answers(framework, rng) for _ in range(args.sets)]
    score(framework, answer_sets[0])  # compile the plan outside the timing
    if any(name.split(".")[0] == "django" for name in sys.modules):
        raise SystemExit("the engine must not import Django")

    print(
        f"{len(framework.indicators)} indicators, {len(framework.items)} items, "
        f"{args.sets} complete answer sets, best of {args.repeat} passes, one core"
    )
    results = [score(framework, answers) for answers in answer_sets]
    best_rate(
        "validate_answers", answer_sets, lambda a: validate_answers(framework, a), args.repeat
    )
    rate = best_rate(
        "score (validation + scoring)", answer_sets, lambda a: score(framework, a), args.repeat
    )
    best_rate("result_to_json", results, result_to_json, args.repeat)
    print(f"engine speed: {rate:,.0f} assessments/s (score, target >= 5,000)")


if __name__ == "__main__":
    main()
