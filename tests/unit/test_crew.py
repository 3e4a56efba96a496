"""The crew: CrewAI agents/tasks from YAML, routing, hosted backends with retry + fallback, privacy."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from app.agents import hosted, runtime
from app.agents import metrics as m
from app.agents.crew import CONFIG_DIR, DuckCrew, build_chat_crew, make_llm, run_report, run_turn
from app.agents.hosted import HostedLLM, parse_spec
from app.agents.offline import LocalLLM
from app.agents.state import TurnState


def _value(metric: Any, **labels: str) -> float:
    sample = metric.labels(**labels) if labels else metric
    return float(sample._value.get())


def test_crewai_yaml_format() -> None:
    agents = yaml.safe_load((CONFIG_DIR / "agents.yaml").read_text(encoding="utf-8"))
    tasks = yaml.safe_load((CONFIG_DIR / "tasks.yaml").read_text(encoding="utf-8"))
    assert set(agents) == {"listener", "duck_style", "content_recall", "therapy_tips", "report"}
    for cfg in agents.values():
        assert {"role", "goal", "backstory"} <= set(cfg)
    for cfg in tasks.values():
        assert {"description", "expected_output", "agent"} <= set(cfg)
        assert cfg["agent"] in agents


def test_offline_env_and_private_home() -> None:
    assert os.environ["CREWAI_DISABLE_TELEMETRY"] == "true"
    assert os.environ["CREWAI_TRACING_ENABLED"] == "false"
    assert os.environ["CREWAI_DISABLE_VERSION_CHECK"] == "true"
    home = runtime.private_home()
    assert os.environ["HOME"] == str(home)
    assert oct(home.stat().st_mode & 0o777) == "0o700"


def test_crew_runs_offline_and_routes() -> None:
    calls_before = _value(m.LLM_CALLS, provider="local", outcome="success")
    tokens_before = _value(m.LLM_TOKENS, provider="local", kind="completion")
    turn = run_turn(TurnState(message="最近工作压力好大，每天加班，好焦虑", seed=3), spec="local")
    # the offline engine is metered like any backend (the agents dashboard shows it)
    assert _value(m.LLM_CALLS, provider="local", outcome="success") - calls_before == len(turn.agent_seconds)
    assert _value(m.LLM_TOKENS, provider="local", kind="completion") > tokens_before
    assert turn.analysis and turn.analysis.sentiment == "negative"
    assert turn.route.tips and turn.tip is not None
    assert turn.route.content and turn.content and turn.content.panel_id
    assert turn.reply and "鸭鸭" in turn.reply.text
    assert turn.fallbacks == []
    assert {"listener", "therapy_tips", "content_recall", "duck_style"} <= set(turn.agent_seconds)


def test_neutral_message_skips_tips_and_content() -> None:
    turn = run_turn(TurnState(message="今天吃了面条", seed=1), spec="local")
    assert turn.tip is None and turn.content is None
    assert set(turn.agent_seconds) == {"listener", "duck_style"}


def test_elevated_turn_ends_with_resource_line() -> None:
    line = "如果难受的感觉越来越重，可以随时拨打心理援助热线 12356。"
    turn = run_turn(
        TurnState(message="我真的撑不下去了", seed=1, safety_level="elevated", resource_line=line),
        spec="local",
    )
    assert turn.reply and turn.reply.text.endswith(line)
    assert turn.tip is not None


def test_crew_writes_no_kickoff_db_and_no_user_text() -> None:
    canary = "金丝雀句子七三九二号今天好难过"
    run_turn(TurnState(message=canary, seed=1), spec="local")
    crew, _ = build_chat_crew(TurnState(message="x"), LocalLLM.for_turn(TurnState(message="x")))
    assert isinstance(crew, DuckCrew)
    assert crew._task_output_handler.load() == []
    home = runtime.private_home()
    assert not list(home.rglob("latest_kickoff_task_outputs.db"))
    for path in home.rglob("*"):
        if path.is_file():
            assert canary.encode() not in path.read_bytes(), path


def test_parse_spec() -> None:
    assert parse_spec("local").kind == "local"
    assert parse_spec("openai:gpt-4o-mini").model == "gpt-4o-mini"
    spec = parse_spec("openai-compatible:qwen2.5:7b@http://127.0.0.1:11434/v1")
    assert (spec.kind, spec.model, spec.base_url) == (
        "openai-compatible",
        "qwen2.5:7b",
        "http://127.0.0.1:11434/v1",
    )
    with pytest.raises(ValueError):
        parse_spec("openai-compatible:model-without-url")
    with pytest.raises(ValueError):
        parse_spec("gemini:x")
    assert isinstance(make_llm(TurnState(message="x"), "local"), LocalLLM)
    assert isinstance(make_llm(TurnState(message="x"), "anthropic:claude-3-5-haiku-latest"), HostedLLM)


def _openai_transport(answers: list[Any]) -> httpx.MockTransport:
    """A fake OpenAI-compatible server (no network): returns the queued answers in order."""
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "127.0.0.1"
        item = queue.pop(0) if queue else "{}"
        if isinstance(item, Exception):
            raise item
        body = {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": item}}
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(answers: list[Any]) -> None:
        hosted.reset_clients()
        monkeypatch.setattr(hosted, "HTTP_TRANSPORT", _openai_transport(answers))

    yield install
    hosted.reset_clients()


SPEC = "openai-compatible:tiny@http://127.0.0.1:9/v1"


def test_hosted_backend_answers_are_used(fake_server: Any) -> None:
    listener = {
        "sentiment": "negative",
        "intensity": 0.9,
        "primary_emotions": ["悲伤"],
        "keywords": ["考试"],
        "topics": ["学业"],
        "urgency_level": 3,
        "confidence_score": 0.8,
    }
    fake_server(
        [
            json.dumps(listener, ensure_ascii=False),
            '{"tip_id": "self_compassion_note", "alternative_ids": [], "reason": "r"}',
            '```json\n{"panel_id": "panel_comfort_01", "video_id": null, "reason": "r"}\n```',
            '{"text": "鸭鸭听到了，考试没考好真的很难受。"}',
        ]
    )
    before = _value(m.LLM_TOKENS, provider="openai-compatible", kind="prompt")
    turn = run_turn(TurnState(message="考试没考好", seed=1), spec=SPEC)
    assert turn.fallbacks == []
    assert turn.tip and turn.tip.tip_id == "self_compassion_note"
    assert turn.reply and turn.reply.text == "鸭鸭听到了，考试没考好真的很难受。"
    assert _value(m.LLM_TOKENS, provider="openai-compatible", kind="prompt") - before == 400


def test_hosted_invalid_output_retried_once_then_offline(fake_server: Any) -> None:
    fake_server(["not json"] * 20)
    before = _value(m.LLM_FALLBACKS, provider="openai-compatible")
    invalid_before = _value(m.LLM_CALLS, provider="openai-compatible", outcome="invalid")
    turn = run_turn(TurnState(message="今天吃了面条", seed=1), spec=SPEC)
    assert turn.reply and "鸭鸭" in turn.reply.text  # the offline engine answered
    assert "listen_task" in turn.fallbacks and "duck_reply_task" in turn.fallbacks
    assert _value(m.LLM_FALLBACKS, provider="openai-compatible") - before == 2
    assert _value(m.LLM_CALLS, provider="openai-compatible", outcome="invalid") - invalid_before == 4


def test_hosted_timeout_falls_back(fake_server: Any) -> None:
    fake_server([httpx.ConnectTimeout("slow")] * 20)
    errors_before = _value(m.LLM_CALLS, provider="openai-compatible", outcome="error")
    turn = run_turn(TurnState(message="好孤单", seed=1), spec=SPEC)
    assert turn.reply and turn.reply.text
    assert _value(m.LLM_CALLS, provider="openai-compatible", outcome="error") - errors_before >= 2


def test_report_agent_offline() -> None:
    stats = {"total_interactions": 3, "dominant_emotion": "开心", "positive_ratio": 0.8, "trend": "improving"}
    summary = run_report(TurnState(message="", report_stats=stats), spec="local")
    assert "开心" in summary.duck_encouragement


def test_private_home_path_is_not_the_real_home() -> None:
    assert runtime._original_home != os.environ["HOME"]
    assert Path(os.environ["XDG_DATA_HOME"]).is_relative_to(runtime.private_home())
