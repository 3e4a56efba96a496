"""Log redaction: no phone numbers, e-mails, ID numbers or message text reach the logs."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from app.core.logging import configure_logging, redact_processor, redact_string


@pytest.mark.parametrize(
    ("raw", "leak"),
    [
        ("call me 13812345678", "13812345678"),
        ("call me +86 138-1234-5678", "1234-5678"),
        ("我的手机是 15900001111 谢谢", "15900001111"),
        ("mail duck.owner+x@example.com now", "duck.owner"),
        ("身份证 11010519491231002X 已提交", "11010519491231002X"),
        ("id 110105194912310021", "110105194912310021"),
        ("US +1 (415) 555-2671", "555-2671"),
        ("座机 010-82951332", "82951332"),
    ],
)
def test_patterns_are_masked(raw: str, leak: str) -> None:
    assert leak not in redact_string(raw)


def test_innocent_numbers_survive() -> None:
    assert (
        redact_string("processing_time_ms=1200 status=200 2026-11-29")
        == "processing_time_ms=1200 status=200 2026-11-29"
    )


def test_sensitive_keys_are_dropped() -> None:
    out = redact_processor(
        None,
        "info",
        {
            "event": "chat.message",
            "text": "我不想活了",
            "password": "hunter2-hunter2",
            "nested": {"notes": "私密", "count": 3},
            "user_id": "abc",
        },
    )
    assert out["text"] == "[REDACTED]" and out["password"] == "[REDACTED]"
    assert out["nested"] == {"notes": "[REDACTED]", "count": 3}
    assert out["user_id"] == "abc"


def test_json_output_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    structlog.get_logger("t").info("login from a@b.cn", text="我很难过", phone="13812345678")
    logging.getLogger("uvicorn.error").warning("client 13900001111 said hi")
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    dump = json.dumps(lines, ensure_ascii=False)
    for leak in ("a@b.cn", "我很难过", "13812345678", "13900001111"):
        assert leak not in dump
    assert lines[0]["level"] == "info" and "timestamp" in lines[0]
