"""structlog JSON logs to stdout (journald on hosts) with a redaction step.

* keys that may carry user content or secrets are dropped (``text``, ``notes``, ``password``, tokens ...);
* e-mail addresses, phone numbers (Chinese mobiles, international numbers) and Chinese resident ID
  numbers are masked in every remaining string value;
* stdlib loggers (uvicorn, gunicorn, sqlalchemy) go through the same pipeline.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

#: keys whose values are never logged (user text and secrets)
SENSITIVE_KEYS = frozenset(
    {
        "text",
        "message_text",
        "content",
        "body",
        "notes",
        "note",
        "comment",
        "prompt",
        "reply",
        "keywords",
        "password",
        "new_password",
        "current_password",
        "password_hash",
        "secret",
        "token",
        "access_token",
        "refresh_token",
        "mfa_token",
        "authorization",
        "cookie",
        "otp",
        "code",
        "recovery_code",
        "api_key",
        "email",
    }
)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
CN_ID_RE = re.compile(
    r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])"
)
CN_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
INTL_PHONE_RE = re.compile(r"(?<![\w])\+\d{1,3}[- ]?(?:\(?\d{1,4}\)?[- ]?){2,5}\d{2,4}(?![0-9])")
LANDLINE_RE = re.compile(r"(?<![0-9])0\d{2,3}-\d{7,8}(?![0-9])")

REDACTED = "[REDACTED]"


def redact_string(value: str) -> str:
    value = EMAIL_RE.sub("[EMAIL]", value)
    value = CN_ID_RE.sub("[ID]", value)
    value = CN_MOBILE_RE.sub("[PHONE]", value)
    value = INTL_PHONE_RE.sub("[PHONE]", value)
    return LANDLINE_RE.sub("[PHONE]", value)


def _redact_value(value: Any, depth: int = 0) -> Any:
    if depth > 4:
        return value
    if isinstance(value, str):
        return redact_string(value)
    if isinstance(value, Mapping):
        return {
            k: (REDACTED if str(k).lower() in SENSITIVE_KEYS else _redact_value(v, depth + 1))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact_value(v, depth + 1) for v in value]
    return value


def redact_processor(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> Any:
    for key in list(event_dict.keys()):
        if key.lower() in SENSITIVE_KEYS:
            event_dict[key] = REDACTED
        elif key != "timestamp":
            event_dict[key] = _redact_value(event_dict[key])
    return event_dict


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_processor,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "gunicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    # our middleware writes the access log (route template, no query strings)
    for name in ("uvicorn.access", "gunicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = False
        lg.disabled = True
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
