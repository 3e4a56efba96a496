"""Evaluate the gate on a labelled TSV (``label<TAB>lang<TAB>text[<TAB>category]``).

Prints recall, specificity (overall and per lang), per-category misses and latency.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.core.segment import ensure_ready
from app.safety.detector import assess, crisis_model


class EvalFormatError(ValueError):
    """A line of the evaluation file is not ``label<TAB>lang<TAB>text[<TAB>category]``."""


@dataclass(frozen=True)
class Case:
    line: int
    label: str
    lang: str
    text: str
    category: str


@dataclass
class Counts:
    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    by_lang: dict[str, Counts] = field(default_factory=dict)
    misses_by_category: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[Case, str]] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    with path.open(encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 3 or len(parts) > 4 or not parts[0].strip() or not parts[2].strip():
                raise EvalFormatError(
                    f"{path}:{number}: expected label<TAB>lang<TAB>text[<TAB>category], "
                    f"got {len(parts)} column(s)"
                )
            if number == 1 and parts[0].strip().lower() == "label":
                continue  # header
            category = parts[3].strip() if len(parts) == 4 else ""
            cases.append(Case(number, parts[0].strip().lower(), parts[1].strip().lower(), parts[2], category))
    return cases


def evaluate(cases: list[Case]) -> Report:
    ensure_ready()
    crisis_model()  # trained before the clock starts: latency is per message, not the one-off training
    report = Report()
    for case in cases:
        started = time.perf_counter()
        level = assess(case.text).level
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        lang = report.by_lang.setdefault(case.lang, Counts())
        positive = case.label == "crisis"
        hit = level == "crisis"
        for counts in (report.overall, lang):
            if positive:
                counts.tp += hit
                counts.fn += not hit
            else:
                counts.fp += hit
                counts.tn += not hit
        if positive != hit:
            report.misses_by_category[f"{'FN' if positive else 'FP'} {case.category or '-'}"] += 1
            report.misses.append((case, level))
    return report


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render(report: Report, *, show_misses: bool) -> str:
    o = report.overall
    lines = [
        f"cases={o.tp + o.fn + o.tn + o.fp} crisis={o.tp + o.fn} other={o.tn + o.fp}",
        f"overall  recall={_fmt(o.recall)} ({o.tp}/{o.tp + o.fn})  "
        f"specificity={_fmt(o.specificity)} ({o.tn}/{o.tn + o.fp})",
    ]
    for lang, c in sorted(report.by_lang.items()):
        lines.append(
            f"lang={lang:<4} recall={_fmt(c.recall)} ({c.tp}/{c.tp + c.fn})  "
            f"specificity={_fmt(c.specificity)} ({c.tn}/{c.tn + c.fp})"
        )
    lines.append("misses by category (FN = crisis missed, FP = false crisis):")
    for key, count in sorted(report.misses_by_category.items()):
        lines.append(f"  {key}: {count}")
    if not report.misses_by_category:
        lines.append("  none")
    lines.append(f"latency p50={report.percentile(0.5):.3f} ms p99={report.percentile(0.99):.3f} ms")
    if show_misses:
        lines.append("misses:")
        for case, level in report.misses:
            lines.append(
                f"  line {case.line} [{case.label}->{level}] {case.lang} {case.category}: {case.text}"
            )
    return "\n".join(lines)
