"""The 心理鸭 web client in headless Chromium, as a person would use it (issue 15 items 1-2).

A guest starts in one tap and sees the reply stream in; a crisis message shows the banner with the locale's
hotlines as tel: links; conversations are listed, renamed and deleted, and a reload keeps them; the mood
chart, export and delete work; the page is usable at phone width. Every test also asserts zero console
errors and zero Content-Security-Policy violations.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from app.web.router import CSP
from tests.browser.conftest import screenshot

STRESS = "今天工作压力好大，晚上一直睡不着"
CRISIS = "我不想活了，药已经准备好了"

# collects every text the last duck bubble shows while the reply arrives
RECORD_STREAM = """
() => {
  window.__duckFrames = [];
  const log = document.getElementById("chat-log");
  new MutationObserver(() => {
    const b = log.querySelector("li[data-testid=duck-message]:last-child .bubble");
    if (b && !b.querySelector(".typing")) window.__duckFrames.push(b.textContent);
  }).observe(log, {subtree: true, childList: true, characterData: true});
}
"""


def start_as_guest(page: Page, server: str) -> None:
    response = page.goto(f"{server}/")
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == CSP
    page.get_by_test_id("start-guest").click()
    expect(page.get_by_test_id("message-input")).to_be_focused()


def send(page: Page, text: str, *, with_enter: bool = False) -> None:
    before = page.get_by_test_id("duck-message").count()
    box = page.get_by_test_id("message-input")
    box.fill(text)
    if with_enter:
        box.press("Enter")
    else:
        page.get_by_test_id("send").click()
    # the reply is finished when it carries its stored id
    expect(page.locator("[data-testid=duck-message][data-id]")).to_have_count(before + 1, timeout=60_000)


def endpoint_missing(server: str, method: str, path: str) -> bool:
    """sessapi's endpoints may not be merged yet: 404/405 unauthenticated means the route is not there."""
    return httpx.request(method, f"{server}{path}", timeout=10).status_code in (404, 405)


def test_guest_chats_and_sees_the_reply_stream_in(page: Page, server: str) -> None:
    if endpoint_missing(server, "GET", "/api/v1/chat/sessions"):
        page.watch.expected_failures.append("/api/v1/chat/sessions?")  # type: ignore[attr-defined]
    start_as_guest(page, server)
    page.evaluate(RECORD_STREAM)
    with page.expect_response(re.compile(r"/api/v1/chat/messages/stream$")) as resp:
        send(page, STRESS)
    stream = resp.value
    assert stream.status == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert re.fullmatch(r"[A-Za-z0-9_-]{8,128}", stream.request.headers["idempotency-key"])

    expect(page.get_by_test_id("user-message").last).to_contain_text(STRESS)
    reply = page.get_by_test_id("duck-message").last
    final = reply.locator(".bubble").inner_text()
    assert len(final) > 20
    frames = [f for f in page.evaluate("window.__duckFrames") if f]
    partial = {f for f in frames if f != final and final.startswith(f)}
    assert partial, f"the reply appeared at once, not streamed in pieces: {frames[:5]}"
    # the duck's panel/animation and the exercise card came with it; screen readers get the whole reply
    expect(reply.locator("img.panel")).to_be_visible()
    expect(reply.get_by_test_id("tip-card")).to_be_visible()
    expect(reply.get_by_test_id("tip-card").locator("ol li").first).to_be_visible()
    expect(page.locator("#announcer")).to_contain_text(final[:20])
    expect(page.get_by_test_id("crisis-banner")).to_be_hidden()
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)"), (
        "an image of the page did not load"
    )
    screenshot(page, "chat")

    # a reload keeps the conversation (tokens and the open conversation survive; history from the API)
    page.reload()
    expect(page.get_by_test_id("user-message").first).to_contain_text(STRESS)
    expect(page.get_by_test_id("duck-message").first).to_contain_text(final[:20])
    page.watch.assert_clean()  # type: ignore[attr-defined]


def test_crisis_message_shows_the_banner_with_hotlines(page: Page, server: str) -> None:
    if endpoint_missing(server, "GET", "/api/v1/chat/sessions"):
        page.watch.expected_failures.append("/api/v1/chat/sessions?")  # type: ignore[attr-defined]
    start_as_guest(page, server)
    banner = page.get_by_test_id("crisis-banner")
    expect(banner).to_be_hidden()
    send(page, CRISIS, with_enter=True)
    expect(banner).to_be_visible()
    assert banner.get_attribute("role") == "alert"
    hrefs = banner.locator("a[href^='tel:']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "tel:12356" in hrefs, hrefs  # the national psychological assistance line (zh-CN)
    assert "tel:4001619995" in hrefs, hrefs
    assert all(re.fullmatch(r"tel:\+?[0-9]+", h) for h in hrefs), hrefs
    expect(page.get_by_test_id("duck-message").last).to_contain_text("12356")
    screenshot(page, "crisis")
    page.watch.assert_clean()  # type: ignore[attr-defined]


def test_english_switch_and_english_crisis_lines(page: Page, server: str) -> None:
    if endpoint_missing(server, "GET", "/api/v1/chat/sessions"):
        page.watch.expected_failures.append("/api/v1/chat/sessions?")  # type: ignore[attr-defined]
    page.goto(f"{server}/")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("start-guest")).to_have_text("Start chatting now")
    page.get_by_test_id("start-guest").click()
    expect(page.get_by_test_id("send")).to_have_text("Send")
    send(page, "I want to kill myself tonight, I have the pills ready")
    banner = page.get_by_test_id("crisis-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Your safety matters most")
    hrefs = banner.locator("a[href^='tel:']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "tel:988" in hrefs, hrefs
    # the choice survives a reload
    page.reload()
    expect(page.get_by_test_id("send")).to_have_text("Send")
    page.watch.assert_clean()  # type: ignore[attr-defined]


def test_conversations_rename_delete_and_reload(page: Page, server: str) -> None:
    if endpoint_missing(server, "GET", "/api/v1/chat/sessions"):
        pytest.skip("GET /api/v1/chat/sessions is 404/405: the conversation list (sessapi) is not merged")
    start_as_guest(page, server)
    items = page.get_by_test_id("session-list").locator("li.session-item")
    send(page, STRESS)
    expect(items).to_have_count(1)
    page.get_by_test_id("new-session").click()
    expect(page.get_by_test_id("user-message")).to_have_count(0)
    send(page, "谢谢你陪我聊天", with_enter=True)
    expect(items).to_have_count(2)
    screenshot(page, "conversations")

    page.reload()
    expect(items).to_have_count(2)

    if endpoint_missing(server, "PATCH", "/api/v1/chat/sessions/00000000-0000-0000-0000-000000000000"):
        pytest.skip("PATCH /api/v1/chat/sessions/{id} answers 404/405: rename (sessapi) is not merged")
    first = items.first
    first.get_by_test_id("session-rename").click()
    title = page.get_by_test_id("session-title-input")
    expect(title).to_be_focused()
    title.fill("睡前的小烦恼")
    title.press("Enter")
    expect(items.filter(has_text="睡前的小烦恼")).to_have_count(1)
    page.reload()
    expect(items.filter(has_text="睡前的小烦恼")).to_have_count(1)

    if endpoint_missing(server, "DELETE", "/api/v1/chat/sessions/00000000-0000-0000-0000-000000000000"):
        pytest.skip("DELETE /api/v1/chat/sessions/{id} answers 404/405: delete (sessapi) is not merged")
    renamed = items.filter(has_text="睡前的小烦恼")
    renamed.get_by_test_id("session-delete").click()
    renamed.get_by_test_id("session-delete-confirm").click()
    expect(items).to_have_count(1)
    expect(items.filter(has_text="睡前的小烦恼")).to_have_count(0)
    page.reload()
    expect(items).to_have_count(1)
    # the remaining conversation still opens with its messages
    items.first.locator(".session-open").click()
    expect(page.get_by_test_id("user-message").first).to_be_visible()
    page.watch.assert_clean()  # type: ignore[attr-defined]


def test_mood_chart_export_and_delete_my_data(page: Page, server: str, tmp_path: Path) -> None:
    if endpoint_missing(server, "GET", "/api/v1/chat/sessions"):
        page.watch.expected_failures.append("/api/v1/chat/sessions?")  # type: ignore[attr-defined]
    start_as_guest(page, server)
    send(page, STRESS)
    send(page, "和朋友出去走了走，心情好多了")

    page.get_by_role("button", name="心情").click()
    chart = page.get_by_test_id("mood-chart")
    expect(chart.locator("svg.mood-svg circle")).to_have_count(1)  # one day with entries: today
    expect(chart.locator("svg.dist-svg rect").first).to_be_visible()
    expect(page.get_by_test_id("daily-report")).to_contain_text("2")
    expect(page.get_by_test_id("weekly-report")).not_to_be_empty()
    page.get_by_role("button", name="最近一个月").click()
    expect(page.get_by_role("button", name="最近一个月")).to_have_attribute("aria-pressed", "true")
    expect(chart.locator("svg.mood-svg circle")).to_have_count(1)
    screenshot(page, "mood", full_page=True)

    page.get_by_role("button", name="我的").click()
    expect(page.locator("#card-upgrade")).to_be_visible()
    screenshot(page, "account", full_page=True)
    with page.expect_download() as dl:
        page.get_by_test_id("export").click()
    exported = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert STRESS in json.dumps(exported, ensure_ascii=False)

    page.locator("#del-confirm").check()
    page.get_by_role("button", name="永久删除").click()
    expect(page.get_by_test_id("start-guest")).to_be_visible()
    expect(page.locator("#notice")).to_contain_text("已删除")
    assert page.evaluate("localStorage.getItem('duck.tokens')") is None
    page.watch.assert_clean()  # type: ignore[attr-defined]


def test_phone_width_and_reduced_motion(page: Page, server: str) -> None:
    if endpoint_missing(server, "GET", "/api/v1/chat/sessions"):
        page.watch.expected_failures.append("/api/v1/chat/sessions?")  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(reduced_motion="reduce")
    start_as_guest(page, server)
    send(page, STRESS)
    reply = page.get_by_test_id("duck-message").last
    # no animation starts by itself: the duck's animation waits behind a button
    expect(reply.locator("img.video")).to_have_count(0)
    play = reply.get_by_role("button", name=re.compile("播放小动画"))
    expect(play).to_be_visible()
    play.click()
    expect(reply.locator("img.video")).to_be_visible()
    # nothing wider than the phone; the composer stays reachable
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    expect(page.get_by_test_id("send")).to_be_in_viewport()
    screenshot(page, "phone")
    page.watch.assert_clean()  # type: ignore[attr-defined]
