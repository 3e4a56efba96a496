"""Process set-up that must happen BEFORE ``import crewai``: offline switches and a private, wiped HOME.

CrewAI writes every task's inputs and outputs (the user's words) to
``$HOME/.local/share/<cwd>/latest_kickoff_task_outputs.db`` and keeps credentials / config under HOME.
We give it a per-process 0700 directory that is removed at exit, point HOME and the XDG dirs at it, and
(see crew.py) replace its kickoff-output storage with a no-op so nothing is written there in the first place.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

OFFLINE_ENV = {
    "CREWAI_DISABLE_TELEMETRY": "true",
    "CREWAI_TRACING_ENABLED": "false",
    "CREWAI_DISABLE_VERSION_CHECK": "true",
    "CREWAI_DISABLE_TRACKING": "true",
    "OTEL_SDK_DISABLED": "true",
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
}

_private_home: Path | None = None
_original_home = os.environ.get("HOME")


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def private_home() -> Path:
    """The per-process CrewAI HOME (created once; removed at interpreter exit)."""
    global _private_home  # noqa: PLW0603
    if _private_home is None:
        base = os.environ.get("DUCK_CREWAI_HOME_BASE")  # e.g. the systemd RuntimeDirectory
        if base:
            Path(base).mkdir(mode=0o700, parents=True, exist_ok=True)
        _private_home = Path(tempfile.mkdtemp(prefix="duck-crewai-", dir=base or None))
        atexit.register(_remove, _private_home)
    return _private_home


def configure() -> Path:
    """Set the offline switches and the private HOME. Idempotent; call before importing crewai."""
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value  # forced, not setdefault: a stray "true" elsewhere must not re-enable it
    home = private_home()
    os.environ["HOME"] = str(home)
    os.environ["XDG_DATA_HOME"] = str(home / ".local" / "share")
    os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
    os.environ["XDG_CACHE_HOME"] = str(home / ".cache")
    os.environ["CREWAI_STORAGE_DIR"] = str(home / "crewai-storage")
    return home


def scrub() -> None:
    """Remove anything CrewAI may have written that could hold user text (called after each kickoff)."""
    if _private_home is None:
        return
    for pattern in ("*.db", "*.db-journal", "*.db-wal", "*.jsonl", "*.log"):
        for path in _private_home.rglob(pattern):
            path.unlink(missing_ok=True)


configure()
