"""Build and run the crew: Listener -> (TherapyTips) -> (ContentRecall) -> DuckStyle; Report on demand.

The same crew runs with the offline engine (``LocalLLM``) or a hosted model (``HostedLLM``, falling back
to the offline engine).  Kickoffs run in worker threads, never on the event loop.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import anyio
import yaml

from app.agents import metrics as m
from app.agents import runtime

runtime.configure()

from crewai import Agent, Crew, Process, Task  # noqa: E402
from crewai.tasks.conditional_task import ConditionalTask  # noqa: E402
from crewai.tasks.task_output import TaskOutput  # noqa: E402
from pydantic import BaseModel, PrivateAttr  # noqa: E402

from app.agents.hosted import RESPONSE_MODELS, HostedLLM, parse_spec, validate_answer  # noqa: E402
from app.agents.lexicon import SUPPORTED_EMOTIONS  # noqa: E402
from app.agents.libraries import content_catalogue, tip_catalogue  # noqa: E402
from app.agents.offline import (  # noqa: E402
    LocalLLM,
    analyse,
    choose_content,
    choose_tip,
    compose_reply,
    summarise_report,
)
from app.agents.routing import route  # noqa: E402
from app.agents.schemas import (  # noqa: E402
    ContentChoice,
    DuckReply,
    ListenerOutput,
    ReportSummary,
    TipChoice,
)
from app.agents.state import Route, TurnState  # noqa: E402

log = logging.getLogger("app.agents.crew")
CONFIG_DIR = Path(__file__).with_name("config")
AGENT_OF_TASK = {
    "listen_task": "listener",
    "therapy_tips_task": "therapy_tips",
    "content_recall_task": "content_recall",
    "duck_reply_task": "duck_style",
    "report_task": "report",
}
_LIMITER: anyio.CapacityLimiter | None = None


class _NoKickoffStorage:
    """Replaces CrewAI's kickoff-output SQLite store: it would write the user's words to disk."""

    def update(self, *_a: Any, **_k: Any) -> None:
        return None

    def add(self, *_a: Any, **_k: Any) -> None:
        return None

    def reset(self) -> None:
        return None

    def load(self) -> list[dict[str, Any]]:
        return []


def _cache_executor_state_class() -> None:
    """CrewAI builds a new pydantic class (``StateWithId``) for every agent executor (~20 % of a
    kickoff's CPU). Give AgentExecutor a ready-made FlowState subclass so it takes its fast path.
    Guarded: if CrewAI's internals change, we simply keep the slow path."""
    try:
        from crewai.agents.agent_executor import AgentExecutor, AgentExecutorState  # noqa: PLC0415
        from crewai.flow.runtime import FlowState  # noqa: PLC0415

        class DuckExecutorState(FlowState, AgentExecutorState):
            pass

        AgentExecutor._initial_state_t = DuckExecutorState  # type: ignore[attr-defined]
    except Exception:
        log.warning("crewai executor state patch not applied")


_cache_executor_state_class()


class DuckCrew(Crew):
    _task_output_handler: Any = PrivateAttr(default_factory=_NoKickoffStorage)


@lru_cache(maxsize=1)
def configs() -> tuple[dict[str, Any], dict[str, Any]]:
    agents = yaml.safe_load((CONFIG_DIR / "agents.yaml").read_text(encoding="utf-8"))
    tasks = yaml.safe_load((CONFIG_DIR / "tasks.yaml").read_text(encoding="utf-8"))
    return agents, tasks


def backend_spec() -> str:
    try:
        from app.core.config import get_settings  # noqa: PLC0415

        return get_settings().duck_llm
    except Exception:
        import os  # noqa: PLC0415

        return os.environ.get("DUCK_LLM", "local")


def make_llm(
    turn: TurnState, spec: str | None = None, *, deadline: float | None = None
) -> LocalLLM | HostedLLM:
    """The turn's LLM; ``deadline`` (``time.monotonic()``) bounds every hosted call of the turn."""
    parsed = parse_spec(spec if spec is not None else backend_spec())
    if parsed.kind == "local":
        return LocalLLM.for_turn(turn)
    return HostedLLM.for_turn(parsed, turn, deadline=deadline)


def _agent(name: str, llm: Any) -> Agent:
    cfg = configs()[0][name]
    return Agent(
        role=cfg["role"].strip(),
        goal=cfg["goal"].strip(),
        backstory=cfg["backstory"].strip(),
        llm=llm,
        allow_delegation=False,
        max_iter=1,
        max_retry_limit=0,
        verbose=False,
        cache=False,
    )


def _parse(task: str, raw: str) -> BaseModel | None:
    try:
        return RESPONSE_MODELS[task].model_validate_json(validate_answer(task, raw))
    except Exception:
        return None


def _safety_instruction(turn: TurnState) -> str:
    if turn.safety_level == "elevated":
        return (
            "安全提示：用户可能正处在较大的痛苦中。请格外温柔，不评判，不给医疗建议，"
            "鼓励对方联系信任的人或专业热线，不要提及任何伤害自己的方法。"
        )
    return ""


def _inputs(turn: TurnState) -> dict[str, Any]:
    history = "\n".join(f"{role}: {text[:200]}" for role, text in turn.history[-6:]) or "（无）"
    return {
        "message": turn.message,
        "locale": turn.locale,
        "history": history,
        "safety_instruction": _safety_instruction(turn),
        "emotions": "、".join(SUPPORTED_EMOTIONS),
        "tip_catalogue": tip_catalogue(),
        "content_catalogue": content_catalogue(),
        "style": turn.style,
        "period": "",
        "stats": json.dumps(turn.report_stats or {}, ensure_ascii=False),
    }


def _task(name: str, agent: Agent, *, context: list[Task] | None = None, condition: Any = None) -> Task:
    cfg = configs()[1][name]
    kwargs: dict[str, Any] = {
        "name": name,
        "description": cfg["description"].strip(),
        "expected_output": cfg["expected_output"].strip(),
        "agent": agent,
    }
    if context:
        kwargs["context"] = context
    if condition is not None:
        return ConditionalTask(condition=condition, **kwargs)
    return Task(**kwargs)


def _record(turn: TurnState, marks: dict[str, float]) -> Any:
    """Task callback: store each task's validated result on the turn (offline result if invalid)."""

    def callback(output: TaskOutput) -> None:
        name = str(output.name or "")
        now = time.perf_counter()
        marks[name] = now - marks.get("_last", now)
        marks["_last"] = now
        parsed = _parse(name, output.raw or "")
        if name == "listen_task":
            turn.analysis = parsed if isinstance(parsed, ListenerOutput) else None
            if turn.analysis is None:
                turn.fallbacks.append(name)
                turn.analysis = analyse(turn.message, safety_level=turn.safety_level)
            turn.route = route(
                turn.analysis,
                include_content=turn.include_content,
                include_therapy=turn.include_therapy,
                safety_level=turn.safety_level,
            )
            if turn.on_event is not None:  # streaming: the emotion event need not wait for the reply
                turn.on_event("analysis", turn.analysis)
        elif name == "therapy_tips_task":
            turn.tip = parsed if isinstance(parsed, TipChoice) else choose_tip(turn)
        elif name == "content_recall_task":
            turn.content = parsed if isinstance(parsed, ContentChoice) else choose_content(turn)
        elif name == "duck_reply_task":
            turn.reply = parsed if isinstance(parsed, DuckReply) else None
        elif name == "report_task":
            turn.report = parsed if isinstance(parsed, ReportSummary) else None

    return callback


def build_chat_crew(turn: TurnState, llm: Any) -> tuple[Crew, dict[str, float]]:
    marks: dict[str, float] = {}
    cb = _record(turn, marks)
    listener = _agent("listener", llm)
    tipper = _agent("therapy_tips", llm)
    recall = _agent("content_recall", llm)
    duck = _agent("duck_style", llm)
    t_listen = _task("listen_task", listener)
    t_tips = _task("therapy_tips_task", tipper, context=[t_listen], condition=lambda _o: turn.route.tips)
    t_content = _task(
        "content_recall_task", recall, context=[t_listen], condition=lambda _o: turn.route.content
    )
    t_reply = _task("duck_reply_task", duck, context=[t_listen, t_tips, t_content])
    for t in (t_listen, t_tips, t_content, t_reply):
        t.callback = cb
    crew = DuckCrew(
        agents=[listener, tipper, recall, duck],
        tasks=[t_listen, t_tips, t_content, t_reply],
        process=Process.sequential,
        verbose=False,
        memory=False,
        cache=False,
    )
    return crew, marks


def _offline_turn(turn: TurnState) -> None:
    """The whole turn with the offline engine and no crew (used if the crew itself fails)."""
    if turn.analysis is None:
        turn.analysis = analyse(turn.message, safety_level=turn.safety_level)
        turn.route = route(
            turn.analysis,
            include_content=turn.include_content,
            include_therapy=turn.include_therapy,
            safety_level=turn.safety_level,
        )
    if turn.route.tips and turn.tip is None:
        turn.tip = choose_tip(turn)
    if turn.route.content and turn.content is None:
        turn.content = choose_content(turn)
    if turn.reply is None:
        turn.reply = compose_reply(turn)


def _finish(turn: TurnState) -> None:
    """What every reply gets, however it was written: the resource line when the turn asks for one."""
    assert turn.reply is not None
    if turn.resource_line and turn.resource_line not in turn.reply.text:
        turn.reply = DuckReply(text=f"{turn.reply.text}\n{turn.resource_line}")


def run_turn(turn: TurnState, *, spec: str | None = None, deadline: float | None = None) -> TurnState:
    """Run the chat crew for one message (blocking: call from a worker thread).

    ``deadline`` (a ``time.monotonic()`` instant) is the message's budget across every task and retry:
    hosted calls never wait past it and the offline engine writes whatever is left."""
    started = time.perf_counter()
    llm = make_llm(turn, spec, deadline=deadline)
    try:
        crew, marks = build_chat_crew(turn, llm)
        marks["_last"] = time.perf_counter()
        crew.kickoff(inputs=_inputs(turn))
        for task, seconds in marks.items():
            if task in AGENT_OF_TASK:
                turn.agent_seconds[AGENT_OF_TASK[task]] = seconds
                m.AGENT_DURATION.labels(AGENT_OF_TASK[task]).observe(seconds)
    except Exception as exc:  # the person still gets an answer
        log.exception("crew kickoff failed", extra={"error": type(exc).__name__})
        turn.fallbacks.append("crew")
    finally:
        runtime.scrub()
    if turn.reply is None and "duck_reply_task" not in turn.fallbacks:
        turn.fallbacks.append("duck_reply_task")
    _offline_turn(turn)
    _finish(turn)
    m.AGENT_DURATION.labels("crew").observe(time.perf_counter() - started)
    return turn


def run_report(turn: TurnState, *, spec: str | None = None) -> ReportSummary:
    """Run the Report agent over a period's figures (no user text in the prompt: figures only)."""
    started = time.perf_counter()
    llm = make_llm(turn, spec)
    marks: dict[str, float] = {"_last": time.perf_counter()}
    try:
        agent = _agent("report", llm)
        task = _task("report_task", agent)
        task.callback = _record(turn, marks)
        crew = DuckCrew(agents=[agent], tasks=[task], process=Process.sequential, verbose=False, cache=False)
        crew.kickoff(inputs=_inputs(turn))
    except Exception as exc:
        log.exception("report crew failed", extra={"error": type(exc).__name__})
    finally:
        runtime.scrub()
    if turn.report is None:
        turn.fallbacks.append("report_task")
        turn.report = summarise_report(turn.report_stats or {}, seed=turn.seed)
    m.AGENT_DURATION.labels("report").observe(time.perf_counter() - started)
    return turn.report


def _limiter() -> anyio.CapacityLimiter:
    global _LIMITER  # noqa: PLW0603
    if _LIMITER is None:
        _LIMITER = anyio.CapacityLimiter(4)
    return _LIMITER


#: how long past the deadline the event loop waits for the crew's thread before it answers offline
DEADLINE_GRACE_SECONDS = 1.0


def _fresh(turn: TurnState) -> TurnState:
    """A copy of the turn's inputs with nothing computed (for the offline answer past the deadline)."""
    return dataclasses.replace(
        turn,
        analysis=None,
        route=Route(),
        tip=None,
        content=None,
        reply=None,
        fallbacks=[],
        agent_seconds={},
        on_event=None,  # the abandoned crew's stream is not this answer's
    )


def offline_now(turn: TurnState) -> TurnState:
    """The whole turn by the offline engine, no crew (milliseconds)."""
    _offline_turn(turn)
    _finish(turn)
    return turn


async def arun_turn(turn: TurnState, *, spec: str | None = None, deadline: float | None = None) -> TurnState:
    """Run the crew in a worker thread so the event loop keeps serving other requests.

    With ``deadline`` the answer comes by then (plus ``DEADLINE_GRACE_SECONDS``) whatever happens: if the
    crew's thread is still busy (waiting for a free crew slot, or a call that does not honour its timeout)
    it is left to finish on its own and the offline engine answers a fresh copy of the turn."""
    if deadline is None:
        return await anyio.to_thread.run_sync(lambda: run_turn(turn, spec=spec), limiter=_limiter())
    spare = _fresh(turn)
    with anyio.move_on_after(max(0.0, deadline - time.monotonic()) + DEADLINE_GRACE_SECONDS):
        return await anyio.to_thread.run_sync(
            lambda: run_turn(turn, spec=spec, deadline=deadline),
            limiter=_limiter(),
            abandon_on_cancel=True,
        )
    provider = parse_spec(spec if spec is not None else backend_spec()).kind
    m.LLM_FALLBACKS.labels(provider, "deadline").inc()
    log.warning("crew past the deadline: offline answer", extra={"provider": provider})
    spare.fallbacks.append("deadline")
    return await anyio.to_thread.run_sync(lambda: offline_now(spare))


async def arun_report(turn: TurnState, *, spec: str | None = None) -> ReportSummary:
    return await anyio.to_thread.run_sync(lambda: run_report(turn, spec=spec), limiter=_limiter())
