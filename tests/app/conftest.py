"""Fixtures for the API tests.

Backends (``DUCK_TEST_BACKEND``):
* ``sqlite`` (default): a migrated SQLite file per test module, in-process rate limits, no Redis.
* ``services``: a real PostgreSQL 15 (initdb in a temp dir, loopback, random port) and a redis-server
  (loopback, random port), both started once per session; each test module gets a fresh database
  cloned from a migrated template and a flushed Redis.

Fixtures: ``settings`` / ``make_settings(**overrides)``, ``app``, ``client`` (httpx.AsyncClient over
ASGITransport), ``guest`` / ``user`` (an ``Account`` with ``.headers``), ``make_guest()`` /
``make_user()`` factories, ``db_session`` (an AsyncSession on the module's database), ``backend``.
Async tests need no marker: every ``async def test_*`` here runs under anyio/asyncio.
"""

from __future__ import annotations

import inspect
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
from cryptography.fernet import Fernet

from app.core import migrate
from app.core.config import Settings
from app.main import create_app

BACKEND = os.environ.get("DUCK_TEST_BACKEND", "sqlite")
PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_BIN = shutil.which("redis-server") or "/usr/bin/redis-server"
TEST_SECRET = "test-only-" + "x" * 40
TEST_KEY = Fernet.generate_key().decode()
GENEROUS_LIMITS = ",".join(
    f"{n}=100000/minute" for n in ("chat", "emotions", "content", "reports", "therapy", "auth", "privacy")
)
STRONG_PASSWORD = "Duck-pond-Sunrise-42"

os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")
os.environ.setdefault("CREWAI_DISABLE_VERSION_CHECK", "true")


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: Any, name: str, obj: object) -> None:
    """Every ``async def test_*`` under tests/app runs on anyio (asyncio) without a marker."""
    if collector.istestfunction(obj, name) and inspect.iscoroutinefunction(obj):
        pytest.mark.anyio(obj)


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def _migrate(settings: Settings) -> None:
    migrate.upgrade(settings)


def _base_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "secret_key": TEST_SECRET,
        "encryption_keys": TEST_KEY,
        "rate_limits": GENEROUS_LIMITS,
        "log_level": "WARNING",
        "database_pool_size": 5,
        "database_max_overflow": 5,
        # cheap argon2 for tests (production: m=19 MiB, t=2)
        "password_hash_time_cost": 1,
        "password_hash_memory_kib": 1024,
    }
    values.update(overrides)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Services:
    kind: str
    tmp: Path
    pg_port: int | None = None
    redis_port: int | None = None
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    counter: int = 0

    @property
    def redis_url(self) -> str | None:
        return f"redis://127.0.0.1:{self.redis_port}/0" if self.redis_port else None

    def pg_url(self, db: str) -> str:
        return f"postgresql+psycopg://duck:duck@127.0.0.1:{self.pg_port}/{db}"

    def new_database_url(self) -> str:
        self.counter += 1
        if self.kind == "sqlite":
            target = self.tmp / f"module{self.counter}.db"
            shutil.copyfile(self.tmp / "template.db", target)
            return f"sqlite+aiosqlite:///{target}"
        name = f"duck_m{self.counter}"
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE duck_template')
        return self.pg_url(name)

    def psql(self, sql: str, db: str = "postgres") -> None:
        with psycopg.connect(
            host="127.0.0.1", port=self.pg_port, user="duck", password="duck", dbname=db, autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def flush_redis(self) -> None:
        if self.redis_port:
            r = redis.Redis(host="127.0.0.1", port=self.redis_port)
            r.flushall()
            r.close()


def _as_postgres_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    user = "postgres" if _user_exists("postgres") else "nobody"
    return ["runuser", "-u", user, "--"]


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _start_postgres(svc: Services) -> None:
    if not (PG_BIN / "initdb").exists():
        pytest.exit("DUCK_TEST_BACKEND=services needs PostgreSQL 15 (apt-get install postgresql-15)", 2)
    data = svc.tmp / "pgdata"
    sock = svc.tmp / "pgsock"
    sock.mkdir()
    pwfile = svc.tmp / "pgpw"
    pwfile.write_text("duck\n")
    prefix = _as_postgres_user()
    if prefix:
        owner = pwd.getpwnam(prefix[2])
        for p in (svc.tmp, sock, pwfile):
            os.chown(p, owner.pw_uid, owner.pw_gid)
    subprocess.run(
        [
            *prefix,
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "duck",
            "--pwfile",
            str(pwfile),
            "-A",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    svc.pg_port = _free_port()
    proc = subprocess.Popen(
        [
            *prefix,
            str(PG_BIN / "postgres"),
            "-D",
            str(data),
            "-p",
            str(svc.pg_port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={sock}",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=200",
            "-c",
            "shared_buffers=64MB",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(svc.tmp / "postgres.log", "wb"),  # noqa: SIM115
    )
    svc.procs.append(proc)
    _wait_port(svc.pg_port)
    deadline = time.monotonic() + 20
    while True:
        try:
            svc.psql("SELECT 1")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    svc.psql("CREATE DATABASE duck_template")


def _start_redis(svc: Services) -> None:
    svc.redis_port = _free_port()
    proc = subprocess.Popen(
        [
            REDIS_BIN,
            "--bind",
            "127.0.0.1",
            "--port",
            str(svc.redis_port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(svc.tmp),
            "--protected-mode",
            "yes",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    svc.procs.append(proc)
    _wait_port(svc.redis_port)


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    tmp = Path(tempfile.mkdtemp(prefix="duck-test-"))
    os.chmod(tmp, 0o755)
    svc = Services(kind="services" if BACKEND == "services" else "sqlite", tmp=tmp)
    try:
        if svc.kind == "services":
            _start_postgres(svc)
            _start_redis(svc)
            _migrate(_base_settings(database_url=svc.pg_url("duck_template")))
        else:
            _migrate(_base_settings(database_url=f"sqlite+aiosqlite:///{tmp / 'template.db'}"))
        yield svc
    finally:
        for proc in reversed(svc.procs):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def backend(services: Services) -> str:
    return services.kind


@pytest.fixture(scope="module")
def database_url(services: Services) -> str:
    services.flush_redis()
    return services.new_database_url()


@pytest.fixture(scope="module")
def make_settings(services: Services, database_url: str) -> Callable[..., Settings]:
    """Settings for this module's database (and Redis with the services backend) plus overrides."""

    def factory(**overrides: Any) -> Settings:
        base: dict[str, Any] = {"database_url": database_url, "redis_url": services.redis_url}
        base.update(overrides)
        return _base_settings(**base)

    return factory


@pytest.fixture(scope="module")
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture(scope="module")
async def app(settings: Settings) -> AsyncIterator[Any]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def make_client(application: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False, client=("127.0.0.1", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(app) as c:
        yield c


@pytest.fixture
async def db_session(app: Any) -> AsyncIterator[Any]:
    async with app.state.db.sessionmaker() as session:
        yield session


@dataclass
class Account:
    user_id: str
    access_token: str
    refresh_token: str
    session_id: str
    email: str | None = None
    password: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def _account(data: dict[str, Any], email: str | None = None, password: str | None = None) -> Account:
    return Account(
        user_id=data["user"]["id"],
        access_token=data["access_token"],
        refresh_token=data["refresh_token"],
        session_id=data["session_id"],
        email=email,
        password=password,
    )


@pytest.fixture
def make_guest(client: httpx.AsyncClient) -> Callable[[], Awaitable[Account]]:
    async def factory() -> Account:
        r = await client.post("/api/v1/auth/guest", json={})
        assert r.status_code == 201, r.text
        return _account(r.json()["data"])

    return factory


@pytest.fixture
def make_user(client: httpx.AsyncClient) -> Callable[..., Awaitable[Account]]:
    async def factory(email: str | None = None, password: str = STRONG_PASSWORD) -> Account:
        email = email or f"duck-{uuid.uuid4().hex[:10]}@example.org"
        r = await client.post("/api/v1/auth/register", json={"email": email, "password": password})
        assert r.status_code == 201, r.text
        return _account(r.json()["data"], email, password)

    return factory


@pytest.fixture
async def guest(make_guest: Callable[[], Awaitable[Account]]) -> Account:
    return await make_guest()


@pytest.fixture
async def user(make_user: Callable[..., Awaitable[Account]]) -> Account:
    return await make_user()


def pytest_report_header(config: pytest.Config) -> str:
    return f"duck app tests: backend={BACKEND} python={sys.version.split()[0]}"
