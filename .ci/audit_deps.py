#!/usr/bin/env python3
"""`make audit-deps`: pip-audit over every locked package, its findings printed, the verdict decided here.

* A known vulnerability in a locked package fails (exit 1), unless its id is in the ignore file with a
  reason (one ``ID reason`` a line; a line without a reason fails too).
* A package the vulnerability service could not answer for is listed as NOT AUDITED. It fails only with
  ``--strict`` (``make audit-deps AUDIT_STRICT=1``): PyPI's per-release JSON API, which pip-audit asks, is
  refused (404) on this project's build network, so every package comes back unaudited there; failing on
  that would keep CI red without finding anything. See docs/app.md, "Dependency audit".
* pip-audit itself failing (PyPI unreachable, bad requirements) fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def read_ignores(path: Path) -> list[str]:
    ids = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"audit: {path}:{n}: give the reason for ignoring {vuln_id} after it")
        ids.append(vuln_id)
    return ids


def verdict(report: dict[str, Any], *, strict: bool) -> tuple[int, list[str]]:
    """Exit status and the lines to print for pip-audit's JSON ``report``."""
    lines: list[str] = []
    deps = report.get("dependencies", [])
    findings = [(d, v) for d in deps for v in d.get("vulns", [])]
    skipped = [d for d in deps if "skip_reason" in d]
    audited = len(deps) - len(skipped)
    for dep, vuln in findings:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
        aliases = ", ".join(vuln.get("aliases") or [])
        lines.append(
            f"VULNERABLE {dep['name']}=={dep['version']}: {vuln['id']} ({aliases}) fixed in: {fixes}"
        )
        description = (vuln.get("description") or "").strip().splitlines()
        if description:
            lines.append(f"    {description[0][:200]}")
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        lines.append(f"NOT AUDITED {len(skipped)} of {len(deps)} packages ({'; '.join(reasons)}): {names}")
    lines.append(
        f"audit: {len(deps)} locked packages, {audited} checked, {len(findings)} known vulnerabilities, "
        f"{len(skipped)} not audited" + (" (strict: fails)" if strict and skipped else "")
    )
    failed = bool(findings) or (strict and bool(skipped))
    return (1 if failed else 0), lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", type=Path, required=True)
    parser.add_argument("--ignore-file", type=Path, required=True)
    parser.add_argument("--pip-audit", default="pip-audit")
    parser.add_argument("--strict", action="store_true", help="fail when a package could not be audited")
    args = parser.parse_args()

    cmd = [args.pip_audit, "--requirement", str(args.requirements), "--no-deps", "--disable-pip"]
    cmd += ["--progress-spinner", "off", "--desc", "on", "--aliases", "on", "--format", "json"]
    for vuln_id in read_ignores(args.ignore_file):
        cmd += ["--ignore-vuln", vuln_id]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603 - our own argv
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(proc.stderr)
        print(f"audit: pip-audit failed (exit {proc.returncode}) without a report", file=sys.stderr)
        return 1
    status, lines = verdict(report, strict=args.strict)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
