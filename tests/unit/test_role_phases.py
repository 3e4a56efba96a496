"""Every phase tag of a role runs its preflight checks first, and its secrets are checked by one shared rule.

`--tags <role>_configure` (or `_install`, `_run`) must never skip the secret and inventory assertions in
`tasks/preflight.yml`, nor a guard placed before them (grafana's `end_role` when it is disabled): both carry
every phase tag the role's `tasks/main.yml` uses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from ansible_local import local_playbook  # tests/unit is on sys.path (no package)

ROLES = Path(__file__).resolve().parents[2] / "roles"
ROLE_DIRS = sorted(p for p in ROLES.iterdir() if (p / "tasks" / "main.yml").is_file())


def _phase_gaps(role: str, tasks: list[dict[str, Any]]) -> list[str]:
    """Tasks up to and including the preflight import that lack one of the role's phase tags."""
    phase = re.compile(rf"^{re.escape(role)}_(install|configure|run)$")
    used = {t for task in tasks for t in task.get("tags", []) if phase.match(t)}
    gaps: list[str] = []
    for task in tasks:
        missing = sorted(used - set(task.get("tags", [])))
        if missing:
            gaps.append(f"{role}: {task.get('name', '?')!r} lacks {missing}")
        if str(task.get("ansible.builtin.import_tasks", "")).startswith("preflight"):
            return gaps
    return [*gaps, f"{role}: tasks/main.yml imports no preflight.yml"]


def test_every_role_is_checked() -> None:
    assert len(ROLE_DIRS) >= 13


@pytest.mark.parametrize("role_dir", ROLE_DIRS, ids=lambda p: p.name)
def test_preflight_runs_under_every_phase_tag(role_dir: Path) -> None:
    tasks = yaml.safe_load((role_dir / "tasks" / "main.yml").read_text(encoding="utf-8"))
    assert _phase_gaps(role_dir.name, tasks) == []


def test_checker_reports_a_preflight_a_phase_would_skip() -> None:
    tasks = [
        {"name": "Preflight", "ansible.builtin.import_tasks": "preflight.yml", "tags": ["r", "r_preflight"]},
        {"name": "Configure", "ansible.builtin.import_tasks": "configure.yml", "tags": ["r", "r_configure"]},
    ]
    assert _phase_gaps("r", tasks) == ["r: 'Preflight' lacks ['r_configure']"]
    assert _phase_gaps("r", tasks[1:]) == ["r: tasks/main.yml imports no preflight.yml"]


# --- secrets: one rule, in common's assert_secrets entry point ---------------------------------------
_OLD_PLACEHOLDER_RULES = re.compile(r"CHANGE\[-_\]\?ME|'CHANGE-ME' not in|\(change\|replace\|placeholder")
ROLES_WITH_SECRETS = {
    "alertmanager",
    "app",
    "exporters",
    "grafana",
    "keepalived",
    "pgbackrest",
    "pki",
    "postgresql",
    "redis",
}


def test_the_placeholder_rule_exists_once() -> None:
    copies = [
        str(path.relative_to(ROLES))
        for path in ROLES.glob("*/tasks/*.yml")
        if _OLD_PLACEHOLDER_RULES.search(path.read_text(encoding="utf-8"))
    ]
    assert copies == [], (
        "use common's tasks_from: assert_secrets instead of a placeholder regex of the role's own"
    )


@pytest.mark.parametrize("role", sorted(ROLES_WITH_SECRETS))
def test_roles_with_secrets_check_them_in_preflight(role: str) -> None:
    preflight = yaml.safe_load((ROLES / role / "tasks" / "preflight.yml").read_text(encoding="utf-8"))
    calls = [
        t
        for t in preflight
        if (t.get("ansible.builtin.include_role") or {}).get("tasks_from") == "assert_secrets"
        and (t.get("ansible.builtin.include_role") or {}).get("name") == "common"
    ]
    assert calls, f"{role}: preflight does not call common's assert_secrets"
    for call in calls:
        names = [s["name"] for s in call["vars"]["common_assert_secrets"]]
        assert names and all(re.fullmatch(r"[a-z][a-z0-9_]+", n) for n in names), names


_SECRET = "Zk3-pQ9_vL2.wX7~aB4"  # a made-up value of the generated kind


def _assert_secrets(tmp_path: Path, secrets: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(
        "all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
        "      ansible_python_interpreter: " + sys.executable + "\n",
        encoding="utf-8",
    )
    playbook = tmp_path / "check.yml"
    playbook.write_text(
        yaml.safe_dump(
            [
                {
                    "name": "Check secrets",
                    "hosts": "localhost",
                    "gather_facts": False,
                    "tasks": [
                        {
                            "name": "Call the entry point",
                            "ansible.builtin.include_role": {
                                "name": "common",
                                "tasks_from": "assert_secrets",
                            },
                            "vars": {"common_assert_secrets_owner": "demo", "common_assert_secrets": secrets},
                        }
                    ],
                }
            ]
        ),
        encoding="utf-8",
    )
    return local_playbook(playbook, inventory)


def test_assert_secrets_passes_generated_secrets_and_names_the_bad_ones(tmp_path: Path) -> None:
    good = _assert_secrets(
        tmp_path,
        [
            {"name": "demo_password", "value": _SECRET, "min_length": 16, "charset": "^[A-Za-z0-9_.~-]+$"},
            {"name": "demo_vrrp", "value": "a1b2c3d4", "min_length": 1, "max_length": 8},
            {"name": "demo_optional", "value": "", "min_length": 0},
        ],
    )
    assert good.returncode == 0, good.stdout[-3000:]
    bad = _assert_secrets(
        tmp_path,
        [
            {"name": "demo_short", "value": "short-secret-value"[:8]},
            {"name": "demo_example", "value": "CHANGE-ME-long-enough-value"},
            {"name": "demo_vrrp", "value": "123456789", "min_length": 1, "max_length": 8},
            {"name": "demo_pem", "value": "x" * 120, "contains": "PRIVATE KEY"},
            {"name": "demo_url", "value": "ftp://example.invalid/hook", "charset": "^https?://"},
            {"name": "demo_fine", "value": _SECRET},
        ],
    )
    out = " ".join(bad.stdout.replace("''", "'").split())  # the callback wraps and quotes long messages
    assert bad.returncode != 0
    for name, why in [
        ("demo_short", "shorter than 12"),
        ("demo_example", "a placeholder"),
        ("demo_vrrp", "longer than 8"),
        ("demo_pem", "no PRIVATE KEY"),
        ("demo_url", "characters outside ^https?://"),
    ]:
        assert f"{name}: {why}" in out, out[-3000:]
    assert "demo_fine" not in out
    for value in ("short-se", "CHANGE-ME-long-enough-value", "123456789", "ftp://example.invalid", _SECRET):
        assert value not in out, f"a secret value reached the output: {value}"
