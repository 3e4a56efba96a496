"""Accounts: guests, registration, login, rotating refresh tokens with reuse detection, sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import func, select

from app.auth.models import AuthSession, LoginAttempt, RefreshToken, User
from app.chat.models import ChatSession, Message
from app.core.audit import AuditEvent
from app.core.security import create_token
from app.main import create_app
from tests.app.conftest import STRONG_PASSWORD, Account, make_client
from tests.app.test_errors import assert_error


async def count(app: Any, model: Any, *where: Any) -> int:
    async with app.state.db.sessionmaker() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_guest_gets_tokens_at_once(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/guest", json={"display_name": "小鸭", "locale": "zh-CN"})
    assert r.status_code == 201
    data = r.json()["data"]
    assert data["token_type"] == "bearer"
    assert data["user"]["is_guest"] is True
    assert data["user"]["email"] is None
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {data['access_token']}"})
    assert me.status_code == 200
    assert me.json()["data"]["display_name"] == "小鸭"


async def test_guest_without_body(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/guest")
    assert r.status_code == 201


async def test_register_login_and_me(client: httpx.AsyncClient, app: Any) -> None:
    r = await client.post(
        "/api/v1/auth/register", json={"email": "Duck.Owner@Example.org", "password": STRONG_PASSWORD}
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["user"]["email"] == "duck.owner@example.org"
    r = await client.post(
        "/api/v1/auth/login", json={"email": "duck.owner@example.org", "password": STRONG_PASSWORD}
    )
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["mfa_required"] is False
    tokens = data["tokens"]
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.json()["data"]["email"] == "duck.owner@example.org"
    async with app.state.db.sessionmaker() as s:
        stored = await s.scalar(select(User).where(User.email == "duck.owner@example.org"))
        assert stored is not None and stored.password_hash and stored.password_hash.startswith("$argon2")
        actions = set(
            (await s.scalars(select(AuditEvent.action).where(AuditEvent.subject_user_id == stored.id))).all()
        )
    assert {"auth.register", "auth.login"} <= actions


async def test_duplicate_email_conflict(client: httpx.AsyncClient, user: Account) -> None:
    r = await client.post("/api/v1/auth/register", json={"email": user.email, "password": STRONG_PASSWORD})
    assert_error(r, 409, "CONFLICT")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1A!", "too_short"),
        ("password123", "too_common"),
        ("aaaaaaaaaaaa", "too_simple"),
        ("qwertyuiop", "too_common"),
    ],
)
async def test_password_policy(client: httpx.AsyncClient, app: Any, password: str, reason: str) -> None:
    before = await count(app, User)
    r = await client.post("/api/v1/auth/register", json={"email": "policy@example.org", "password": password})
    body = assert_error(r, 422, "VALIDATION_ERROR")
    assert body["error"]["details"]["reason"] == reason
    assert password not in r.text
    assert await count(app, User) == before


async def test_wrong_password_is_401_and_recorded(client: httpx.AsyncClient, app: Any, user: Account) -> None:
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": "Wrong-password-99"})
    assert_error(r, 401, "UNAUTHORIZED")
    assert await count(app, LoginAttempt, LoginAttempt.succeeded.is_(False)) >= 1


async def test_login_backoff(make_settings, make_user) -> None:
    application = create_app(make_settings(login_backoff_threshold=3, login_backoff_max_seconds=60))
    async with application.router.lifespan_context(application), make_client(application) as c:
        email = "backoff@example.org"
        r = await c.post("/api/v1/auth/register", json={"email": email, "password": STRONG_PASSWORD})
        assert r.status_code in (201, 409)
        for _ in range(3):
            r = await c.post("/api/v1/auth/login", json={"email": email, "password": "Nope-nope-nope-1"})
            assert r.status_code == 401
        r = await c.post("/api/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD})
        body = assert_error(r, 429, "RATE_LIMIT_EXCEEDED")
        assert body["error"]["details"]["reason"] == "login_backoff"
        assert int(r.headers["retry-after"]) >= 1
        # unknown e-mails back off the same way (no account enumeration by timing of refusals)
        for _ in range(3):
            await c.post(
                "/api/v1/auth/login", json={"email": "ghost@example.org", "password": "Nope-nope-nope-1"}
            )
        r = await c.post(
            "/api/v1/auth/login", json={"email": "ghost@example.org", "password": "Nope-nope-nope-1"}
        )
        assert r.status_code == 429


async def test_refresh_rotates(client: httpx.AsyncClient, guest: Account) -> None:
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": guest.refresh_token})
    assert r.status_code == 200, r.text
    new = r.json()["data"]
    assert new["refresh_token"] != guest.refresh_token
    assert new["session_id"] == guest.session_id
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert r.status_code == 200
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]})
    assert r.status_code == 200


async def test_refresh_token_stored_hashed(app: Any, guest: Account) -> None:
    async with app.state.db.sessionmaker() as s:
        hashes = (await s.scalars(select(RefreshToken.token_hash))).all()
    assert guest.refresh_token not in hashes
    assert all(len(h) == 64 for h in hashes)


async def test_reused_refresh_token_revokes_family(
    client: httpx.AsyncClient, app: Any, guest: Account
) -> None:
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": guest.refresh_token})
    assert first.status_code == 200
    rotated = first.json()["data"]
    # the old token again: theft suspected -> family revoked
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": guest.refresh_token})
    body = assert_error(r, 401, "UNAUTHORIZED")
    assert body["error"]["details"]["reason"] == "refresh_token_reused"
    # the legitimate newer token is dead too, and so are access tokens of that session
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert_error(r, 401, "UNAUTHORIZED")
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {rotated['access_token']}"})
    assert_error(r, 401, "UNAUTHORIZED")
    async with app.state.db.sessionmaker() as s:
        fam = await s.get(AuthSession, guest.session_id)
        assert fam is not None and fam.revoked_at is not None and fam.revoke_reason == "refresh_reuse"
        audit = await s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "auth.refresh_reuse", AuditEvent.subject_user_id == guest.user_id)
        )
        assert audit == 1


async def test_unknown_refresh_token_writes_nothing(client: httpx.AsyncClient, app: Any) -> None:
    before = (await count(app, AuditEvent), await count(app, RefreshToken), await count(app, AuthSession))
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 43})
    assert_error(r, 401, "UNAUTHORIZED")
    assert (
        await count(app, AuditEvent),
        await count(app, RefreshToken),
        await count(app, AuthSession),
    ) == before


async def test_expired_refresh_token(client: httpx.AsyncClient, app: Any, guest: Account) -> None:
    async with app.state.db.sessionmaker() as s:
        tok = await s.scalar(select(RefreshToken).where(RefreshToken.family_id == guest.session_id))
        assert tok is not None
        tok.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        await s.commit()
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": guest.refresh_token})
    body = assert_error(r, 401, "UNAUTHORIZED")
    assert body["error"]["details"]["reason"] == "refresh_token_expired"


async def test_expired_access_token(client: httpx.AsyncClient, settings, guest: Account) -> None:
    token, _ = create_token(settings, user_id=guest.user_id, session_id=guest.session_id, ttl=-60)
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert_error(r, 401, "TOKEN_EXPIRED")


async def test_tampered_access_token(
    client: httpx.AsyncClient, settings, guest: Account, user: Account
) -> None:
    # swap the subject but keep the signature
    header, _payload, sig = guest.access_token.split(".")
    other_payload = user.access_token.split(".")[1]
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {header}.{other_payload}.{sig}"})
    assert_error(r, 401, "UNAUTHORIZED")
    # signed with another key
    forged = jwt.encode(
        {"sub": guest.user_id, "sid": guest.session_id, "typ": "access", "iat": 0, "exp": 4_000_000_000},
        "another-key-" + "y" * 40,
        algorithm="HS256",
    )
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401, "UNAUTHORIZED"
    )
    # alg=none
    unsigned = jwt.encode({"sub": guest.user_id}, key=None, algorithm="none")
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {unsigned}"}), 401, "UNAUTHORIZED"
    )
    # an MFA challenge token is not an access token
    mfa, _ = create_token(settings, user_id=guest.user_id, session_id="mfa", token_type="mfa")
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {mfa}"}), 401, "UNAUTHORIZED"
    )


async def test_logout_revokes_only_this_session(client: httpx.AsyncClient, user: Account) -> None:
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": user.password})
    other = r.json()["data"]["tokens"]
    r = await client.post("/api/v1/auth/logout", headers=user.headers)
    assert r.status_code == 200 and r.json()["data"]["revoked"] == 1
    assert_error(await client.get("/api/v1/me", headers=user.headers), 401, "UNAUTHORIZED")
    assert_error(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}),
        401,
        "UNAUTHORIZED",
    )
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {other['access_token']}"})
    assert r.status_code == 200


async def test_sessions_list_and_logout_everywhere(client: httpx.AsyncClient, user: Account) -> None:
    r = await client.post(
        "/api/v1/auth/login",
        json={"email": user.email, "password": user.password},
        headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"},
    )
    second = r.json()["data"]["tokens"]
    r = await client.get("/api/v1/auth/sessions", headers=user.headers)
    items = r.json()["data"]
    assert len(items) == 2
    assert sum(1 for i in items if i["current"]) == 1
    assert "Firefox on Linux" in {i["user_agent"] for i in items}
    assert all(i["ip_prefix"] in (None, "127.0.0.0/24") for i in items)
    # revoke the other one explicitly
    r = await client.delete(f"/api/v1/auth/sessions/{second['session_id']}", headers=user.headers)
    assert r.status_code == 200
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"}),
        401,
        "UNAUTHORIZED",
    )
    assert_error(await client.delete("/api/v1/auth/sessions/nope", headers=user.headers), 404, "NOT_FOUND")
    r = await client.post("/api/v1/auth/logout-all", headers=user.headers)
    assert r.status_code == 200
    assert_error(await client.get("/api/v1/me", headers=user.headers), 401, "UNAUTHORIZED")


async def test_guest_upgrade_keeps_history(client: httpx.AsyncClient, app: Any, guest: Account) -> None:
    async with app.state.db.sessionmaker() as s:
        cs = ChatSession(user_id=guest.user_id, title="第一次聊天")
        s.add(cs)
        await s.flush()
        s.add(Message(session_id=cs.id, user_id=guest.user_id, role="user", text="今天有点累"))
        await s.commit()
    r = await client.post(
        "/api/v1/auth/upgrade",
        json={"email": "upgraded@example.org", "password": STRONG_PASSWORD, "display_name": "鸭友"},
        headers=guest.headers,
    )
    assert r.status_code == 200, r.text
    out = r.json()["data"]
    assert out["id"] == guest.user_id and out["is_guest"] is False
    # same tokens keep working, and the password now logs in to the same user with the same history
    assert (await client.get("/api/v1/me", headers=guest.headers)).status_code == 200
    r = await client.post(
        "/api/v1/auth/login", json={"email": "upgraded@example.org", "password": STRONG_PASSWORD}
    )
    assert r.json()["data"]["tokens"]["user"]["id"] == guest.user_id
    assert await count(app, Message, Message.user_id == guest.user_id) == 1
    # a second upgrade is a conflict
    r = await client.post(
        "/api/v1/auth/upgrade",
        json={"email": "again@example.org", "password": STRONG_PASSWORD},
        headers=guest.headers,
    )
    assert_error(r, 409, "CONFLICT")


async def test_upgrade_to_taken_email_conflict(
    client: httpx.AsyncClient, guest: Account, user: Account
) -> None:
    r = await client.post(
        "/api/v1/auth/upgrade", json={"email": user.email, "password": STRONG_PASSWORD}, headers=guest.headers
    )
    assert_error(r, 409, "CONFLICT")


async def test_change_password_signs_out_other_devices(client: httpx.AsyncClient, user: Account) -> None:
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": user.password})
    other = r.json()["data"]["tokens"]
    new_password = "Another-Pond-Morning-7"
    r = await client.post(
        "/api/v1/auth/password",
        json={"current_password": user.password, "new_password": new_password},
        headers=user.headers,
    )
    assert r.status_code == 200, r.text
    assert (await client.get("/api/v1/me", headers=user.headers)).status_code == 200
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {other['access_token']}"}),
        401,
        "UNAUTHORIZED",
    )
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": new_password})
    assert r.status_code == 200


async def test_profile_update(client: httpx.AsyncClient, guest: Account) -> None:
    r = await client.patch(
        "/api/v1/me", json={"display_name": "小黄鸭", "locale": "en-US"}, headers=guest.headers
    )
    assert r.status_code == 200
    assert r.json()["data"]["locale"] == "en-US"
    assert_error(
        await client.patch("/api/v1/me", json={"locale": "klingon"}, headers=guest.headers),
        422,
        "VALIDATION_ERROR",
    )
