"""The crew: CrewAI agents/tasks from YAML, routing, hosted backends with retry + fallback, privacy."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
import yaml

from app.agents import hosted, runtime
from app.agents import metrics as m
from app.agents.crew import CONFIG_DIR, DuckCrew, build_chat_crew, configs, make_llm, run_report, run_turn
from app.agents.hosted import HostedLLM, parse_spec
from app.agents.offline import LocalLLM
from app.agents.state import TurnState
from app.core.config import get_settings


def _value(metric: Any, **labels: str) -> float:
    """The metric's value for these labels, summed over the labels not given (e.g. every ``reason``)."""
    total = 0.0
    for family in metric.collect():
        for sample in family.samples:
            if sample.name.endswith("_total") and all(sample.labels.get(k) == v for k, v in labels.items()):
                total += float(sample.value)
    return total


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

# A model's answers for one turn about a failed exam, in task order: listener, therapy tip, content, reply.
EXAM_TURN_ANSWERS = (
    json.dumps(
        {
            "sentiment": "negative",
            "intensity": 0.9,
            "primary_emotions": ["悲伤"],
            "keywords": ["考试"],
            "topics": ["学业"],
            "urgency_level": 3,
            "confidence_score": 0.8,
        },
        ensure_ascii=False,
    ),
    '{"tip_id": "self_compassion_note", "alternative_ids": [], "reason": "r"}',
    '```json\n{"panel_id": "panel_comfort_01", "video_id": null, "reason": "r"}\n```',
    '{"text": "鸭鸭听到了，考试没考好真的很难受。"}',
)


def test_hosted_backend_answers_are_used(fake_server: Any) -> None:
    fake_server(list(EXAM_TURN_ANSWERS))
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


class FakeAnthropic:
    """A fake Anthropic Messages API (``POST /v1/messages``) on 127.0.0.1: a real socket, so the real
    ``anthropic`` SDK client runs as in production (no injected transport). Answers are served in order:
    a ``str`` is the text of a 200 answer, an ``int`` an HTTP error status, a ``float`` a stall of that
    many seconds (a timeout). Requests are recorded; like the real API, a body with a "system" role in
    ``messages``, an empty message or no ``max_tokens`` gets a 400."""

    USAGE: ClassVar[dict[str, int]] = {"input_tokens": 123, "output_tokens": 45}
    ERRORS: ClassVar[dict[int, str]] = {
        400: "invalid_request_error",
        500: "api_error",
        529: "overloaded_error",
    }

    def __init__(self) -> None:
        self.answers: list[str | int | float] = []
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                body = json.loads(raw or b"{}")
                with fake.lock:
                    fake.requests.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                        }
                    )
                    item = fake.answers.pop(0) if fake.answers else "{}"
                if self.path != "/v1/messages":
                    return self._send(404, fake.error(404, "not found"))
                problem = fake.invalid(body)
                if problem:
                    return self._send(400, fake.error(400, problem))
                if isinstance(item, float):
                    fake.release.wait(item)
                    item = "{}"
                if isinstance(item, int):
                    return self._send(item, fake.error(item, "fake failure"))
                return self._send(
                    200,
                    {
                        "id": f"msg_{len(fake.requests)}",
                        "type": "message",
                        "role": "assistant",
                        "model": body.get("model"),
                        "content": [{"type": "text", "text": item}],
                        "stop_reason": "end_turn",
                        "stop_sequence": None,
                        "usage": fake.USAGE,
                    },
                )

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_a: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda *_a: None  # type: ignore[method-assign]  # a stalled client left
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def error(self, status: int, message: str) -> dict[str, Any]:
        kind = self.ERRORS.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}

    @staticmethod
    def invalid(body: dict[str, Any]) -> str | None:
        if not isinstance(body.get("max_tokens"), int) or not body.get("model"):
            return "model and max_tokens are required"
        messages = body.get("messages") or []
        if not messages:
            return "messages: at least one message is required"
        for i, msg in enumerate(messages):
            if msg.get("role") not in ("user", "assistant"):
                return f"messages.{i}.role: Input should be 'user' or 'assistant'"
            if not str(msg.get("content") or "").strip():
                return (
                    f"messages.{i}: all messages must have non-empty content except for the optional "
                    "final assistant message"
                )
        return None

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r["body"] for r in self.requests]


@pytest.fixture
def fake_anthropic(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    fake = FakeAnthropic()
    thread = threading.Thread(target=fake.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    # the SDK's own settings: the base URL from the environment; the key as the app passes it (settings)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-fake-0123")
    for name in ("DUCK_LLM_PRICE", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # nothing leaves 127.0.0.1
    monkeypatch.setattr(hosted, "HTTP_TRANSPORT", None)  # the production client, a real socket
    get_settings.cache_clear()
    hosted.reset_clients()
    yield fake
    fake.release.set()
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(5)
    hosted.reset_clients()
    get_settings.cache_clear()


ANTHROPIC_SPEC = "anthropic:claude-haiku-4-5"


def test_anthropic_backend_answers_are_used(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.answers = list(EXAM_TURN_ANSWERS)
    labels = {"provider": "anthropic"}
    prompt_before = _value(m.LLM_TOKENS, kind="prompt", **labels)
    completion_before = _value(m.LLM_TOKENS, kind="completion", **labels)
    success_before = _value(m.LLM_CALLS, outcome="success", **labels)
    cost_before = _value(m.LLM_COST, **labels)

    turn = run_turn(TurnState(message="考试没考好", seed=1), spec=ANTHROPIC_SPEC)

    assert turn.fallbacks == []
    assert turn.analysis and turn.analysis.primary_emotions == ["悲伤"]
    assert turn.tip and turn.tip.tip_id == "self_compassion_note"
    assert turn.content and turn.content.panel_id == "panel_comfort_01"
    assert turn.reply and turn.reply.text == "鸭鸭听到了，考试没考好真的很难受。"

    requests = fake_anthropic.requests
    assert len(requests) == 4  # one call per task, no retries
    for req in requests:
        assert req["path"] == "/v1/messages"
        assert req["headers"]["x-api-key"] == "sk-ant-fake-0123"
        assert "authorization" not in req["headers"]
        assert req["headers"].get("anthropic-version")
        body = req["body"]
        assert body["model"] == "claude-haiku-4-5"
        assert body["max_tokens"] == 1024
        # the system prompt (the agent's role/goal/backstory) goes in the top-level field
        assert isinstance(body["system"], str) and body["system"].strip()
        assert [msg["role"] for msg in body["messages"]] == ["user"]
    assert "考试没考好" in requests[0]["body"]["messages"][0]["content"]
    agents, _ = configs()
    assert agents["listener"]["role"].strip() in requests[0]["body"]["system"]
    assert agents["duck_style"]["role"].strip() in requests[3]["body"]["system"]

    usage = FakeAnthropic.USAGE
    assert _value(m.LLM_TOKENS, kind="prompt", **labels) - prompt_before == 4 * usage["input_tokens"]
    assert _value(m.LLM_TOKENS, kind="completion", **labels) - completion_before == 4 * usage["output_tokens"]
    assert _value(m.LLM_CALLS, outcome="success", **labels) - success_before == 4
    price_in, price_out = hosted.PRICES["claude-haiku-4-5"]
    expected_cost = 4 * (usage["input_tokens"] * price_in + usage["output_tokens"] * price_out) / 1_000_000
    assert _value(m.LLM_COST, **labels) - cost_before == pytest.approx(expected_cost)


def test_anthropic_invalid_output_retried_once_then_offline(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.answers = ["not json"] * 20
    labels = {"provider": "anthropic"}
    fallbacks_before = _value(m.LLM_FALLBACKS, **labels)
    invalid_before = _value(m.LLM_CALLS, outcome="invalid", **labels)

    turn = run_turn(TurnState(message="今天吃了面条", seed=1), spec=ANTHROPIC_SPEC)

    assert turn.reply and "鸭鸭" in turn.reply.text  # the offline engine answered
    assert "listen_task" in turn.fallbacks and "duck_reply_task" in turn.fallbacks
    assert _value(m.LLM_FALLBACKS, **labels) - fallbacks_before == 2
    assert _value(m.LLM_CALLS, outcome="invalid", **labels) - invalid_before == 4
    bodies = fake_anthropic.bodies()
    assert len(bodies) == 4  # two tasks, each: the call and one retry
    for first, retry in (bodies[0], bodies[1]), (bodies[2], bodies[3]):
        assert retry["system"] == first["system"]
        assert retry["messages"][: len(first["messages"])] == first["messages"]
        added = retry["messages"][len(first["messages"]) :]
        assert [msg["role"] for msg in added] == ["assistant", "user"]
        assert added[0]["content"] == "not json"
        assert "JSON" in added[1]["content"]


@pytest.mark.parametrize("empty", ["", " \n"])
def test_anthropic_empty_answer_gets_its_retry(fake_anthropic: FakeAnthropic, empty: str) -> None:
    """An empty answer (``end_turn`` with no text) is invalid; the retry must still be a request the
    Messages API accepts (it rejects empty or blank messages), so the retry can answer."""
    fake_anthropic.answers = [empty, '{"text": "鸭鸭在这里陪着你。"}']
    turn = TurnState(message="好孤单", seed=1)
    llm = HostedLLM.for_turn(parse_spec(ANTHROPIC_SPEC), turn)
    success_before = _value(m.LLM_CALLS, provider="anthropic", outcome="success")

    answer = llm.answer(
        [{"role": "system", "content": "你是鸭鸭"}, {"role": "user", "content": "好孤单"}], "duck_reply_task"
    )

    assert json.loads(answer)["text"] == "鸭鸭在这里陪着你。"
    assert turn.fallbacks == []
    assert _value(m.LLM_CALLS, provider="anthropic", outcome="success") - success_before == 1
    retry = fake_anthropic.bodies()[1]
    assert retry["system"] == "你是鸭鸭"
    assert all(msg["content"].strip() for msg in retry["messages"])
    assert "JSON" in retry["messages"][-1]["content"]


@pytest.mark.parametrize("status", [500, 529])
def test_anthropic_http_error_falls_back(fake_anthropic: FakeAnthropic, status: int) -> None:
    fake_anthropic.answers = [status] * 20
    labels = {"provider": "anthropic"}
    errors_before = _value(m.LLM_CALLS, outcome="error", **labels)
    fallbacks_before = _value(m.LLM_FALLBACKS, **labels)
    started = time.monotonic()

    turn = run_turn(TurnState(message="今天吃了面条", seed=1), spec=ANTHROPIC_SPEC)

    elapsed = time.monotonic() - started
    assert turn.reply and "鸭鸭" in turn.reply.text  # the offline engine answered
    assert turn.fallbacks == ["listen_task", "duck_reply_task"]
    # the SDK's own retries are off (max_retries=0): exactly the call and our one retry per task
    assert len(fake_anthropic.requests) == 4
    assert _value(m.LLM_CALLS, outcome="error", **labels) - errors_before == 4
    assert _value(m.LLM_FALLBACKS, **labels) - fallbacks_before == 2
    assert elapsed < HostedLLM.model_fields["timeout_s"].default


def test_anthropic_timeout_falls_back_within_the_timeout(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.answers = [30.0] * 4  # the server stalls far longer than the client waits
    turn = TurnState(message="好孤单", seed=1)
    llm = HostedLLM.for_turn(parse_spec(ANTHROPIC_SPEC), turn, timeout_s=0.5)
    errors_before = _value(m.LLM_CALLS, provider="anthropic", outcome="error")
    started = time.monotonic()

    answer = llm.answer(
        [{"role": "system", "content": "你是鸭鸭"}, {"role": "user", "content": "好孤单"}], "duck_reply_task"
    )

    elapsed = time.monotonic() - started
    assert json.loads(answer)["text"]  # the offline engine answered
    assert turn.fallbacks == ["duck_reply_task"]
    assert len(fake_anthropic.requests) == 2
    assert _value(m.LLM_CALLS, provider="anthropic", outcome="error") - errors_before == 2
    assert 2 * 0.5 <= elapsed < 2 * 0.5 + 3.0  # two attempts of 0.5 s each, then the offline engine


def test_report_agent_offline() -> None:
    stats = {"total_interactions": 3, "dominant_emotion": "开心", "positive_ratio": 0.8, "trend": "improving"}
    summary = run_report(TurnState(message="", report_stats=stats), spec="local")
    assert "开心" in summary.duck_encouragement


def test_private_home_path_is_not_the_real_home() -> None:
    assert runtime._original_home != os.environ["HOME"]
    assert Path(os.environ["XDG_DATA_HOME"]).is_relative_to(runtime.private_home())
