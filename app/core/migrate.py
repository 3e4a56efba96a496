"""Run Alembic programmatically (``duck db upgrade``, tests, deploy hooks)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from app.core.config import Settings
from app.core.health import find_alembic_ini

REPO_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(settings: Settings | None = None, url: str | None = None) -> Config:
    ini = find_alembic_ini()
    cfg = Config(str(ini)) if ini else Config()
    script_dir = ini.parent / "migrations" if ini else REPO_ROOT / "migrations"
    if not script_dir.is_dir():
        raise FileNotFoundError(
            "migrations/ not found: run from the release directory "
            "or set DUCK_ALEMBIC_INI=/path/to/alembic.ini"
        )
    cfg.set_main_option("script_location", str(script_dir))
    cfg.attributes["configure_logging"] = False
    if settings is not None:
        cfg.attributes["settings"] = settings
        cfg.attributes["url"] = url or settings.database_url
    elif url:
        cfg.attributes["url"] = url
    return cfg


def upgrade(settings: Settings | None = None, revision: str = "head", url: str | None = None) -> None:
    command.upgrade(alembic_config(settings, url), revision)


def downgrade(settings: Settings | None = None, revision: str = "base", url: str | None = None) -> None:
    command.downgrade(alembic_config(settings, url), revision)


def current(settings: Settings | None = None, url: str | None = None) -> None:
    command.current(alembic_config(settings, url), verbose=False)
