"""`make audit-deps`' verdict on pip-audit's report: a known vulnerability fails, an unaudited package
fails only in strict mode, an ignore line needs a reason."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_deps.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audit = _load()

VULNERABLE = {
    "name": "requests",
    "version": "2.31.0",
    "vulns": [
        {
            "id": "GHSA-9wx4-h78v-vm56",
            "aliases": ["CVE-2024-35195"],
            "fix_versions": ["2.32.0"],
            "description": "Session verify=False persists for the connection pool.\nmore",
        }
    ],
}
CLEAN = {"name": "jinja2", "version": "3.1.6", "vulns": []}
SKIPPED = {"name": "pyyaml", "skip_reason": "Dependency not found on PyPI and could not be audited: pyyaml"}


def test_a_known_vulnerability_fails_and_is_printed() -> None:
    status, lines = audit.verdict({"dependencies": [VULNERABLE, CLEAN]}, strict=False)
    assert status == 1
    assert lines[0] == ("VULNERABLE requests==2.31.0: GHSA-9wx4-h78v-vm56 (CVE-2024-35195) fixed in: 2.32.0")
    assert "verify=False" in lines[1]
    assert lines[-1].startswith("audit: 2 locked packages, 2 checked, 1 known vulnerabilities")


def test_clean_passes() -> None:
    status, lines = audit.verdict({"dependencies": [CLEAN]}, strict=True)
    assert status == 0
    assert lines == ["audit: 1 locked packages, 1 checked, 0 known vulnerabilities, 0 not audited"]


def test_unaudited_is_reported_and_fails_only_when_strict() -> None:
    report = {"dependencies": [CLEAN, SKIPPED]}
    status, lines = audit.verdict(report, strict=False)
    assert status == 0
    assert lines[0].startswith("NOT AUDITED 1 of 2 packages") and lines[0].endswith(": pyyaml")
    strict_status, strict_lines = audit.verdict(report, strict=True)
    assert strict_status == 1
    assert strict_lines[-1].endswith("(strict: fails)")


def test_ignore_lines_need_a_reason(tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("# comment\n\nGHSA-9wx4-h78v-vm56 only in the test group, never deployed\n")
    assert audit.read_ignores(good) == ["GHSA-9wx4-h78v-vm56"]
    bad = tmp_path / "bad.txt"
    bad.write_text("PYSEC-2024-1\n")
    with pytest.raises(SystemExit, match=r"bad.txt:1: give the reason for ignoring PYSEC-2024-1"):
        audit.read_ignores(bad)


def test_the_shipped_ignore_file_is_valid() -> None:
    audit.read_ignores(SCRIPT.with_name("pip-audit-ignore.txt"))
