"""My conversations (issue 15, part 3): list (newest activity first, keyset pages), rename, delete one
(its messages, emotion logs, report caches and feedback erased, audited; nothing else), history paged
backwards from the newest message; the ``OwnedChatSession`` 404s."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy import func, select, text

from app.chat.models import ChatSession, Message, MessageFeedback
from app.content.models import ContentFeedback
from app.core.audit import AuditEvent
from app.emotions.models import EmotionLog
from app.reports.models import Report
from app.therapy.models import TherapyPractice
from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, say
from tests.app.test_errors import assert_error

SECRET_TITLE = "和妈妈吵架之后"


async def list_page(
    client: httpx.AsyncClient, account: Account, **params: Any
) -> tuple[list[dict[str, Any]], str | None]:
    r = await client.get(f"{API}/chat/sessions", params=params, headers=account.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    return data["items"], data["next_cursor"]


async def all_ids(client: httpx.AsyncClient, account: Account, limit: int) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        items, cursor = await list_page(
            client, account, limit=limit, **({"cursor": cursor} if cursor else {})
        )
        ids += [i["session_id"] for i in items]
        if cursor is None:
            return ids


async def test_list_is_mine_newest_activity_first_in_keyset_pages(
    client: httpx.AsyncClient, make_guest: Callable[[], Awaitable[Account]]
) -> None:
    me, other = await make_guest(), await make_guest()
    theirs = await new_session(client, other.headers)
    sids = [await new_session(client, me.headers, locale="en" if i == 0 else "zh-CN") for i in range(5)]
    await say(client, me.headers, sids[1], "今天有点累")  # the second one becomes the most recent activity
    expected = [sids[1], sids[4], sids[3], sids[2], sids[0]]

    items, cursor = await list_page(client, me)
    assert [i["session_id"] for i in items] == expected and cursor is None
    assert theirs not in [i["session_id"] for i in items]
    top = items[0]
    assert top["message_count"] == 2 and top["title"] is None and top["locale"] == "zh-CN"
    assert top["last_activity_at"] > top["created_at"]
    empty = items[-1]
    assert empty["message_count"] == 0 and empty["locale"] == "en"
    assert empty["last_activity_at"] == empty["created_at"]

    # pages of 2: the same order, nothing repeated, the last page says so
    assert await all_ids(client, me, limit=2) == expected
    page1, cursor = await list_page(client, me, limit=2)
    assert [i["session_id"] for i in page1] == expected[:2] and cursor

    # a new message while paging: the conversation moves to the top, later pages never repeat page 1
    await say(client, me.headers, sids[0], "还是睡不好")
    rest = await all_ids_from(client, me, cursor)
    assert not set(rest) & {i["session_id"] for i in page1}
    assert rest == [sids[3], sids[2]]
    items, _ = await list_page(client, me)
    assert items[0]["session_id"] == sids[0] and items[0]["message_count"] == 2

    # the other guest sees only theirs
    items, _ = await list_page(client, other)
    assert [i["session_id"] for i in items] == [theirs]


async def all_ids_from(client: httpx.AsyncClient, account: Account, cursor: str | None) -> list[str]:
    ids: list[str] = []
    while cursor is not None:
        items, cursor = await list_page(client, account, limit=2, cursor=cursor)
        ids += [i["session_id"] for i in items]
    return ids


async def test_list_refuses_a_bad_cursor_and_limit(client: httpx.AsyncClient, guest: Account) -> None:
    await new_session(client, guest.headers)
    for params in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"limit": 101}):
        r = await client.get(f"{API}/chat/sessions", params=params, headers=guest.headers)
        assert_error(r, 422, "VALIDATION_ERROR")
    # any well-formed cursor is a position: before the epoch there is nothing
    items, cursor = await list_page(client, guest, cursor="0.0")
    assert items == [] and cursor is None
    r = await client.get(f"{API}/chat/sessions")
    assert_error(r, 401, "UNAUTHORIZED")


async def test_rename_stores_the_trimmed_title_encrypted(
    client: httpx.AsyncClient, guest: Account, db_session: Any
) -> None:
    sid = await new_session(client, guest.headers)
    r = await client.patch(
        f"{API}/chat/sessions/{sid}", json={"title": f"\u3000 {SECRET_TITLE} "}, headers=guest.headers
    )
    assert r.status_code == 200, r.text
    item = r.json()["data"]
    assert item["session_id"] == sid and item["title"] == SECRET_TITLE and item["message_count"] == 0
    items, _ = await list_page(client, guest)
    assert items[0]["title"] == SECRET_TITLE
    raw = (
        await db_session.execute(text("SELECT title FROM chat_sessions WHERE id = :id"), {"id": sid})
    ).scalar()
    assert raw and SECRET_TITLE not in str(raw)  # encrypted at rest, like the messages
    export = (await client.get(f"{API}/me/export", headers=guest.headers)).json()["data"]
    assert [s["title"] for s in export["chat_sessions"] if s["id"] == sid] == [SECRET_TITLE]
    # renaming is not activity: the order does not change
    assert items[0]["last_activity_at"] == items[0]["created_at"]
    assert (
        await client.patch(f"{API}/chat/sessions/{sid}", json={"title": "x" * 80}, headers=guest.headers)
    ).status_code == 200


async def test_rename_is_strict(
    client: httpx.AsyncClient, make_guest: Callable[[], Awaitable[Account]]
) -> None:
    me, other = await make_guest(), await make_guest()
    sid = await new_session(client, me.headers)
    for body in (
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 81},
        {"title": " " + "x" * 81},
        {"title": "第一行\n第二行"},
        {"title": 42},
        {"title": None},
        {},
        {"title": "ok", "extra": 1},
    ):
        r = await client.patch(f"{API}/chat/sessions/{sid}", json=body, headers=me.headers)
        assert_error(r, 422, "VALIDATION_ERROR")
    items, _ = await list_page(client, me)
    assert items[0]["title"] is None
    for path, who in ((sid, other), ("no-such-session", me)):
        r = await client.patch(f"{API}/chat/sessions/{path}", json={"title": "借用"}, headers=who.headers)
        assert_error(r, 404, "SESSION_NOT_FOUND")


async def _rows(db: Any, model: Any, session_id: str) -> int:
    return int(
        (
            await db.execute(select(func.count()).select_from(model).where(model.session_id == session_id))
        ).scalar_one()
    )


async def test_delete_erases_exactly_that_conversation(
    client: httpx.AsyncClient, make_guest: Callable[[], Awaitable[Account]], db_session: Any
) -> None:
    me, other = await make_guest(), await make_guest()
    gone, kept = await new_session(client, me.headers), await new_session(client, me.headers)
    theirs = await new_session(client, other.headers)
    secret = "我昨晚又失眠了，老板的话一直在脑子里转"
    r = await client.post(
        f"{API}/chat/messages",
        json={"text": secret, "session_id": gone},
        headers={**me.headers, "Idempotency-Key": "delete-me-key-0001"},
    )
    assert r.status_code == 200, r.text
    duck_id = r.json()["data"]["duck_response"]["id"]
    await say(client, me.headers, gone, "谢谢你听我说")
    await say(client, me.headers, kept, "今天天气不错")
    await say(client, other.headers, theirs, "我也想聊聊")
    await client.patch(f"{API}/chat/sessions/{gone}", json={"title": SECRET_TITLE}, headers=me.headers)
    assert (
        await client.post(
            f"{API}/chat/messages/{duck_id}/feedback", json={"helpful": True, "score": 4}, headers=me.headers
        )
    ).status_code == 200
    assert (await client.get(f"{API}/reports/daily/{gone}", headers=me.headers)).status_code == 200
    assert (await client.get(f"{API}/reports/daily/{kept}", headers=me.headers)).status_code == 200
    practice = await client.post(
        f"{API}/therapy/practice", json={"tip_id": "breathing_478", "session_id": gone}, headers=me.headers
    )
    assert practice.status_code in (200, 201), practice.text
    asset = (await db_session.execute(text("SELECT id FROM content_assets LIMIT 1"))).scalar()
    r = await client.post(
        f"{API}/content/feedback",
        json={"content_id": asset, "feedback_type": "helpful", "session_id": gone},
        headers=me.headers,
    )
    assert r.status_code == 200, r.text
    before = {
        model.__tablename__: (await _rows(db_session, model, kept), await _rows(db_session, model, theirs))
        for model in (Message, EmotionLog, Report)
    }
    assert before["messages"] == (2, 2) and before["emotion_logs"] == (1, 1)

    # someone else cannot delete it, and an unknown id is the same 404
    for sid, who in ((gone, other), ("no-such-session", me)):
        assert_error(
            await client.delete(f"{API}/chat/sessions/{sid}", headers=who.headers), 404, "SESSION_NOT_FOUND"
        )

    r = await client.delete(f"{API}/chat/sessions/{gone}", headers=me.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["session_id"] == gone and data["deleted_messages"] == 4
    assert data["counts"] == {
        "message_feedback": 1,
        "content_feedback": 1,
        "reports": 1,
        "emotion_logs": 2,
        "messages": 4,
        "therapy_practices_detached": 1,
        "chat_sessions": 1,
    }

    # gone: for the API and in the database
    assert_error(await client.get(f"{API}/chat/history/{gone}", headers=me.headers), 404, "SESSION_NOT_FOUND")
    assert_error(
        await client.delete(f"{API}/chat/sessions/{gone}", headers=me.headers), 404, "SESSION_NOT_FOUND"
    )
    items, _ = await list_page(client, me)
    assert [i["session_id"] for i in items] == [kept]
    db_session.expire_all()
    for model in (Message, EmotionLog, Report, ContentFeedback, TherapyPractice):
        assert await _rows(db_session, model, gone) == 0, model.__tablename__
    assert await db_session.get(ChatSession, gone) is None
    assert (await db_session.execute(select(func.count()).select_from(MessageFeedback))).scalar_one() == 0
    # the practice record stays mine, no longer linked
    kept_practice = (
        await db_session.execute(select(TherapyPractice).where(TherapyPractice.user_id == me.user_id))
    ).scalar_one()
    assert kept_practice.session_id is None
    # everything else untouched: my other conversation, the other guest's, my account
    after = {
        model.__tablename__: (await _rows(db_session, model, kept), await _rows(db_session, model, theirs))
        for model in (Message, EmotionLog, Report)
    }
    assert after == before
    assert (await client.get(f"{API}/me", headers=me.headers)).status_code == 200
    await say(client, me.headers, kept, "我还在")
    # audited, without any of the words
    audit = (
        await db_session.execute(select(AuditEvent).where(AuditEvent.action == "chat.session_deleted"))
    ).scalar_one()
    assert audit.subject_user_id == me.user_id and audit.actor_user_id == me.user_id
    assert audit.details == {"session_id": gone, "counts": data["counts"]}
    assert secret not in str(audit.details) and SECRET_TITLE not in str(audit.details)
    # the Idempotency-Key went with the message: the same key in a new session is a new turn
    fresh = await new_session(client, me.headers)
    r = await client.post(
        f"{API}/chat/messages",
        json={"text": secret, "session_id": fresh},
        headers={**me.headers, "Idempotency-Key": "delete-me-key-0001"},
    )
    assert r.status_code == 200 and "idempotent-replayed" not in r.headers


async def test_a_registered_user_deletes_too(client: httpx.AsyncClient, user: Account) -> None:
    sid = await new_session(client, user.headers)
    await say(client, user.headers, sid, "hello duck", locale="en")
    r = await client.delete(f"{API}/chat/sessions/{sid}", headers=user.headers)
    assert r.status_code == 200 and r.json()["data"]["deleted_messages"] == 2
    assert (await list_page(client, user))[0] == []


async def test_history_pages_backwards_from_the_newest(
    client: httpx.AsyncClient, make_guest: Callable[[], Awaitable[Account]]
) -> None:
    me, other = await make_guest(), await make_guest()
    sid = await new_session(client, me.headers)
    for text_ in ("第一句", "第二句", "第三句"):
        await say(client, me.headers, sid, text_)
    everything = (await client.get(f"{API}/chat/history/{sid}", headers=me.headers)).json()["data"]
    ids = [m["id"] for m in everything["messages"]]
    assert len(ids) == 6 and everything["next_before"] is None

    r = await client.get(
        f"{API}/chat/history/{sid}", params={"latest": "true", "limit": 4}, headers=me.headers
    )
    newest = r.json()["data"]
    assert [m["id"] for m in newest["messages"]] == ids[2:]  # oldest first within the page
    assert newest["messages"][0]["text"] == "第二句" and newest["messages"][-1]["role"] == "duck"
    assert newest["has_more"] is True and newest["next_before"] == ids[2] and newest["total_count"] == 6

    r = await client.get(
        f"{API}/chat/history/{sid}", params={"before": newest["next_before"], "limit": 4}, headers=me.headers
    )
    older = r.json()["data"]
    assert [m["id"] for m in older["messages"]] == ids[:2] and older["messages"][0]["text"] == "第一句"
    assert older["has_more"] is False and older["next_before"] is None

    # forwards with offset still works as before, and says where the older page starts
    r = await client.get(f"{API}/chat/history/{sid}", params={"limit": 2, "offset": 2}, headers=me.headers)
    mid = r.json()["data"]
    assert [m["id"] for m in mid["messages"]] == ids[2:4] and mid["has_more"] is True
    assert mid["next_before"] == ids[2]

    other_sid = await new_session(client, other.headers)
    await say(client, other.headers, other_sid, "别人的话")
    foreign = (await client.get(f"{API}/chat/history/{other_sid}", headers=other.headers)).json()["data"]
    for before in ("no-such-message", foreign["messages"][0]["id"]):
        r = await client.get(f"{API}/chat/history/{sid}", params={"before": before}, headers=me.headers)
        assert_error(r, 404, "NOT_FOUND")
    assert_error(
        await client.get(f"{API}/chat/history/{other_sid}", params={"latest": "true"}, headers=me.headers),
        404,
        "SESSION_NOT_FOUND",
    )


async def test_session_endpoints_of_other_domains_check_ownership(
    client: httpx.AsyncClient, make_guest: Callable[[], Awaitable[Account]]
) -> None:
    me, other = await make_guest(), await make_guest()
    sid = await new_session(client, other.headers)
    for path in (
        f"reports/daily/{sid}",
        f"reports/weekly/{sid}",
        f"emotions/analysis/{sid}",
        f"chat/history/{sid}",
    ):
        assert_error(await client.get(f"{API}/{path}", headers=me.headers), 404, "SESSION_NOT_FOUND")
        assert (await client.get(f"{API}/{path}", headers=other.headers)).status_code == 200, path


async def test_preflight_allows_rename_and_delete(client: httpx.AsyncClient) -> None:
    for method in ("PATCH", "DELETE"):
        r = await client.options(
            f"{API}/chat/sessions/abc",
            headers={
                "Origin": "http://localhost:5173",
                "Access-Control-Request-Method": method,
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert r.status_code == 200, r.text
        assert method in r.headers["access-control-allow-methods"]
