"""Export and erasure; encryption at rest; audit events without content."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import func, select, text

from app.auth.models import User
from app.chat.models import ChatSession, Message, MessageFeedback
from app.content.models import ContentAsset, ContentFeedback
from app.core.audit import AuditEvent
from app.emotions.models import EmotionLog
from app.reports.models import Report
from app.therapy.models import TherapyPractice, TherapyTip
from tests.app.conftest import Account
from tests.app.test_errors import assert_error

SECRET_WORDS = "我最近总是睡不着，工作压力很大 13812345678"


async def seed_content(app: Any, user_id: str) -> dict[str, str]:
    async with app.state.db.sessionmaker() as s:
        if await s.get(TherapyTip, "test_breathing_box") is None:
            s.add(
                TherapyTip(
                    id="test_breathing_box",
                    title="箱式呼吸",
                    category="breathing",
                    steps=["吸气4秒", "屏息4秒", "呼气4秒", "屏息4秒"],
                    duration_minutes=3,
                    emotions={"焦虑": 0.9},
                    safety_notes=["头晕时停止"],
                )
            )
        if await s.get(ContentAsset, "test_panel_hug") is None:
            s.add(
                ContentAsset(
                    id="test_panel_hug", kind="panel", title="拥抱", url="/media/hug.svg", tags=["安慰"]
                )
            )
        cs = ChatSession(user_id=user_id, title="睡眠")
        s.add(cs)
        await s.flush()
        m = Message(session_id=cs.id, user_id=user_id, role="user", text=SECRET_WORDS)
        d = Message(session_id=cs.id, user_id=user_id, role="duck", text="鸭鸭在这里陪着你")
        s.add_all([m, d])
        await s.flush()
        s.add_all(
            [
                MessageFeedback(message_id=d.id, user_id=user_id, helpful=True, score=5),
                EmotionLog(
                    user_id=user_id,
                    session_id=cs.id,
                    message_id=m.id,
                    sentiment="negative",
                    primary_emotion="焦虑",
                    intensity=0.7,
                    urgency=2,
                    topics=["睡眠", "工作"],
                    keywords=["睡不着", "压力"],
                ),
                ContentFeedback(
                    asset_id="test_panel_hug", user_id=user_id, session_id=cs.id, feedback_type="helpful"
                ),
                TherapyPractice(
                    user_id=user_id, tip_id="test_breathing_box", session_id=cs.id, notes="练完感觉轻松了一点"
                ),
                Report(
                    user_id=user_id,
                    session_id=cs.id,
                    kind="daily",
                    period_start=date(2026, 11, 29),
                    payload={"dominant_emotion": "焦虑"},
                ),
            ]
        )
        await s.commit()
        return {"session_id": cs.id, "message_id": m.id}


async def test_text_is_encrypted_at_rest(app: Any, guest: Account) -> None:
    await seed_content(app, guest.user_id)
    async with app.state.db.sessionmaker() as s:
        raw_messages = (await s.execute(text("SELECT text FROM messages"))).scalars().all()
        raw_notes = (await s.execute(text("SELECT notes FROM therapy_practices"))).scalars().all()
        raw_kw = (await s.execute(text("SELECT keywords FROM emotion_logs"))).scalars().all()
    assert raw_messages and not any("睡不着" in t for t in raw_messages)
    assert all(t.startswith("gAAAA") for t in raw_messages)  # Fernet tokens
    assert not any("轻松" in (n or "") for n in raw_notes)
    assert not any("压力" in (k or "") for k in raw_kw)


async def test_export_contains_everything_decrypted(
    client: httpx.AsyncClient, app: Any, guest: Account
) -> None:
    ids = await seed_content(app, guest.user_id)
    r = await client.get("/api/v1/me/export", headers=guest.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["user"]["id"] == guest.user_id
    assert SECRET_WORDS in {m["text"] for m in data["messages"]}
    assert any(s["id"] == ids["session_id"] for s in data["chat_sessions"])
    assert data["emotion_logs"][0]["keywords"] == ["睡不着", "压力"]
    assert data["therapy_practices"][0]["notes"] == "练完感觉轻松了一点"
    assert data["reports"][0]["payload"] == {"dominant_emotion": "焦虑"}
    assert data["message_feedback"] and data["content_feedback"] and data["auth_sessions"]
    async with app.state.db.sessionmaker() as s:
        n = await s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "privacy.export", AuditEvent.subject_user_id == guest.user_id)
        )
        details = (await s.scalars(select(AuditEvent.details))).all()
    assert n == 1
    assert not any("睡不着" in str(d) for d in details)


async def test_delete_guest_erases_everything(
    client: httpx.AsyncClient, app: Any, guest: Account, user: Account
) -> None:
    await seed_content(app, guest.user_id)
    await seed_content(app, user.user_id)  # someone else's data must survive
    r = await client.request("DELETE", "/api/v1/me", headers=guest.headers)
    assert r.status_code == 200, r.text
    counts = r.json()["data"]["counts"]
    assert counts["users"] == 1 and counts["messages"] == 2
    models = [Message, ChatSession, EmotionLog, TherapyPractice, Report, MessageFeedback, ContentFeedback]
    async with app.state.db.sessionmaker() as s:
        assert await s.get(User, guest.user_id) is None
        for model in models:
            mine = await s.scalar(
                select(func.count()).select_from(model).where(model.user_id == guest.user_id)
            )
            theirs = await s.scalar(
                select(func.count()).select_from(model).where(model.user_id == user.user_id)
            )
            assert mine == 0, model
            assert theirs and theirs > 0, model
        audit = (
            await s.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == "privacy.account_deleted",
                    AuditEvent.subject_user_id == guest.user_id,
                )
            )
        ).all()
        assert len(audit) == 1
        assert "睡不着" not in str(audit[0].details) and audit[0].ip_prefix is None
    # the tokens are dead
    assert_error(await client.get("/api/v1/me", headers=guest.headers), 401, "UNAUTHORIZED")
    assert_error(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": guest.refresh_token}),
        401,
        "UNAUTHORIZED",
    )


async def test_delete_full_account_needs_password(client: httpx.AsyncClient, app: Any, user: Account) -> None:
    assert_error(await client.request("DELETE", "/api/v1/me", headers=user.headers), 400, "VALIDATION_ERROR")
    r = await client.request(
        "DELETE", "/api/v1/me", headers=user.headers, json={"password": "Wrong-pass-123"}
    )
    assert_error(r, 401, "UNAUTHORIZED")
    async with app.state.db.sessionmaker() as s:
        assert await s.get(User, user.user_id) is not None
    r = await client.request("DELETE", "/api/v1/me", headers=user.headers, json={"password": user.password})
    assert r.status_code == 200
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": user.password})
    assert_error(r, 401, "UNAUTHORIZED")


async def test_admin_read_is_audited(client: httpx.AsyncClient, app: Any, guest: Account, make_user) -> None:
    admin = await make_user()
    # not an admin yet
    assert_error(
        await client.get(f"/api/v1/admin/users/{guest.user_id}/export", headers=admin.headers),
        403,
        "FORBIDDEN",
    )
    async with app.state.db.sessionmaker() as s:
        u = await s.get(User, admin.user_id)
        assert u is not None
        u.is_admin = True
        await s.commit()
    r = await client.get(f"/api/v1/admin/users/{guest.user_id}/export", headers=admin.headers)
    assert r.status_code == 200
    assert_error(await client.get("/api/v1/admin/users/nope/export", headers=admin.headers), 404, "NOT_FOUND")
    async with app.state.db.sessionmaker() as s:
        ev = await s.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "admin.read_user_data", AuditEvent.subject_user_id == guest.user_id
            )
        )
        assert ev is not None and ev.actor_user_id == admin.user_id
