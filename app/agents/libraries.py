"""The exercise library and the content index, loaded once from the YAML files shipped with the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

APP_DIR = Path(__file__).resolve().parent.parent
THERAPY_FILE = APP_DIR / "therapy" / "library.yaml"
CONTENT_DIR = APP_DIR / "content" / "library"
CONTENT_INDEX = CONTENT_DIR / "index.yaml"


@dataclass(frozen=True)
class Tip:
    id: str
    category: str
    title: str
    title_en: str
    description: str
    steps: tuple[str, ...]
    duration_minutes: int
    difficulty: str
    emotions: dict[str, float]
    safety_notes: tuple[str, ...]
    follow_up: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "title": self.title,
            "description": self.description,
            "steps": list(self.steps),
            "duration_minutes": self.duration_minutes,
            "difficulty": self.difficulty,
            "applicable_emotions": list(self.emotions),
            "effectiveness_for_emotions": dict(self.emotions),
            "safety_notes": list(self.safety_notes),
        }


@dataclass(frozen=True)
class Asset:
    id: str
    kind: str  # panel | video
    title: str
    description: str
    url: str
    format: str
    tags: tuple[str, ...]
    emotion_scores: dict[str, float]
    duration_seconds: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "url": self.url,
            "format": self.format,
            "tags": list(self.tags),
            "emotion_scores": dict(self.emotion_scores),
        }
        if self.kind == "video":
            out["duration"] = self.duration_seconds
        return out


@lru_cache(maxsize=1)
def tips() -> dict[str, Tip]:
    data = yaml.safe_load(THERAPY_FILE.read_text(encoding="utf-8"))
    out: dict[str, Tip] = {}
    for t in data["tips"]:
        out[t["id"]] = Tip(
            id=t["id"],
            category=t["category"],
            title=t["title"],
            title_en=t.get("title_en", t["title"]),
            description=t["description"],
            steps=tuple(t["steps"]),
            duration_minutes=int(t["duration_minutes"]),
            difficulty=t["difficulty"],
            emotions={k: float(v) for k, v in t["emotions"].items()},
            safety_notes=tuple(t.get("safety_notes", [])),
            follow_up=tuple(t.get("follow_up", [])),
        )
    return out


@lru_cache(maxsize=1)
def assets() -> dict[str, Asset]:
    data = yaml.safe_load(CONTENT_INDEX.read_text(encoding="utf-8"))
    out: dict[str, Asset] = {}
    for a in data["items"]:
        out[a["id"]] = Asset(
            id=a["id"],
            kind=a["kind"],
            title=a["title"],
            description=a.get("description", ""),
            url=a["url"],
            format=a.get("format", "image/svg+xml"),
            tags=tuple(a.get("tags", [])),
            emotion_scores={k: float(v) for k, v in a["emotion_scores"].items()},
            duration_seconds=a.get("duration_seconds"),
        )
    return out


def rank_tips(
    emotions: list[str],
    *,
    max_minutes: int | None = None,
    categories: list[str] | None = None,
    difficulty: str | None = None,
) -> list[tuple[Tip, float]]:
    """Tips ordered by fit: the primary emotion counts most, later ones less."""
    scored: list[tuple[Tip, float]] = []
    for tip in tips().values():
        score = sum(tip.emotions.get(e, 0.0) * (1.0 / (i + 1)) for i, e in enumerate(emotions))
        if max_minutes is not None and tip.duration_minutes > max_minutes:
            score *= 0.5
        if categories and tip.category in categories:
            score += 0.2
        if difficulty == "beginner" and tip.difficulty != "easy":
            score *= 0.7
        if score > 0:
            scored.append((tip, round(score, 4)))
    scored.sort(key=lambda p: (-p[1], p[0].id))
    return scored


def rank_assets(emotions: list[str], *, kind: str | None = None) -> list[tuple[Asset, float]]:
    scored: list[tuple[Asset, float]] = []
    for asset in assets().values():
        if kind and asset.kind != kind:
            continue
        score = sum(asset.emotion_scores.get(e, 0.0) * (1.0 / (i + 1)) for i, e in enumerate(emotions))
        if score > 0:
            scored.append((asset, round(score, 4)))
    scored.sort(key=lambda p: (-p[1], p[0].id))
    return scored


def tip_catalogue() -> str:
    """A compact list for hosted-LLM prompts: id | title | emotions."""
    return "\n".join(f"{t.id} | {t.title} | {','.join(t.emotions)}" for t in tips().values())


def content_catalogue() -> str:
    return "\n".join(
        f"{a.id} | {a.kind} | {a.title} | {','.join(a.emotion_scores)}" for a in assets().values()
    )
