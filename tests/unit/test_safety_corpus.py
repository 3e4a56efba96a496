"""Shape and integrity of the crisis-gate evaluation corpus (independent of the gate itself).

The held-out split is frozen: its sha256 is recorded in tests/data/safety/heldout.sha256 and
editing a held-out line makes test_heldout_files_are_frozen fail. Never tune the gate on it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "app" / "safety" / "corpus" / "dev.tsv"
HELD = ROOT / "tests" / "data" / "safety" / "heldout.tsv"
SEQ_DEV = ROOT / "app" / "safety" / "corpus" / "sequences_dev.jsonl"
SEQ_HELD = ROOT / "tests" / "data" / "safety" / "sequences_heldout.jsonl"
SHA_FILE = ROOT / "tests" / "data" / "safety" / "heldout.sha256"

CRISIS = {
    "ideation_direct", "ideation_passive", "method", "plan_time", "preparation", "at_place",
    "attempt_now", "self_harm", "farewell", "burden", "harm_to_others", "harm_from_others",
    "minor", "euphemism", "obfuscated", "mixed",
}  # fmt: skip
ELEVATED = {"distress", "past_attempt", "third_party_now"}
NONE = {
    "hyperbole", "banter", "games", "news", "fiction", "lyrics", "friend_past",
    "medication_question", "recovery_past", "idiom_other", "everyday",
}  # fmt: skip
LABEL_OF = {c: "crisis" for c in CRISIS} | {c: "elevated" for c in ELEVATED} | {c: "none" for c in NONE}
HARD_NEGATIVE = (NONE - {"everyday"}) | {"past_attempt", "third_party_now"}

Row = tuple[str, str, str, str]


def _read(path: Path) -> list[Row]:
    rows: list[Row] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line:
            continue
        fields = line.split("\t")
        assert len(fields) == 4, f"{path.name}:{n}: expected 4 tab-separated fields, got {len(fields)}"
        rows.append((fields[0], fields[1], fields[2], fields[3]))
    return rows


@pytest.fixture(scope="module")
def dev() -> list[Row]:
    return _read(DEV)


@pytest.fixture(scope="module")
def held() -> list[Row]:
    return _read(HELD)


def test_rows_are_valid(dev: list[Row], held: list[Row]) -> None:
    for label, lang, text, cat in dev + held:
        assert cat in LABEL_OF, f"unknown category {cat!r}"
        assert label == LABEL_OF[cat], f"{text!r}: label {label} does not match category {cat}"
        assert lang in {"zh", "en", "mixed"}, f"{text!r}: bad lang {lang!r}"
        assert text.strip() == text and text, f"bad text {text!r}"


def test_size_and_balance(dev: list[Row], held: list[Row]) -> None:
    rows = dev + held
    assert len(rows) >= 1500
    cats = Counter(r[3] for r in rows)
    thin = {c: cats[c] for c in LABEL_OF if cats[c] < 30}
    assert not thin, f"categories with fewer than 30 messages: {thin}"
    hard = sum(r[3] in HARD_NEGATIVE for r in rows)
    assert hard / len(rows) >= 0.40, f"hard negatives {hard}/{len(rows)}"
    english = sum(r[1] == "en" for r in rows)
    assert english / len(rows) >= 0.25, f"english {english}/{len(rows)}"


def test_every_category_in_both_splits(dev: list[Row], held: list[Row]) -> None:
    assert {r[3] for r in dev} == set(LABEL_OF)
    assert {r[3] for r in held} == set(LABEL_OF)


def test_no_duplicates_and_no_leak(dev: list[Row], held: list[Row]) -> None:
    for name, rows in (("dev", dev), ("heldout", held)):
        dupes = [t for t, k in Counter(r[2] for r in rows).items() if k > 1]
        assert not dupes, f"duplicate texts in {name}: {dupes[:5]}"
    leaked = {r[2] for r in dev} & {r[2] for r in held}
    assert not leaked, f"texts in both splits: {sorted(leaked)[:5]}"


def test_heldout_files_are_frozen() -> None:
    recorded = {}
    for line in SHA_FILE.read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        recorded[name] = digest
    for path in (HELD, SEQ_HELD):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recorded[path.name], f"{path.name} was edited"


def _seqs(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_sequences_shape() -> None:
    dev_s, held_s = _seqs(SEQ_DEV), _seqs(SEQ_HELD)
    assert len(dev_s) + len(held_s) >= 40
    for s in dev_s + held_s:
        msgs = s["messages"]
        assert isinstance(msgs, list) and 2 <= len(msgs) <= 4, s
        assert all(isinstance(m, str) and m for m in msgs), s
        assert s["label"] in {"crisis", "elevated", "none"}, s
        assert s["lang"] in {"zh", "en", "mixed"}, s
        assert s.get("after_crisis_reply", False) in {True, False}, s
    for part in (dev_s, held_s):
        labels = {str(s["label"]) for s in part}
        assert {"crisis", "none"} <= labels
        assert any(s.get("after_crisis_reply") for s in part)
    keys = {json.dumps(s["messages"], ensure_ascii=False) for s in dev_s}
    assert not keys & {json.dumps(s["messages"], ensure_ascii=False) for s in held_s}
