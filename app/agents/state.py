"""Per-turn state shared by the tasks of one kickoff (and by the offline engine)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from app.agents.schemas import ContentChoice, DuckReply, ListenerOutput, ReportSummary, TipChoice

Style = Literal["standard", "detailed", "brief"]


@dataclass
class Route:
    tips: bool = False
    content: bool = False
    reasons: list[str] = field(default_factory=list)


@dataclass
class TurnState:
    message: str
    locale: str = "zh-CN"
    seed: int = 0
    style: Style = "standard"
    safety_level: str = "none"
    resource_line: str | None = None
    include_content: bool | None = None  # None: let routing decide
    include_therapy: bool | None = None
    history: list[tuple[str, str]] = field(
        default_factory=list
    )  # (role, text), oldest first, hosted prompts only
    analysis: ListenerOutput | None = None
    route: Route = field(default_factory=Route)
    tip: TipChoice | None = None
    content: ContentChoice | None = None
    reply: DuckReply | None = None
    # report turns
    report_stats: dict[str, Any] | None = None
    report: ReportSummary | None = None
    # bookkeeping (no user text)
    fallbacks: list[str] = field(default_factory=list)
    agent_seconds: dict[str, float] = field(default_factory=dict)
    #: streaming (SSE with a hosted backend): called from the crew's thread with ("analysis", ListenerOutput)
    #: when the Listener is done, ("token", text) for each piece of DuckStyle's reply as the model writes it
    #: and ("reset", "") when a streamed attempt is dropped (retry or offline answer); None: no streaming
    on_event: Callable[[str, Any], None] | None = field(default=None, repr=False, compare=False)

    @property
    def english(self) -> bool:
        return self.locale.startswith("en")
