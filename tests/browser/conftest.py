"""The web client in a real browser: Playwright drives Debian's Chromium (``apt-get install chromium``; no
browser download, never ``playwright install``) against the app started here (uvicorn, development
settings, SQLite in a temp dir, a free loopback port).

Fixtures: ``server`` (base URL of the running app), ``browser_context`` (one headless Chromium per module,
fresh user-data-dir), ``page`` (a new tab on a clean origin, its console and CSP violations recorded in
``page.watch``; call ``page.watch.assert_clean()`` at the end of a test).

``DUCK_WEB_SCREENSHOTS=<dir>`` saves screenshots of the main views there (``make screenshots``: docs/img).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
from playwright.sync_api import BrowserContext, Page, sync_playwright

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, Watch

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = os.environ.get("DUCK_WEB_SCREENSHOTS", "")
GENEROUS_LIMITS = ",".join(
    f"{n}=100000/minute" for n in ("chat", "emotions", "content", "reports", "therapy", "auth", "privacy")
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("web-app")
    port = _free_port()
    env = {
        **os.environ,
        "ENVIRONMENT": "development",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/duck.db",
        "SECRET_KEY": "browser-test-only-" + "k" * 40,
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "RATE_LIMITS": GENEROUS_LIMITS,
        "REDIS_URL": "",
        "DUCK_LLM": "local",
        "LOG_LEVEL": "WARNING",
        "CREWAI_DISABLE_TELEMETRY": "true",
        "CREWAI_TRACING_ENABLED": "false",
        "CREWAI_DISABLE_VERSION_CHECK": "true",
    }
    log = (tmp / "app.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 420
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the app exited with {proc.returncode}: {(tmp / 'app.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not become ready in 420 s: {(tmp / 'app.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} missing: apt-get install chromium chromium-driver (make host-deps)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            locale="zh-CN",
            viewport={"width": 1280, "height": 860},
            accept_downloads=True,
        )
        ctx.set_default_timeout(30_000)
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture
def page(browser_context: BrowserContext, server: str) -> Iterator[Page]:
    watch = Watch()
    pg = browser_context.new_page()
    # a clean origin: no tokens or language choice left by an earlier test (cleared on a page that is not
    # the client, so that nothing of the earlier test's account runs)
    pg.goto(f"{server}/assets/duck.svg")
    pg.evaluate("localStorage.clear()")
    watch.attach(pg)
    pg.watch = watch  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        pg.close()


def screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Save a screenshot of a main view when DUCK_WEB_SCREENSHOTS names a directory."""
    if not SCREENSHOTS:
        return
    out = Path(SCREENSHOTS)
    if not out.is_absolute():
        out = ROOT / out
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=full_page, animations="disabled")
