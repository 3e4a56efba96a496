"""The collections Ansible loads are exactly the versions requirements.yml pins (they come from the `ansible`
PyPI package locked in uv.lock, not from Galaxy)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def installed_collections() -> dict[str, list[str]]:
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"))
    out = subprocess.run(
        [str(REPO / ".venv/bin/ansible-galaxy"), "collection", "list", "--format", "json"],
        cwd=REPO,
        env=env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    found: dict[str, list[str]] = {}
    for collections in json.loads(out).values():
        for name, info in collections.items():
            found.setdefault(name, []).append(info["version"])
    return found


def test_requirements_pins_match_the_installed_collections() -> None:
    pins = {
        c["name"]: str(c["version"])
        for c in yaml.safe_load((REPO / "requirements.yml").read_text())["collections"]
    }
    assert pins, "requirements.yml pins no collection"
    installed = installed_collections()
    mismatches = {
        name: (pin, installed.get(name)) for name, pin in pins.items() if installed.get(name) != [pin]
    }
    assert not mismatches, f"requirements.yml pin vs installed (all paths): {mismatches}"


def test_roles_use_only_pinned_collections() -> None:
    pins = {c["name"] for c in yaml.safe_load((REPO / "requirements.yml").read_text())["collections"]}
    used: set[str] = set()
    for path in [
        *REPO.glob("roles/*/tasks/*.yml"),
        *REPO.glob("roles/*/handlers/*.yml"),
        *REPO.glob("playbooks/**/*.yml"),
    ]:
        for line in path.read_text().splitlines():
            key = line.strip().removeprefix("- ").split(":", 1)[0]
            parts = key.split(".")
            fqcn = len(parts) == 3 and all(p.isidentifier() and p.islower() for p in parts)
            if fqcn and parts[:2] != ["ansible", "builtin"]:
                used.add(".".join(parts[:2]))
    assert used <= pins, (
        f"collections used by roles/playbooks but not pinned in requirements.yml: {used - pins}"
    )
