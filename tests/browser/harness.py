"""What the browser tests share (tests/browser, and tests/lab/test_41_web.py through the load balancer):
Debian's Chromium and its flags, and a watch on a page's console errors and CSP violations."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import ConsoleMessage, Page

CHROMIUM = os.environ.get("DUCK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__duckReportCsp({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                          line: e.lineNumber, sample: e.sample});
});
"""


@dataclass
class Watch:
    """Console errors, uncaught exceptions and CSP violations of one page."""

    errors: list[str] = field(default_factory=list)
    csp: list[dict[str, Any]] = field(default_factory=list)
    #: console "Failed to load resource" errors of these URL fragments are expected (a documented skip)
    expected_failures: list[str] = field(default_factory=list)

    def on_console(self, msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if "Failed to load resource" in msg.text and any(f in url for f in self.expected_failures):
            return
        self.errors.append(f"{msg.text} ({url})")

    def attach(self, page: Page) -> None:
        """Record the page's console errors, uncaught exceptions and CSP violations from now on."""
        page.expose_function("__duckReportCsp", lambda v: self.csp.append(v))
        page.add_init_script(CSP_LISTENER)
        page.on("console", self.on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def assert_clean(self) -> None:
        assert not self.csp, f"CSP violations: {self.csp}"
        assert not self.errors, f"console errors: {self.errors}"
