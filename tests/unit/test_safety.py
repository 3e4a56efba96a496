# ruff: noqa: E501
"""The crisis gate, measured on the HELD-OUT split only (tests/data/safety/), plus behaviour a user would notice.

The held-out files are written by the corpus engineer and never read by the gate's author; the figures asserted
here are the ones docs/safety.md reports.  Latency is measured by bench/bench_safety.py, not asserted here.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.safety import check_message
from app.safety.detector import assess
from app.safety.evaluate import Counts, EvalFormatError, evaluate, load_cases
from app.safety.service import crisis_reply, hotlines_for, resolve_locale

HELDOUT = Path("tests/data/safety/heldout.tsv")
SEQUENCES = Path("tests/data/safety/sequences_heldout.jsonl")


def _require(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is absent (the corpus branch is not merged into this checkout)")


# The goal (issue 13) is recall >= 0.97 and specificity >= 0.95 on held-out sets, and the gate does not reach it
# yet: docs/safety.md reports the figures.  Until it does, these floors are the figures measured on the held-out
# split (rounded down): a change that makes the gate worse on messages it has never seen fails here.  Raise them
# with every improvement; the held-out texts themselves are frozen (sha256 test).
# 2026-12-03 07:23 UTC, the learned layer raising to crisis (decided on dev CV alone): recall 0.748 (was 0.593),
# specificity 0.949 (was 0.959) — zh 0.731 / 0.946, en 0.732 / 0.951.  The specificity floors went down by 0.01
# (en 0.02) once, on purpose: 47 more crisis messages caught for 4 more false crisis replies (docs/safety.md).
# 2026-12-04 19:47 UTC, situation rules, OpenCC, Cantonese/slang normalisation and 1,300 fresh dev rows written by
# someone who read neither the gate nor this split (docs/safety.md): recall 0.767, specificity 0.951 — zh 0.738 /
# 0.935, en 0.768 / 0.967.  The zh specificity floor went down by 0.01 on purpose (2 more false crisis replies in
# zh, 3 fewer in en, 6 more crisis messages caught).
GOAL = {"recall": 0.97, "specificity": 0.95}
FLOORS = {
    "overall": {"recall": 0.76, "specificity": 0.95},
    "zh": {"recall": 0.73, "specificity": 0.93},
    "en": {"recall": 0.76, "specificity": 0.96},
}


def _check(counts: Counts, what: str) -> None:
    floor = FLOORS[what]
    print(f"held-out {what}: recall {counts.recall} specificity {counts.specificity} (goal {GOAL})")
    assert counts.recall is not None and counts.recall >= floor["recall"], f"{what}: recall {counts.recall}"
    assert counts.specificity is not None and counts.specificity >= floor["specificity"], (
        f"{what}: specificity {counts.specificity}"
    )


def test_heldout_recall_and_specificity_overall_and_per_language() -> None:
    _require(HELDOUT)
    report = evaluate(load_cases(HELDOUT))
    _check(report.overall, "overall")
    for lang in ("zh", "en"):
        assert lang in report.by_lang, f"no {lang} cases in the held-out split"
        _check(report.by_lang[lang], lang)


def _messages(row: dict[str, Any]) -> list[str]:
    for key in ("messages", "turns", "texts"):
        if key in row:
            return [m if isinstance(m, str) else str(m.get("text", "")) for m in row[key]]
    raise AssertionError(f"sequence row without messages: keys {sorted(row)}")


def test_heldout_sequences() -> None:
    _require(SEQUENCES)
    rows = [json.loads(line) for line in SEQUENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows
    wrong = 0
    for row in rows:
        messages = _messages(row)
        label = str(row.get("label", row.get("expected", "crisis")))
        found = assess(
            messages[-1],
            context=messages[:-1][-5:],
            after_crisis=bool(row.get("after_crisis_reply", row.get("after_crisis"))),
        )
        wrong += (found.level == "crisis") != (label == "crisis")
    # measured 2026-12-02: 6 of 19 wrong (goal: at most 5 %); a regression floor, see FLOORS above
    assert wrong <= 6, f"{wrong} of {len(rows)} held-out sequences wrong"


def test_two_message_plan_is_crisis_on_the_second_message() -> None:
    first = "家里还有一整瓶安眠药"
    assert assess("今晚就全吃了", context=[first]).level == "crisis"
    assert (
        assess("tonight i'll take them all", context=["i have a bottle of sleeping pills"]).level == "crisis"
    )
    # without the earlier message the second one is not a crisis by itself
    assert assess("今晚就全吃了").level != "crisis"


def test_short_affirmation_after_a_crisis_reply() -> None:
    for text in ("嗯", "是的", "对", "yes", "yeah", "maybe"):
        assert assess(text, after_crisis=True).level == "crisis", text
        assert assess(text).level == "none", text
    assert assess("我不知道", after_crisis=True).level in ("elevated", "crisis")
    res = check_message("嗯", locale="zh-CN", after_crisis=True)
    assert res.level == "crisis" and res.crisis_reply and "12356" in res.crisis_reply


@pytest.mark.parametrize(
    "text",
    ["累死了", "笑死我了", "想死你了", "救命好好吃", "I'm dead 😂", "this is killing me", "狼人杀今晚谁来",
     "I died 5 times in this boss fight", "跳楼价大甩卖", "deadline is tomorrow", "kill the process"],
)  # fmt: skip
def test_hyperbole_and_idioms_stay_none(text: str) -> None:
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    ["紫砂", "我想自殺", "想si", "kms", "i want to unalive myself", "我在天台上，往下看好高", "i just took 30 pills",
     "再见了大家，替我照顾好我的猫", "没有我他们会更轻松", "i bought a rope", "自 杀", "s u i c i d e tonight"],
)  # fmt: skip
def test_normalisation_and_concepts_reach_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


def test_assessment_carries_no_text() -> None:
    found = assess("我把药攒够了，今晚就结束", context=["家里有安眠药"])
    assert found.level == "crisis"
    joined = " ".join(found.rules + found.categories)
    assert "药" not in joined and "今晚" not in joined
    assert set(vars(found)) == {"level", "categories", "rules"}


def test_eval_file_format_error_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("crisis\tzh\t我想死\nnone\ten\n", encoding="utf-8")
    with pytest.raises(EvalFormatError, match=":2:"):
        load_cases(bad)


def test_crisis_reply_has_locale_hotlines() -> None:
    zh = crisis_reply("zh-CN")
    for number in ("12356", "110", "120"):
        assert number in zh
    en = crisis_reply("en-US")
    assert "988" in en and "911" in en
    assert resolve_locale("en") == "en-US" and resolve_locale("zh_CN") == "zh-CN"
    assert all(h.number for h in hotlines_for("zh-CN"))


def test_hotline_sources_documented() -> None:
    data = yaml.safe_load((Path("app/safety/hotlines.yaml")).read_text(encoding="utf-8"))
    for loc in data["locales"].values():
        for line in loc["hotlines"]:
            assert line.get("source"), line


def test_check_message_picks_locale_from_script_and_old_callers_work() -> None:
    res = check_message("I want to kill myself")
    assert res.level == "crisis" and res.locale == "en-US"
    assert res.crisis_reply is not None and "988" in res.crisis_reply
    res = check_message("我真的撑不下去了")
    assert res.level == "elevated" and res.resource_line and "12356" in res.resource_line


def test_gate_never_touches_network_or_models(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("the safety gate opened a socket")

    monkeypatch.setattr(socket.socket, "connect", boom)
    assert check_message("我想结束自己的生命").level == "crisis"


@pytest.mark.parametrize(
    "text",
    ["我想kill myself 真的", "i w4nt t0 d!e t0night", "我把爸爸的安眠药都偷出来了", "他们没有我会过得更好，我决定离开",
     "my kids would have a better life without me dragging them down", "如果我明天没回消息，就别找我了",
     "i'm in my car in the garage with the engine running", "我爸喝醉了在砸门，说要弄死我", "想原地去世 不是开玩笑 准备好了",
     "i'm 14 and i tried to overdose last night", "我在十七楼的窗户外面坐着"],
)  # fmt: skip
def test_composed_concepts_reach_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    ["i'm going to check out of the hotel tomorrow morning", "i bought a rope for rock climbing this weekend",
     "我跟大家说再见，下周去上海工作了", "我准备了一把刀切西瓜", "i'll strangle you if you eat my last cookie",
     "five years self-harm free today!", "我奶奶前年去世了，我还是会想她", "考完试我就解脱了，终于可以睡觉",
     "i used to want to die, now i'm really glad i stayed", "the article said overdose deaths dropped last year",
     "今天的 meeting 开得我想死 lol 但是下班了 yay", "我今晚就把作业结束掉，明天好好玩"],
)  # fmt: skip
def test_everyday_life_hyperbole_and_recovery_stay_below_crisis(text: str) -> None:
    assert assess(text).level != "crisis"


def test_third_party_and_past_attempts_are_elevated_not_crisis() -> None:
    assert assess("my roommate took a bunch of pills and i can't wake her").level == "elevated"
    assert assess("我表妹说她想跳楼，现在在学校顶楼").level == "elevated"
    assert assess("I overdosed in college, got my stomach pumped, still feel low a lot").level == "elevated"


def test_a_short_follow_up_continues_a_plan_in_the_context() -> None:
    assert assess("tonight", context=["i've got the pills"]).level == "crisis"
    assert assess("我数过了 够了", context=["药都在抽屉里"]).level == "crisis"
    # the context resolves to something harmless: no crisis
    assert assess("for the tire swing in the backyard", context=["i bought a rope"]).level != "crisis"
    assert assess("明天去露营搭帐篷", context=["绳子买好了"]).level != "crisis"
    # an everyday message after a crisis message is not a crisis by itself (careful mode handles it)
    assert assess("今天吃了面条", context=["我把药攒够了，这个世界没有我会更好"]).level != "crisis"
