"""The offline engine: lexicon analysis over jieba tokens, library choices, reflective duck replies."""

from __future__ import annotations

import pytest
from crewai.llms.base_llm import BaseLLM

from app.agents.lexicon import NEGATIVE, SUPPORTED_EMOTIONS
from app.agents.libraries import assets, rank_assets, rank_tips, tips
from app.agents.offline import LocalLLM, analyse, choose_content, choose_tip, compose_reply, summarise_report
from app.agents.routing import route
from app.agents.state import TurnState


@pytest.mark.parametrize(
    ("text", "sentiment", "emotion"),
    [
        ("今天工作很顺利，成功完成了项目演示！", "positive", "自豪"),
        ("最近工作压力有点大，感觉有些疲惫", "negative", "压力"),
        ("一个人在外地过年，有点孤单", "negative", "孤独"),
        ("明天要面试，好紧张", "negative", "焦虑"),
        ("我一点也不开心", "negative", "悲伤"),
        ("和室友吵架了，气死了，太不公平", "negative", "愤怒"),
        ("今天吃了面条", "neutral", "平静"),
        ("I feel so lonely tonight", "negative", "孤独"),
    ],
)
def test_analysis(text: str, sentiment: str, emotion: str) -> None:
    a = analyse(text)
    assert a.sentiment == sentiment, a
    assert emotion in a.primary_emotions + a.secondary_emotions, a
    assert 0 <= a.intensity <= 1 and 1 <= a.urgency_level <= 5


def test_intensifiers_raise_intensity() -> None:
    assert analyse("我非常非常难过！！").intensity > analyse("我有点难过").intensity


def test_topics_and_keywords() -> None:
    a = analyse("被老板当众批评了，好难过")
    assert "工作" in a.topics
    assert "老板" in a.keywords


def test_every_supported_emotion_has_content_and_negative_ones_have_tips() -> None:
    for emotion in SUPPORTED_EMOTIONS:
        assert rank_assets([emotion], kind="panel"), emotion
    for emotion in NEGATIVE:
        assert rank_tips([emotion]), emotion
    for asset in assets().values():
        assert asset.url.startswith(("/panels/", "/videos/"))
    required = {
        "breathing_478",
        "box_breathing",
        "mindfulness_5min",
        "grounding_54321",
        "abcde_reframe",
        "pmr_short",
    }
    assert required <= set(tips())
    for tip in tips().values():
        assert len(tip.steps) >= 3 and tip.duration_minutes > 0 and tip.safety_notes


def test_reply_reflects_what_was_said_and_is_deterministic() -> None:
    msg = "今天被老板当众批评了，好难过"
    turn = TurnState(message=msg, seed=7)
    turn.analysis = analyse(msg)
    first = compose_reply(turn).text
    again = compose_reply(TurnState(message=msg, seed=7, analysis=turn.analysis)).text
    assert first == again
    assert "批评" in first  # reflective listening: the person's own words come back
    assert "鸭鸭" in first
    variants = {compose_reply(TurnState(message=msg, seed=s, analysis=turn.analysis)).text for s in range(12)}
    assert len(variants) >= 3


def test_reply_mentions_tip_and_content_and_resource_line() -> None:
    msg = "明天要面试，好紧张，压力好大"
    turn = TurnState(message=msg, seed=1, resource_line="如果难受……12356")
    turn.analysis = analyse(msg)
    turn.route = route(turn.analysis)
    assert turn.route.tips and turn.route.content
    turn.tip = choose_tip(turn)
    turn.content = choose_content(turn)
    text = compose_reply(turn).text
    assert tips()[turn.tip.tip_id].title in text
    assert turn.content.panel_id and assets()[turn.content.panel_id].title in text
    assert text.endswith("12356")


def test_brief_and_detailed_styles() -> None:
    msg = "最近压力好大，好焦虑"
    a = analyse(msg)
    tip = choose_tip(TurnState(message=msg, analysis=a))
    brief = compose_reply(TurnState(message=msg, style="brief", analysis=a, tip=tip)).text
    detailed = compose_reply(TurnState(message=msg, style="detailed", analysis=a, tip=tip)).text
    assert len(brief) < len(detailed)
    assert "1. " in detailed


def test_english_reply() -> None:
    msg = "I feel so lonely tonight"
    text = compose_reply(TurnState(message=msg, locale="en-US", analysis=analyse(msg))).text
    assert "lonely" in text and "I'm here" in text


def test_routing_rules() -> None:
    calm = analyse("今天吃了面条")
    assert not route(calm).tips and not route(calm).content
    happy = analyse("太好了，我考上研究生了！")
    r = route(happy)
    assert r.content and not r.tips
    assert route(calm, include_therapy=True).tips
    assert not route(analyse("好孤单"), include_content=False).content


def test_report_summary() -> None:
    s = summarise_report({"total_interactions": 5, "dominant_emotion": "焦虑", "positive_ratio": 0.2})
    assert "焦虑" in s.duck_encouragement and s.gentle_suggestions
    empty = summarise_report({"total_interactions": 0})
    assert empty.duck_encouragement


def test_local_llm_is_a_crewai_basellm() -> None:
    llm = LocalLLM.for_turn(TurnState(message="好累"))
    assert isinstance(llm, BaseLLM)
    assert llm.get_input_tokens_count("abcd" * 10) == 10
