"""Streaming over SSE: proper event/data frames (emotion, delta, content, done) carrying the same reply."""

from __future__ import annotations

import httpx

from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, parse_sse, say


async def _stream(client: httpx.AsyncClient, headers: dict[str, str], sid: str, text: str) -> httpx.Response:
    return await client.post(
        f"{API}/chat/messages/stream", json={"text": text, "session_id": sid}, headers=headers
    )


async def test_sse_frames_and_same_reply_as_rest(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    text = "一个人在外地过年，有点孤单"
    r = await _stream(client, guest.headers, sid, text)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    assert "event: emotion" in r.text and "data: " in r.text
    events = parse_sse(r.text)
    names = [n for n, _ in events]
    assert names[0] == "emotion" and names[-2:] == ["content", "done"]
    assert set(names[1:-2]) == {"delta"} and len(names) > 4
    streamed = "".join(d["text"] for n, d in events if n == "delta")
    done = events[-1][1]
    assert streamed == done["duck_response"]["text"]
    assert events[0][1]["emotion_analysis"]["primary_emotions"][0] == "孤独"
    assert events[-2][1]["panel_url"] == done["duck_response"]["panel_url"]
    # the same message over REST in the same session gets the same (deterministic) reply
    rest = await say(client, guest.headers, sid, text)
    assert rest["duck_response"]["text"] == streamed


async def test_sse_crisis(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    events = parse_sse((await _stream(client, guest.headers, sid, "我不想醒来了")).text)
    done = events[-1][1]
    assert done["safety"]["level"] == "crisis"
    assert "12356" in "".join(d["text"] for n, d in events if n == "delta")


async def test_sse_errors_are_json_envelopes(client: httpx.AsyncClient, make_guest: object) -> None:
    alice = await make_guest()  # type: ignore[operator]
    bob = await make_guest()  # type: ignore[operator]
    sid = await new_session(client, alice.headers)
    r = await _stream(client, bob.headers, sid, "你好")
    assert r.status_code == 404 and r.json()["error"]["code"] == "SESSION_NOT_FOUND"
