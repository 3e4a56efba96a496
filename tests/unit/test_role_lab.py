"""Molecule per role (lab/role_lab.py, lab/molecule/): every role has a scenario on real lab hosts."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "lab"))
import labctl  # noqa: E402
import role_lab  # noqa: E402

ROLES = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "tasks").is_dir())
BASE = yaml.safe_load((ROOT / "lab" / "molecule" / "base.yml").read_text())


def scenario(role: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((role_lab.scenario_dir(role) / "molecule.yml").read_text())
    return data


def _playbook(role: str, path: str) -> Path:
    path = path.replace("${DUCK_REPO}", str(ROOT))
    return (role_lab.scenario_dir(role) / path).resolve()


def test_every_role_has_a_scenario() -> None:
    assert ROLES and role_lab.roles_with_scenario() == ROLES


@pytest.mark.parametrize("role", ROLES)
def test_scenario_hosts_and_playbooks_exist(role: str) -> None:
    lab_hosts = {h.name for h in labctl.load_lab(ROOT / "inventories" / "lab").hosts}
    hosts = role_lab.platforms(role)
    assert hosts and set(hosts) <= lab_hosts, set(hosts) - lab_hosts
    playbooks = {**BASE["ansible"]["playbooks"], **scenario(role)["ansible"]["playbooks"]}
    assert {"create", "destroy", "converge", "verify"} <= set(playbooks)
    for name, path in playbooks.items():
        assert _playbook(role, path).is_file(), (name, path)
    sequence = scenario(role).get("scenario", {}).get("test_sequence") or BASE["scenario"]["test_sequence"]
    assert sequence[0] == sequence[-1] == "destroy"
    assert sequence.index("converge") < sequence.index("idempotence") < sequence.index("verify")


def test_trimmed_inventory_keeps_groups_and_only_the_platforms(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    shutil.copytree(ROOT / "inventories" / "lab", inv)
    role_lab.trim_inventory(inv / "hosts.yml", ["duck-redis1", "duck-mon1"])
    assert sorted(h.name for h in labctl.load_lab(inv).hosts) == ["duck-mon1", "duck-redis1"]
    trimmed = yaml.safe_load((inv / "hosts.yml").read_text())["all"]["children"]
    original = yaml.safe_load((ROOT / "inventories" / "lab" / "hosts.yml").read_text())["all"]["children"]
    assert list(trimmed) == list(original)
    assert trimmed["postgres"]["hosts"] is None
    assert list(trimmed["redis_sentinel"]["hosts"]) == ["duck-mon1"]  # membership kept for the kept hosts


def test_unknown_platform_is_refused(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    shutil.copytree(ROOT / "inventories" / "lab", inv)
    with pytest.raises(role_lab.RoleLabError, match="duck-nope"):
        role_lab.trim_inventory(inv / "hosts.yml", ["duck-lb1", "duck-nope"])


def test_slots_are_private_labs_outside_the_shared_ranges() -> None:
    names = {role_lab.Slot(n).name for n in role_lab.SLOTS}
    subnets = {role_lab.Slot(n).subnet for n in role_lab.SLOTS}
    assert len(names) == len(subnets) == 9
    assert role_lab.Slot(1).subnet == "10.241.0" and role_lab.Slot(9).subnet == "10.249.0"
