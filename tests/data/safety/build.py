"""Assemble the crisis-gate corpus from src/*.txt and split it once (seeded, stratified).

Each src/<category>.txt line is "<lang> <text>" (lang in zh/en/mixed). Run once; the held-out
files are frozen afterwards (sha256 recorded), later additions go to dev only.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DEV = ROOT / "app" / "safety" / "corpus" / "dev.tsv"
HELD = HERE / "heldout.tsv"
SEQ_DEV = ROOT / "app" / "safety" / "corpus" / "sequences_dev.jsonl"
SEQ_HELD = HERE / "sequences_heldout.jsonl"
SEED = 20261202
DEV_SHARE = 0.55

CRISIS = [
    "ideation_direct", "ideation_passive", "method", "plan_time", "preparation", "at_place",
    "attempt_now", "self_harm", "farewell", "burden", "harm_to_others", "harm_from_others",
    "minor", "euphemism", "obfuscated", "mixed",
]  # fmt: skip
ELEVATED = ["distress", "past_attempt", "third_party_now"]
NONE = [
    "hyperbole", "banter", "games", "news", "fiction", "lyrics", "friend_past",
    "medication_question", "recovery_past", "idiom_other", "everyday",
]  # fmt: skip
LABEL = dict.fromkeys(CRISIS, "crisis") | dict.fromkeys(ELEVATED, "elevated") | dict.fromkeys(NONE, "none")


def load() -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for cat, label in LABEL.items():
        path = HERE / "src" / f"{cat}.txt"
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            lang, _, text = line.partition(" ")
            text = " ".join(text.replace("\t", " ").split())
            if lang not in {"zh", "en", "mixed"} or not text:
                sys.exit(f"{path.name}:{n}: bad line {raw!r}")
            if text in seen:
                print(f"skip duplicate {path.name}:{n}: {text}", file=sys.stderr)
                continue
            seen.add(text)
            rows.append((label, lang, text, cat))
    return rows


def split(items: list[T], key: Callable[[T], str]) -> tuple[list[T], list[T]]:
    groups: dict[str, list[T]] = defaultdict(list)
    for it in items:
        groups[key(it)].append(it)
    rng = random.Random(SEED)
    dev: list[T] = []
    held: list[T] = []
    for k in sorted(groups):
        g = groups[k]
        rng.shuffle(g)
        n_dev = round(len(g) * DEV_SHARE) if len(g) > 1 else 1
        dev += g[:n_dev]
        held += g[n_dev:]
    return dev, held


def main() -> None:
    if HELD.exists() and "--force" not in sys.argv:
        sys.exit("held-out already frozen; add new messages to dev.tsv only")
    rows = load()
    dev, held = split(rows, key=lambda r: f"{r[3]}/{r[1]}")
    for path, part in ((DEV, dev), (HELD, held)):
        path.write_text("".join("\t".join(r) + "\n" for r in part), encoding="utf-8")
    seq_src = (HERE / "src" / "sequences.jsonl").read_text(encoding="utf-8")
    seqs: list[dict[str, Any]] = [json.loads(x) for x in seq_src.splitlines() if x.strip()]
    sdev, sheld = split(seqs, key=lambda s: f"{s['label']}/{s['lang']}/{s.get('after_crisis_reply', False)}")
    for path, spart in ((SEQ_DEV, sdev), (SEQ_HELD, sheld)):
        path.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in spart), encoding="utf-8")
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in (HELD, SEQ_HELD)]
    (HERE / "heldout.sha256").write_text("".join(lines), encoding="utf-8")
    print(f"dev={len(dev)} heldout={len(held)} seq_dev={len(sdev)} seq_heldout={len(sheld)}")


if __name__ == "__main__":
    main()
