"""The web client through the load balancer (issue 15): https://<lb>/ is the page nginx ships (not the API's
404 envelope) with the strict CSP, and in headless Chromium a guest chats, sees the reply stream in and a
crisis message shows the banner with tel: hotlines, with zero console errors and CSP violations."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.web.router import CSP
from tests.lab.helpers import Lab, PlaybookResult, figure
from tests.lab.site_client import ca_file, client

SITE = "playbooks/site.yml"
STATIC = Path(__file__).resolve().parents[2] / "app" / "web" / "static"


@pytest.fixture(scope="module")
def site(lab: Lab) -> PlaybookResult:
    if os.environ.get("DUCK_SITE_ASSUME_CONVERGED"):  # development: iterate on a lab already converged
        return PlaybookResult(rc=0, recap={}, duration=0.0, output="", changed_tasks=[])
    return lab.converge(SITE)


@pytest.fixture(scope="module")
def base(lab: Lab, site: PlaybookResult) -> str:
    return f"https://{lab.hosts[lab.group('lb')[0]]}"


@pytest.fixture(scope="module")
def https(lab: Lab, base: str) -> Iterator[httpx.Client]:
    with client(base, ca_file(lab.spec.state_dir)) as c:
        yield c


def test_the_page_is_served_at_the_root_with_the_csp(https: httpx.Client) -> None:
    page = https.get("/")
    assert page.status_code == 200, page.text[:300]
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CSP
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert page.text == (STATIC / "index.html").read_text(encoding="utf-8")  # the release's own file
    js = https.get("/assets/js/main.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert js.text == (STATIC / "assets" / "js" / "main.js").read_text(encoding="utf-8")
    assert https.get("/health").json()["success"] is True  # the API is still behind the same name


def test_a_guest_chats_in_chromium_through_the_lb(base: str) -> None:
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415 - only this test needs it

    from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, Watch  # noqa: PLC0415

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} missing: apt-get install chromium chromium-driver (make host-deps)")
    watch = Watch()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            # the lab CA is not in Chromium's store; TLS itself is test_40_site's test_tls_policy
            ctx = browser.new_context(ignore_https_errors=True, locale="zh-CN")
            page = ctx.new_page()
            watch.attach(page)
            response = page.goto(f"{base}/")
            assert response is not None and response.headers["content-security-policy"] == CSP
            page.get_by_test_id("start-guest").click()
            page.get_by_test_id("message-input").fill("今天工作压力好大，晚上睡不着")
            with page.expect_response(re.compile(r"/api/v1/chat/messages/stream$")) as resp:
                page.get_by_test_id("send").click()
            assert resp.value.headers["content-type"].startswith("text/event-stream")
            done = page.locator("[data-testid=duck-message][data-id]")
            expect(done).to_have_count(1, timeout=90_000)
            reply = done.first.inner_text()
            assert len(reply) > 20
            page.get_by_test_id("message-input").fill("我不想活了，药已经准备好了")
            page.get_by_test_id("send").click()
            expect(done).to_have_count(2, timeout=90_000)
            banner = page.get_by_test_id("crisis-banner")
            expect(banner).to_be_visible()
            links = banner.locator("a[href^='tel:']")
            hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
            assert "tel:12356" in hrefs, hrefs
            page.reload()
            expect(page.get_by_test_id("user-message")).to_have_count(2)
            watch.assert_clean()
            figure("web client through the LB: guest reply", reply[:60])
        finally:
            browser.close()
