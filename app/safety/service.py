"""The safety gate: assess a message and build the fixed crisis reply / resource line for a locale."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from app.safety.detector import Level, SafetyAssessment, assess

_HOTLINES_FILE = Path(__file__).with_name("hotlines.yaml")


@dataclass(frozen=True)
class Hotline:
    name: str
    number: str
    hours: str
    kind: str  # hotline | emergency

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "number": self.number, "hours": self.hours, "kind": self.kind}


@dataclass
class SafetyResult:
    level: Level
    categories: list[str]
    rules: list[str]
    locale: str
    hotlines: list[Hotline] = field(default_factory=list)
    crisis_reply: str | None = None
    resource_line: str | None = None
    elapsed_ms: float = 0.0

    def public(self) -> dict[str, Any]:
        """What the API returns under ``safety``: level and hotlines (never the matched text)."""
        return {
            "level": self.level,
            "categories": list(self.categories),
            "hotlines": [h.as_dict() for h in self.hotlines],
        }


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with _HOTLINES_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def resolve_locale(locale: str | None) -> str:
    data = _data()
    if not locale:
        return str(data["default_locale"])
    key = locale.strip().replace("_", "-")
    if key in data["locales"]:
        return key
    alias = data.get("aliases", {}).get(key.lower())
    if alias:
        return str(alias)
    short = key.split("-")[0].lower()
    return str(data.get("aliases", {}).get(short, data["default_locale"]))


def hotlines_for(locale: str | None) -> list[Hotline]:
    loc = _data()["locales"][resolve_locale(locale)]
    lines = [
        Hotline(h["name"], str(h["number"]), str(h.get("hours", "")), "hotline") for h in loc["hotlines"]
    ]
    lines += [
        Hotline(h["name"], str(h["number"]), str(h.get("hours", "")), "emergency") for h in loc["emergency"]
    ]
    return lines


def hotlines_for_level(level: str, locale: str | None) -> list[Hotline]:
    """The hotlines the API lists for a level: crisis every line, elevated the hotlines only, none none."""
    if level == "crisis":
        return hotlines_for(locale)
    if level == "elevated":
        return [h for h in hotlines_for(locale) if h.kind == "hotline"]
    return []


def crisis_reply(locale: str | None) -> str:
    loc = resolve_locale(locale)
    data = _data()
    lines = hotlines_for(loc)
    sep = "：" if loc.startswith("zh") else ": "
    listed = "\n".join(f"· {h.name}{sep}{h.number}" for h in lines if h.kind == "hotline")
    emergency = " / ".join(h.number for h in lines if h.kind == "emergency")
    return str(data["replies"][loc]).format(hotlines=listed, emergency=emergency)


def resource_line(locale: str | None) -> str:
    loc = resolve_locale(locale)
    first = next(h for h in hotlines_for(loc) if h.kind == "hotline")
    return str(_data()["resource_lines"][loc]).format(first_hotline=first.number)


def guess_locale(text: str, requested: str | None = None) -> str:
    """The user's locale if known, else a guess from the script of the message."""
    if requested:
        return resolve_locale(requested)
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "en-US" if latin > 3 * max(cjk, 1) else resolve_locale(None)


def check_message(
    text: str,
    *,
    locale: str | None = None,
    context: Sequence[str] = (),
    after_crisis: bool = False,
) -> SafetyResult:
    """Run the gate. Deterministic, no I/O, no model: this is the path that must answer within 50 ms."""
    del context, after_crisis  # signature of branch gate (the gate reads them there)
    started = time.perf_counter()
    found: SafetyAssessment = assess(text)
    loc = guess_locale(text, locale)
    result = SafetyResult(level=found.level, categories=found.categories, rules=found.rules, locale=loc)
    result.hotlines = hotlines_for_level(found.level, loc)
    if found.level == "crisis":
        result.crisis_reply = crisis_reply(loc)
    elif found.level == "elevated":
        result.resource_line = resource_line(loc)
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result
