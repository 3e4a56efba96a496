"""gunicorn configuration: ``gunicorn -c python:app.gunicorn_conf app.main:app``.

Environment:
* ``GUNICORN_BIND`` (default ``127.0.0.1:8000``; comma-separated for several). Under systemd socket
  activation (``LISTEN_FDS`` set by a ``.socket`` unit) gunicorn uses the inherited socket and the bind
  is ignored: restarts then refuse no connection.
* ``WEB_CONCURRENCY`` / ``GUNICORN_WORKERS`` (default 2), ``GUNICORN_TIMEOUT`` (60 s),
  ``GUNICORN_GRACEFUL_TIMEOUT`` (30 s), ``GUNICORN_KEEPALIVE`` (5 s), ``GUNICORN_MAX_REQUESTS`` (0 = off),
  ``FORWARDED_ALLOW_IPS`` (addresses of the reverse proxy, default 127.0.0.1),
  ``GUNICORN_PRELOAD`` (default off: without --preload a HUP loads a new release from the ``current``
  symlink; with it workers share memory).
* ``GUNICORN_CONTROL_SOCKET``: path of gunicorn's control socket (default: disabled).
* ``PROMETHEUS_MULTIPROC_DIR``: metrics of all workers are aggregated; the directory is wiped at start.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2))
worker_class = "uvicorn_worker.UvicornWorker"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 0)
preload_app = os.environ.get("GUNICORN_PRELOAD", "false").lower() in ("1", "true", "yes")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# heartbeat files on tmpfs (a disk-backed /tmp can stall heartbeats under I/O pressure)
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's documented choice for worker heartbeats
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (_SHM if Path(_SHM).is_dir() else None)
# logs: JSON from the app's structlog pipeline; gunicorn's own error log to stderr; no access log
# (the app logs each request with its route template)
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "psych-duck"
# gunicorn's control socket (in $HOME/.gunicorn by default) is off unless GUNICORN_CONTROL_SOCKET names a
# path: the service HOME is private/ephemeral and the unit may restrict AF_UNIX
_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
if _control:
    control_socket = _control
else:
    control_socket_disable = True


def on_starting(server: Any) -> None:
    d = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if d:
        path = Path(d)
        if path.is_dir():
            for child in path.iterdir():
                if child.is_file():
                    child.unlink()
                else:
                    shutil.rmtree(child, ignore_errors=True)
        else:
            path.mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # noqa: PLC0415

        # prometheus_client's multiprocess helpers carry no annotations
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
