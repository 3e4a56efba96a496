"""The duck CLI: db upgrade, admin create, content import, keys, config check."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import anyio
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.auth.models import User
from app.cli import cli
from app.content.models import ContentAsset
from app.core.config import get_settings
from tests.app.conftest import STRONG_PASSWORD, TEST_KEY, TEST_SECRET

runner = CliRunner()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("ENCRYPTION_KEYS", TEST_KEY)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PASSWORD_HASH_MEMORY_KIB", "1024")
    monkeypatch.setenv("PASSWORD_HASH_TIME_COST", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_db_upgrade_is_idempotent(cli_env: None) -> None:
    r = runner.invoke(cli, ["db", "upgrade"])
    assert r.exit_code == 0, r.output
    assert "head" in r.output


def test_config_check_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "change-me")
    monkeypatch.setenv("ENCRYPTION_KEYS", "change-me")
    get_settings.cache_clear()
    try:
        r = runner.invoke(cli, ["config", "check"])
    finally:
        get_settings.cache_clear()
    assert r.exit_code == 2
    assert "SECRET_KEY" in r.output and "ENCRYPTION_KEYS" in r.output


def test_keys_generate() -> None:
    r = runner.invoke(cli, ["keys", "generate"])
    assert r.exit_code == 0 and len(r.output.strip()) == 44


async def test_admin_create(cli_env: None, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    email = f"admin-{uuid.uuid4().hex[:6]}@example.org"
    monkeypatch.setenv("DUCK_ADMIN_PW", STRONG_PASSWORD)
    r = await anyio.to_thread.run_sync(
        lambda: runner.invoke(cli, ["admin", "create", "--email", email, "--password-env", "DUCK_ADMIN_PW"])
    )
    assert r.exit_code == 0, r.output
    async with app.state.db.sessionmaker() as s:
        u = await s.scalar(select(User).where(User.email == email))
        assert u is not None and u.is_admin and not u.is_guest
    monkeypatch.setenv("DUCK_ADMIN_PW", "password123")
    r = await anyio.to_thread.run_sync(
        lambda: runner.invoke(
            cli, ["admin", "create", "--email", "weak@example.org", "--password-env", "DUCK_ADMIN_PW"]
        )
    )
    assert r.exit_code == 1


async def test_content_import(cli_env: None, app: Any, tmp_path: Path) -> None:
    index = tmp_path / "index.yaml"
    index.write_text(
        """
assets:
  - id: test_cli_panel
    kind: panel
    title: 抱抱鸭
    file: panels/hug.svg
    tags: [安慰, 拥抱]
    emotion_scores: {悲伤: 0.9, 孤独: 0.8}
  - id: test_cli_video
    kind: video
    title: 呼吸小视频
    url: /media/videos/breath.mp4
    duration_seconds: 60
    emotions: [焦虑]
""",
        encoding="utf-8",
    )
    r = await anyio.to_thread.run_sync(lambda: runner.invoke(cli, ["content", "import", str(index)]))
    assert r.exit_code == 0, r.output
    assert "2 created" in r.output
    r = await anyio.to_thread.run_sync(lambda: runner.invoke(cli, ["content", "import", str(index)]))
    assert "0 created, 2 updated" in r.output
    async with app.state.db.sessionmaker() as s:
        panel = await s.get(ContentAsset, "test_cli_panel")
        assert panel is not None and panel.url == "/media/panels/hug.svg"
        assert panel.emotion_scores == {"悲伤": 0.9, "孤独": 0.8}
        video = await s.get(ContentAsset, "test_cli_video")
        assert video is not None and video.emotion_scores == {"焦虑": 1.0}
    bad = tmp_path / "bad.yaml"
    bad.write_text("assets:\n  - id: x\n    kind: gif\n    title: t\n    url: /x\n", encoding="utf-8")
    r = await anyio.to_thread.run_sync(lambda: runner.invoke(cli, ["content", "import", str(bad)]))
    assert r.exit_code == 1
