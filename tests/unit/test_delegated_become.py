"""Every task delegated to the controller runs without become: under Mitogen (ansible.cfg's strategy) the
inventory's ``ansible_become: true`` wins over a task's ``become: false`` and the controller has no sudo, so
such a task needs ``vars: {ansible_become: false}`` (docs/lab.md, "Converge speed")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
NESTED = ("block", "rescue", "always", "tasks", "pre_tasks", "post_tasks", "handlers")


def tasks_in(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from tasks_in(item)
    elif isinstance(node, dict):
        yield node
        for key in NESTED:
            yield from tasks_in(node.get(key))


def delegated_tasks() -> Iterator[tuple[str, dict[str, Any]]]:
    files = [
        *REPO.glob("roles/*/tasks/*.yml"),
        *REPO.glob("roles/*/handlers/*.yml"),
        *(REPO / "playbooks").rglob("*.yml"),
    ]
    for f in sorted(files):
        for task in tasks_in(yaml.safe_load(f.read_text(encoding="utf-8"))):
            if task.get("delegate_to") in ("localhost", "127.0.0.1"):
                yield f"{f.relative_to(REPO)}: {task.get('name', '?')}", task


def test_there_are_delegated_tasks_to_check() -> None:
    assert len(list(delegated_tasks())) >= 5


def test_every_task_delegated_to_the_controller_turns_become_off() -> None:
    missing = [
        where
        for where, task in delegated_tasks()
        if (task.get("vars") or {}).get("ansible_become") is not False
    ]
    assert not missing, missing
