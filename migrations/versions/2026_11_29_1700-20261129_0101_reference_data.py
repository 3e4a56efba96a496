"""reference data: therapy exercise library and content index (from the YAML shipped in app/)

Revision ID: 20261129_0101
Revises: 20261129_0001
Create Date: 2026-11-29 17:00:00+00:00

Reads the data files app/therapy/library.yaml and app/content/library/index.yaml (data, not app code).
Later edits to those files are synced by a new migration or ``duck content import``.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261129_0101"
down_revision: str | Sequence[str] | None = "20261129_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
APP_DIR = Path(__file__).resolve().parents[2] / "app"

therapy_tips = sa.table(
    "therapy_tips",
    sa.column("id", sa.String),
    sa.column("title", sa.String),
    sa.column("category", sa.String),
    sa.column("description", sa.Text),
    sa.column("steps", JSON_TYPE),
    sa.column("duration_minutes", sa.Integer),
    sa.column("difficulty", sa.String),
    sa.column("emotions", JSON_TYPE),
    sa.column("safety_notes", JSON_TYPE),
    sa.column("locale", sa.String),
    sa.column("active", sa.Boolean),
)
content_assets = sa.table(
    "content_assets",
    sa.column("id", sa.String),
    sa.column("kind", sa.String),
    sa.column("title", sa.String),
    sa.column("description", sa.String),
    sa.column("url", sa.String),
    sa.column("duration_seconds", sa.Integer),
    sa.column("tags", JSON_TYPE),
    sa.column("emotion_scores", JSON_TYPE),
    sa.column("locale", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _tips() -> list[dict[str, Any]]:
    return [
        {
            "id": t["id"],
            "title": t["title"],
            "category": t["category"],
            "description": t["description"],
            "steps": list(t["steps"]),
            "duration_minutes": int(t["duration_minutes"]),
            "difficulty": t["difficulty"],
            "emotions": {k: float(v) for k, v in t["emotions"].items()},
            "safety_notes": list(t.get("safety_notes", [])),
            "locale": "zh-CN",
            "active": True,
        }
        for t in _load(APP_DIR / "therapy" / "library.yaml")["tips"]
    ]


def _assets() -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    return [
        {
            "id": a["id"],
            "kind": a["kind"],
            "title": a["title"],
            "description": a.get("description"),
            "url": a["url"],
            "duration_seconds": a.get("duration_seconds"),
            "tags": list(a.get("tags", [])),
            "emotion_scores": {k: float(v) for k, v in a["emotion_scores"].items()},
            "locale": "zh-CN",
            "active": True,
            "created_at": now,
        }
        for a in _load(APP_DIR / "content" / "library" / "index.yaml")["items"]
    ]


def upgrade() -> None:
    op.bulk_insert(therapy_tips, _tips())
    op.bulk_insert(content_assets, _assets())


def downgrade() -> None:
    op.execute(content_assets.delete().where(content_assets.c.id.in_([a["id"] for a in _assets()])))
    op.execute(therapy_tips.delete().where(therapy_tips.c.id.in_([t["id"] for t in _tips()])))
