"""Inventories: each environment has the lab's groups; secrets are vault_* variables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
INVENTORIES = REPO / "inventories"
ENVIRONMENTS = ["dev", "test", "staging", "production"]


def groups(inventory: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}

    def walk(name: str, node: dict[str, Any] | None) -> set[str]:
        node = node or {}
        hosts = set((node.get("hosts") or {}).keys())
        for child, sub in (node.get("children") or {}).items():
            hosts |= walk(child, sub)
        out[name] = out.get(name, set()) | hosts
        return hosts

    walk("all", yaml.safe_load((inventory / "hosts.yml").read_text())["all"])
    return out


def lab_secrets() -> dict[str, Any]:
    return yaml.safe_load((INVENTORIES / "lab/group_vars/all/secrets.yml").read_text()) or {}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_same_groups_as_the_lab(env: str) -> None:
    lab, other = groups(INVENTORIES / "lab"), groups(INVENTORIES / env)
    assert set(other) == set(lab)
    empty = [g for g, hosts in other.items() if not hosts]
    assert not empty, f"{env}: groups without hosts: {empty}"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_secrets_map_to_vault_variables(env: str) -> None:
    gv = INVENTORIES / env / "group_vars/all"
    mapping = yaml.safe_load((gv / "vars.yml").read_text()) or {}
    example = yaml.safe_load((gv / "vault.yml.example").read_text()) or {}
    for name in lab_secrets():
        assert mapping.get(name) == f"{{{{ vault_{name} }}}}", f"{env}: {name} must map to vault_{name}"
    referenced = set(re.findall(r"vault_\w+", (gv / "vars.yml").read_text()))
    assert referenced <= set(example), f"{env}: missing in vault.yml.example: {referenced - set(example)}"
    for key, value in example.items():
        values = value if isinstance(value, list) else [value]
        assert all("CHANGE-ME" in str(v) for v in values), f"{env}: {key} must be a placeholder"


def test_no_vault_file_in_clear() -> None:
    for vault in INVENTORIES.glob("*/group_vars/**/vault.yml"):
        assert vault.read_text().startswith("$ANSIBLE_VAULT;"), f"{vault} is not encrypted"
