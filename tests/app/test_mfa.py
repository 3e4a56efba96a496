"""TOTP MFA: enrol, confirm, login with a second factor, recovery codes, disable."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pyotp
from sqlalchemy import select, text

from app.auth.models import MfaCredential
from app.core.audit import AuditEvent
from tests.app.conftest import Account
from tests.app.test_errors import assert_error


def code_at(secret: str, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + offset_steps * totp.interval)


async def enable_mfa(client: httpx.AsyncClient, user: Account) -> tuple[str, list[str]]:
    r = await client.post("/api/v1/auth/mfa/enroll", headers=user.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["otpauth_uri"].startswith("otpauth://totp/")
    secret = data["secret"]
    r = await client.post("/api/v1/auth/mfa/confirm", json={"code": code_at(secret)}, headers=user.headers)
    assert r.status_code == 200, r.text
    codes = r.json()["data"]["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


async def test_guest_cannot_enrol(client: httpx.AsyncClient, guest: Account) -> None:
    assert_error(await client.post("/api/v1/auth/mfa/enroll", headers=guest.headers), 403, "FORBIDDEN")


async def test_confirm_with_wrong_code(client: httpx.AsyncClient, user: Account) -> None:
    r = await client.post("/api/v1/auth/mfa/enroll", headers=user.headers)
    assert r.status_code == 200
    r = await client.post("/api/v1/auth/mfa/confirm", json={"code": "000000"}, headers=user.headers)
    # a well-formed wrong code is not a malformed request (the OpenAPI document allows "000000")
    assert_error(r, 401, "UNAUTHORIZED")
    assert r.json()["error"]["details"]["reason"] == "bad_mfa_code"
    me = await client.get("/api/v1/me", headers=user.headers)
    assert me.json()["data"]["mfa_enabled"] is False


async def test_secret_encrypted_at_rest(client: httpx.AsyncClient, app: Any, user: Account) -> None:
    secret, _ = await enable_mfa(client, user)
    async with app.state.db.sessionmaker() as s:
        raw = (await s.execute(text("SELECT secret FROM mfa_credentials"))).scalars().all()
        assert raw and all(secret not in r for r in raw)
        cred = await s.scalar(select(MfaCredential).where(MfaCredential.user_id == user.user_id))
        assert cred is not None and cred.secret == secret


async def test_login_with_mfa_two_steps(client: httpx.AsyncClient, app: Any, user: Account) -> None:
    secret, _ = await enable_mfa(client, user)
    assert (await client.get("/api/v1/me", headers=user.headers)).json()["data"]["mfa_enabled"] is True
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": user.password})
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["mfa_required"] is True and data["tokens"] is None
    mfa_token = data["challenge"]["mfa_token"]
    # the challenge token is not an access token
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {mfa_token}"}), 401, "UNAUTHORIZED"
    )
    # wrong code
    r = await client.post("/api/v1/auth/login/mfa", json={"mfa_token": mfa_token, "code": "123456"})
    if code_at(secret) != "123456":
        assert_error(r, 401, "UNAUTHORIZED")
    # the code used at confirmation cannot be replayed; the next step's code works
    r = await client.post("/api/v1/auth/login/mfa", json={"mfa_token": mfa_token, "code": code_at(secret, 1)})
    assert r.status_code == 200, r.text
    tokens = r.json()["data"]
    assert (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    ).status_code == 200
    # replay of the same code is refused
    r = await client.post("/api/v1/auth/login/mfa", json={"mfa_token": mfa_token, "code": code_at(secret, 1)})
    assert_error(r, 401, "UNAUTHORIZED")
    async with app.state.db.sessionmaker() as s:
        actions = (
            await s.scalars(select(AuditEvent.action).where(AuditEvent.subject_user_id == user.user_id))
        ).all()
    assert "mfa.enabled" in actions and "auth.mfa_failed" in actions


async def test_login_with_recovery_code_once(client: httpx.AsyncClient, user: Account) -> None:
    _secret, codes = await enable_mfa(client, user)
    r = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": user.password, "otp_code": codes[0]}
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["tokens"]["access_token"]
    r = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": user.password, "otp_code": codes[0]}
    )
    assert_error(r, 401, "UNAUTHORIZED")
    # upper case and without the dash also works (a person typing it)
    r = await client.post(
        "/api/v1/auth/login",
        json={"email": user.email, "password": user.password, "otp_code": codes[1].replace("-", "").upper()},
    )
    assert r.status_code == 200


async def test_regenerate_and_disable(client: httpx.AsyncClient, user: Account) -> None:
    secret, old_codes = await enable_mfa(client, user)
    r = await client.post(
        "/api/v1/auth/mfa/recovery-codes", json={"code": code_at(secret, 1)}, headers=user.headers
    )
    assert r.status_code == 200
    new_codes = r.json()["data"]["recovery_codes"]
    assert set(new_codes).isdisjoint(old_codes)
    # wrong password
    r = await client.post(
        "/api/v1/auth/mfa/disable",
        json={"password": "Not-the-password-1", "code": new_codes[0]},
        headers=user.headers,
    )
    assert_error(r, 401, "UNAUTHORIZED")
    r = await client.post(
        "/api/v1/auth/mfa/disable",
        json={"password": user.password, "code": new_codes[0]},
        headers=user.headers,
    )
    assert r.status_code == 200, r.text
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": user.password})
    assert r.json()["data"]["mfa_required"] is False
