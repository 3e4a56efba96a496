"""The crisis gate's learned layer: training time and per-message latency (printed, never asserted).

Usage: .venv/bin/python bench/bench_safety_model.py [FILE.tsv] [--rounds N]

Prints the one-off training time (wall and CPU), then p50/p99 over FILE's messages (default the dev corpus)
of the model's score alone and of the whole gate (rules + model), plus each message's fastest round (what it
costs without the scheduler's pauses on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from app.core.segment import ensure_ready
from app.safety import detector, model
from app.safety.detector import assess, normalise
from app.safety.evaluate import load_cases


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _time(label: str, texts: list[str], call: object, rounds: int) -> None:
    assert callable(call)
    timings: list[float] = []
    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for i, text in enumerate(texts):
            started = time.perf_counter()
            call(text)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            best[i] = min(best[i], elapsed)
    print(
        f"{label}: p50={statistics.median(timings):.3f} ms p99={_pct(timings, 0.99):.3f} ms "
        f"max={max(timings):.3f} ms; best of {rounds}: p50={statistics.median(best):.3f} ms "
        f"p99={_pct(best, 0.99):.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=model.CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ensure_ready()
    wall, cpu = time.perf_counter(), time.process_time()
    learned = model.train(detector.training_view)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"training ({learned.info.rows} dev rows, 5-fold CV + fit): wall {wall:.2f} s cpu {cpu:.2f} s")
    print(learned.info.summary())
    detector.crisis_model()  # the process's cached model, used by assess
    texts = [c.text for c in load_cases(args.file)]
    print(f"corpus={args.file} messages={len(texts)} rounds={args.rounds}")
    _time("model score (normalise + score)", texts, lambda t: learned.score(normalise(t)), args.rounds)
    _time("whole gate (rules + model)", texts, assess, args.rounds)


if __name__ == "__main__":
    main()
