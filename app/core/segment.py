"""Shared jieba set-up: dictionary loaded once per process, cache kept in a private directory.

jieba's cache file holds only its own dictionary (never user text); we still keep it out of the shared /tmp
namespace (a 0700 directory per uid) so that one user's process cannot swap another's cache.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path

import jieba

_lock = threading.Lock()
_ready = False

# Words the detector and the offline engine must see as single tokens.
_CUSTOM_WORDS = (
    "不想活",
    "活不下去",
    "一了百了",
    "了结自己",
    "结束生命",
    "结束自己",
    "伤害自己",
    "割腕",
    "自残",
    "烧炭",
    "上吊",
    "跳楼",
    "安眠药",
    "想消失",
    "撑不下去",
    "没意思",
    "压力山大",
    "emo",
)


def _cache_dir() -> Path:
    base = os.environ.get("DUCK_JIEBA_CACHE_DIR")
    path = Path(base) if base else Path(tempfile.gettempdir()) / f"duck-jieba-{os.getuid()}"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid != os.getuid():  # someone else's directory: fall back to a private one
        path = Path(tempfile.mkdtemp(prefix="duck-jieba-"))
    return path


def ensure_ready() -> None:
    """Load jieba's dictionary (about 1-2 s once per process); later calls return at once."""
    global _ready  # noqa: PLW0603
    if _ready:
        return
    with _lock:
        if _ready:
            return
        jieba.setLogLevel(logging.WARNING)
        jieba.dt.tmp_dir = str(_cache_dir())
        jieba.initialize()
        for word in _CUSTOM_WORDS:
            jieba.add_word(word, freq=20000)
        _ready = True


def cut(text: str) -> list[str]:
    ensure_ready()
    return [t for t in jieba.lcut(text) if t.strip()]
