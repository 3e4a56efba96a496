"""Every alert rule links to an existing runbook; relative links in the docs resolve; README indexes docs/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RUNBOOKS = ROOT / "docs" / "runbooks"
RULE_TEMPLATES = sorted(ROOT.glob("roles/*/templates/*rules*.j2"))
ALERT_RE = re.compile(r"^\s*- alert: (\S+)\s*$", re.MULTILINE)
LINK_RE = re.compile(r"\]\(([^)\s]+)\)")
BASE_VAR = "prometheus_runbook_base_url"


def _rule_blocks(text: str) -> list[tuple[str, str]]:
    """(alert name, text of its rule up to the next rule) for every alert in a rule template."""
    starts = list(ALERT_RE.finditer(text))
    ends = [m.start() for m in starts[1:]] + [len(text)]
    return [(m.group(1), text[m.start() : end]) for m, end in zip(starts, ends, strict=True)]


ALERTS = [(tpl, name, block) for tpl in RULE_TEMPLATES for name, block in _rule_blocks(tpl.read_text())]


def test_rule_templates_found() -> None:
    assert RULE_TEMPLATES, "no alert rule template under roles/*/templates"
    assert len(ALERTS) >= 10, [a[1] for a in ALERTS]


@pytest.mark.parametrize(("tpl", "name", "block"), ALERTS, ids=[a[1] for a in ALERTS])
def test_alert_has_runbook_url_to_existing_page(tpl: Path, name: str, block: str) -> None:
    urls = re.findall(r"^\s*runbook_url:\s*(.+?)\s*$", block, re.MULTILINE)
    assert len(urls) == 1, f"{tpl.name}: alert {name} needs exactly one runbook_url annotation, found {urls}"
    expected = f'"[[ {BASE_VAR} ]]{name}.md"'
    assert urls[0] == expected, f"{tpl.name}: alert {name}: runbook_url is {urls[0]}, expected {expected}"
    page = RUNBOOKS / f"{name}.md"
    assert page.is_file(), f"alert {name} has no runbook {page.relative_to(ROOT)}"
    text = page.read_text()
    for section in ("## What it means", "## How to confirm", "## How to fix", "## How to escalate"):
        assert section in text, f"{page.name} lacks the section '{section}'"


def test_default_base_url_is_the_runbook_folder() -> None:
    defaults = yaml.safe_load((ROOT / "roles/prometheus/defaults/main.yml").read_text())
    base = defaults[BASE_VAR]
    assert base.endswith("/"), base
    if "://" not in base:
        assert (ROOT / base).resolve() == RUNBOOKS, f"{BASE_VAR}={base} is not docs/runbooks/"


def test_runbook_index_lists_every_page() -> None:
    index = (RUNBOOKS / "README.md").read_text()
    linked = set(LINK_RE.findall(index))
    missing = [p.name for p in RUNBOOKS.glob("*.md") if p.name != "README.md" and p.name not in linked]
    assert not missing, f"docs/runbooks/README.md does not link {missing}"


def _relative_links(md: Path) -> list[str]:
    links = []
    for target in LINK_RE.findall(md.read_text()):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        links.append(target.split("#", 1)[0])
    return [t for t in links if t]


MARKDOWN = [*sorted(RUNBOOKS.glob("*.md")), ROOT / "README.md"]


@pytest.mark.parametrize("md", MARKDOWN, ids=[str(p.relative_to(ROOT)) for p in MARKDOWN])
def test_relative_links_resolve(md: Path) -> None:
    dead = [t for t in _relative_links(md) if not (md.parent / t).exists()]
    assert not dead, f"{md.relative_to(ROOT)} has dead links: {dead}"


def test_readme_links_every_doc() -> None:
    """Every docs/*.md and each docs/ subfolder's README.md (that index links the rest, tested above)."""
    linked = {(ROOT / t).resolve() for t in _relative_links(ROOT / "README.md")}
    docs = sorted((ROOT / "docs").glob("*.md")) + sorted((ROOT / "docs").glob("*/README.md"))
    missing = [str(p.relative_to(ROOT)) for p in docs if p.resolve() not in linked]
    assert not missing, f"README.md does not link these docs: {missing}"
