"""The crisis gate: labelled set (recall / specificity), hotlines, latency, no model and no I/O."""

from __future__ import annotations

import socket
import statistics
import time
from pathlib import Path

import pytest
import yaml

from app.safety import check_message
from app.safety.detector import assess
from app.safety.segment import ensure_ready
from app.safety.service import crisis_reply, hotlines_for, resolve_locale

CASES = yaml.safe_load((Path(__file__).parent / "data" / "crisis_cases.yaml").read_text(encoding="utf-8"))[
    "cases"
]


def test_labelled_set_shape() -> None:
    assert len(CASES) >= 100
    hard = [c for c in CASES if c.get("hard_negative")]
    assert len(hard) * 2 >= len(CASES), "at least half of the set must be hard negatives"
    assert {c["label"] for c in CASES} == {"crisis", "elevated", "none"}


def test_recall_and_specificity() -> None:
    positives = [c for c in CASES if c["label"] == "crisis"]
    negatives = [c for c in CASES if c["label"] != "crisis"]
    missed = [c["text"] for c in positives if assess(c["text"]).level != "crisis"]
    false_alarms = [c["text"] for c in negatives if assess(c["text"]).level == "crisis"]
    recall = 1 - len(missed) / len(positives)
    specificity = 1 - len(false_alarms) / len(negatives)
    print(f"recall={recall:.3f} specificity={specificity:.3f} missed={missed} false_alarms={false_alarms}")
    assert recall >= 0.95, missed
    assert specificity >= 0.90, false_alarms


def test_hard_negatives_mostly_stay_none() -> None:
    hard_none = [c for c in CASES if c.get("hard_negative") and c["label"] == "none"]
    flagged = [c["text"] for c in hard_none if assess(c["text"]).level != "none"]
    assert len(flagged) <= 0.1 * len(hard_none), flagged


def test_elevated_cases_are_at_least_elevated() -> None:
    elevated = [c for c in CASES if c["label"] == "elevated"]
    missed = [c["text"] for c in elevated if assess(c["text"]).level == "none"]
    assert len(missed) <= 0.1 * len(elevated), missed


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("不想醒来", "crisis"),
        ("把药攒够了", "crisis"),
        ("这个世界没有我会更好", "crisis"),
        ("累死了", "none"),
        ("笑死我了", "none"),
        ("救命这个蛋糕太好吃", "none"),
        ("新闻里说有人跳楼了", "none"),
        ("我 想 死", "crisis"),  # spaces to dodge a filter
        ("我想死", "crisis"),  # full-width is normalised
    ],
)
def test_brief_examples(text: str, level: str) -> None:
    assert assess(text).level == level


def test_assessment_carries_no_text() -> None:
    found = assess("我把药攒够了，今晚就结束")
    assert found.level == "crisis"
    joined = " ".join(found.rules + found.categories)
    assert "药" not in joined and "今晚" not in joined


def test_crisis_reply_has_locale_hotlines() -> None:
    zh = crisis_reply("zh-CN")
    for number in ("12356", "400-161-9995", "010-82951332", "110", "120"):
        assert number in zh
    en = crisis_reply("en-US")
    assert "988" in en and "911" in en
    assert resolve_locale("en") == "en-US" and resolve_locale("zh_CN") == "zh-CN"
    assert resolve_locale("fr-FR") == "zh-CN"  # unknown locales fall back to the default list
    assert all(h.number for h in hotlines_for("zh-CN"))


def test_hotline_sources_documented() -> None:
    data = yaml.safe_load((Path("app/safety/hotlines.yaml")).read_text(encoding="utf-8"))
    for loc in data["locales"].values():
        for line in loc["hotlines"]:
            assert line.get("source"), line


def test_check_message_picks_locale_from_script() -> None:
    res = check_message("I want to kill myself")
    assert res.level == "crisis" and res.locale == "en-US"
    assert res.crisis_reply is not None and "988" in res.crisis_reply
    res = check_message("我真的撑不下去了")
    assert res.level == "elevated" and res.resource_line and "12356" in res.resource_line
    assert res.crisis_reply is None


def test_crisis_path_latency() -> None:
    ensure_ready()
    texts = [c["text"] for c in CASES]
    timings = []
    for _ in range(3):
        for t in texts:
            start = time.perf_counter()
            check_message(t)
            timings.append((time.perf_counter() - start) * 1000)
    p99 = statistics.quantiles(timings, n=100)[98]
    print(f"gate median={statistics.median(timings):.3f} ms p99={p99:.3f} ms")
    assert p99 < 50


def test_gate_never_touches_network_or_models(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("the safety gate opened a socket")

    monkeypatch.setattr(socket.socket, "connect", boom)
    assert check_message("我想结束自己的生命").level == "crisis"
