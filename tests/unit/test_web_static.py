"""The web client's files: what the strict CSP forbids is not in them, the CSP is the one nginx sends, the
module graph resolves, and the test hooks the issue names are there (issue 15, item 1)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from app.web.router import CSP

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "app" / "web" / "static"
HEADERS_TEMPLATE = ROOT / "roles" / "nginx" / "templates" / "duck-headers.conf.j2"
TEST_IDS = ("message-input", "send", "user-message", "duck-message", "crisis-banner", "session-list")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script = False
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True


def test_the_app_sends_the_csp_of_the_load_balancer() -> None:
    line = next(x for x in HEADERS_TEMPLATE.read_text().splitlines() if "Content-Security-Policy" in x)
    assert line.split('"')[1] == CSP


def test_the_page_has_nothing_the_csp_blocks() -> None:
    parser = _Tags()
    parser.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    assert not parser.inline_script, "inline <script> (script-src 'self' blocks it)"
    for tag, attrs in parser.tags:
        assert "style" not in attrs, f"<{tag} style=...> (style-src 'self' blocks it)"
        handlers = [a for a in attrs if a.startswith("on")]
        assert not handlers, f"<{tag} {handlers}> inline event handler"
        if tag == "style":
            raise AssertionError("<style> element (style-src 'self' blocks it)")
        for attr in ("src", "href"):
            url = attrs.get(attr) or ""
            assert not re.match(r"(https?:)?//", url), f"<{tag} {attr}={url}>: a network dependency"
    scripts = [a for t, a in parser.tags if t == "script"]
    assert scripts
    assert all(a.get("type") == "module" and (a.get("src") or "").startswith("/assets/") for a in scripts)


def test_the_scripts_use_no_eval_inline_styles_or_html_injection() -> None:
    for js in (STATIC / "assets").rglob("*.js"):
        text = js.read_text(encoding="utf-8")
        for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
            assert bad not in text, f"{js.name}: {bad}"
        assert not re.search(r"setAttribute\(\s*[\"']style", text), f"{js.name}: style attribute"
        assert not re.search(r"[\"']https?://(?!www\.w3\.org/2000/svg)", text), f"{js.name}: absolute URL"


def test_every_module_import_resolves() -> None:
    for js in (STATIC / "assets").rglob("*.js"):
        for spec in re.findall(r'from\s+"([^"]+)"', js.read_text(encoding="utf-8")):
            assert spec.startswith("./"), f"{js.name}: bare import {spec} (no build step)"
            assert (js.parent / spec).is_file(), f"{js.name}: {spec} missing"
    for ref in re.findall(r'(?:src|href)="(/assets/[^"]+)"', (STATIC / "index.html").read_text()):
        assert (STATIC / ref.lstrip("/")).is_file(), ref


def test_the_test_hooks_are_there() -> None:
    text = (STATIC / "index.html").read_text() + "".join(
        p.read_text() for p in (STATIC / "assets").rglob("*.js")
    )
    for tid in TEST_IDS:
        assert f'data-testid="{tid}"' in text or f'"{tid}"' in text, tid


def test_the_css_honours_reduced_motion_and_phone_width() -> None:
    css = (STATIC / "assets" / "app.css").read_text()
    assert "@media (prefers-reduced-motion: reduce)" in css
    assert re.search(r"@media \(max-width: \d+px\)", css)
