#!/usr/bin/env python3
"""Molecule per role on the lab: a private, trimmed lab inventory per run, then ``molecule test``.

For a role, ``roles/<role>/molecule/default/molecule.yml`` names the lab hosts it needs (its ``platforms``
names ARE inventory host names of ``inventories/lab``). This tool

1. clones the lab inventory (``labctl.py clone-inventory``) to ``build/role-lab/molNN`` on subnet
   ``10.(240+NN).0`` with lab name ``molNN`` (NN = ``--slot``, 1..9: one slot = one lab on this machine),
2. trims it to those hosts, keeping every group (empty ones too) and every group_vars file, so the SAME
   overlay on staging the lab converges applies (no molecule-only wiring),
3. runs ``molecule test`` in the role with ``DUCK_ROLE_LAB`` = that inventory (lab/molecule/base.yml
   passes it to every ansible-playbook and calls ``labctl up``/``down`` from create/destroy),
4. always tears the lab down afterwards (also when molecule fails) and checks nothing of it is left.

Usage (root, from the repository; ``make test-role ROLE=<role>`` / ``make test-roles``)::

    role_lab.py test ROLE [ROLE ...] [--slot N]    # molecule test per role, one after another; timing table
    role_lab.py test --all [--slot N]              # every role that has a scenario
    role_lab.py inventory ROLE [--slot N]          # only write the trimmed inventory, print its path
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import labctl  # lab/labctl.py, next to this file
import yaml

REPO = Path(__file__).resolve().parent.parent
LAB_INVENTORY = REPO / "inventories" / "lab"
ROLES = REPO / "roles"
BASE_CONFIG = REPO / "lab" / "molecule" / "base.yml"
LABCTL = REPO / "lab" / "labctl.py"
BIN = REPO / ".venv" / "bin"
SCENARIO = "default"
SLOTS = range(1, 10)  # subnets 10.241.0 .. 10.249.0


class RoleLabError(RuntimeError):
    pass


@dataclass(frozen=True)
class Slot:
    number: int

    @property
    def name(self) -> str:
        return f"mol{self.number:02d}"

    @property
    def subnet(self) -> str:
        return f"10.{240 + self.number}.0"

    @property
    def inventory(self) -> Path:
        return REPO / "build" / "role-lab" / self.name


def scenario_dir(role: str) -> Path:
    return ROLES / role / "molecule" / SCENARIO


def roles_with_scenario() -> list[str]:
    return sorted(p.name for p in ROLES.iterdir() if (scenario_dir(p.name) / "molecule.yml").is_file())


def platforms(role: str) -> list[str]:
    path = scenario_dir(role) / "molecule.yml"
    if not path.is_file():
        raise RoleLabError(f"{path}: no molecule scenario for role {role!r}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names = [str(p["name"]) for p in data.get("platforms") or [] if isinstance(p, dict) and "name" in p]
    if not names:
        raise RoleLabError(f"{path}: no platforms (they name the lab hosts the scenario needs)")
    return names


def _trim_group(group: dict[str, Any], keep: set[str]) -> None:
    hosts = group.get("hosts")
    if isinstance(hosts, dict):
        group["hosts"] = {h: v for h, v in hosts.items() if h in keep} or None
    for child in (group.get("children") or {}).values():
        if isinstance(child, dict):
            _trim_group(child, keep)


def _all_hosts(group: dict[str, Any], acc: set[str]) -> None:
    acc.update((group.get("hosts") or {}).keys())
    for child in (group.get("children") or {}).values():
        if isinstance(child, dict):
            _all_hosts(child, acc)


def trim_inventory(hosts_file: Path, keep: list[str]) -> None:
    """Keep only ``keep`` in every group of hosts.yml (groups stay, possibly empty)."""
    data = yaml.safe_load(hosts_file.read_text(encoding="utf-8"))
    root = data["all"]
    known: set[str] = set()
    _all_hosts(root, known)
    unknown = sorted(set(keep) - known)
    if unknown:
        raise RoleLabError(f"platforms not in {LAB_INVENTORY}/hosts.yml: {', '.join(unknown)}")
    _trim_group(root, set(keep))
    header = (
        "---\n# Written by lab/role_lab.py: inventories/lab/hosts.yml trimmed to the molecule scenario's\n"
        f"# platforms ({', '.join(keep)}).\n"
    )
    hosts_file.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    host_vars = hosts_file.parent / "host_vars"
    if host_vars.is_dir():
        for f in host_vars.iterdir():
            if f.stem not in keep:
                f.unlink()


def write_inventory(role: str, slot: Slot) -> Path:
    keep = platforms(role)
    dest = slot.inventory
    dest.parent.mkdir(parents=True, exist_ok=True)
    clone = [
        str(BIN / "python"),
        str(LABCTL),
        "-i",
        str(LAB_INVENTORY),
        "clone-inventory",
        "--name",
        slot.name,
        "--subnet",
        slot.subnet,
        "--dest",
        str(dest),
        "--force",
    ]
    res = subprocess.run(clone, text=True, capture_output=True, check=False)
    if res.returncode != 0:
        raise RoleLabError(f"clone-inventory failed: {res.stderr.strip()}")
    trim_inventory(dest / "hosts.yml", keep)
    return dest


def run_labctl(inventory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(BIN / "python"), str(LABCTL), "-i", str(inventory), *args]
    return subprocess.run(cmd, text=True, capture_output=True, check=False)


def lab_left(inventory: Path) -> list[str]:
    """What of this lab is still on the machine after ``down`` (bridge, mounts, processes, cgroup)."""
    return labctl.host_leftovers(labctl.load_lab(inventory))


def molecule_env(inventory: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("ANSIBLE_CONFIG", str(REPO / "ansible.cfg"))
    env["DUCK_ROLE_LAB"] = str(inventory)
    env["DUCK_REPO"] = str(REPO)
    return env


def run_role(role: str, slot: Slot) -> tuple[int, float]:
    inventory = write_inventory(role, slot)
    print(f"role_lab: {role}: lab {slot.name} ({slot.subnet}.0/24) inventory {inventory}", flush=True)
    t0 = time.monotonic()
    cmd = [str(BIN / "molecule"), "--base-config", str(BASE_CONFIG), "test", "--scenario-name", SCENARIO]
    try:
        rc = subprocess.run(cmd, cwd=ROLES / role, env=molecule_env(inventory), check=False).returncode
    finally:
        down = run_labctl(inventory, "down", "--purge")
        left = lab_left(inventory)
        if down.returncode != 0 or left:
            print(f"role_lab: {role}: lab down failed or left {left}: {down.stderr.strip()}", file=sys.stderr)
            rc = rc or 1
    return rc, time.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="role_lab.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument(
        "--slot",
        type=int,
        default=int(os.environ.get("DUCK_ROLE_LAB_SLOT", "1")),
        choices=list(SLOTS),
        help="lab slot 1..9: lab molNN on 10.(240+N).0/24 (default $DUCK_ROLE_LAB_SLOT or 1)",
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    test = sub.add_parser("test", help="molecule test for each role, then a timing table")
    test.add_argument("roles", nargs="*")
    test.add_argument("--all", action="store_true", help="every role with a molecule/default scenario")
    inv = sub.add_parser("inventory", help="write the trimmed inventory for a role and print its path")
    inv.add_argument("role")
    args = ap.parse_args(argv)
    slot = Slot(args.slot)
    try:
        if args.cmd == "inventory":
            print(write_inventory(args.role, slot))
            return 0
        roles = roles_with_scenario() if args.all else list(args.roles)
        if not roles:
            ap.error("test: name a role or use --all")
        if os.geteuid() != 0:
            raise RoleLabError("the lab needs root (systemd-nspawn, bridges, iptables)")
        results: list[tuple[str, int, float]] = []
        for role in roles:
            rc, seconds = run_role(role, slot)
            results.append((role, rc, seconds))
        print(f"\n{'ROLE':<14} {'RESULT':<7} {'SECONDS':>7}  HOSTS")
        for role, rc, seconds in results:
            hosts = ", ".join(platforms(role))
            print(f"{role:<14} {'pass' if rc == 0 else 'FAIL':<7} {seconds:>7.0f}  {hosts}")
        return 0 if all(rc == 0 for _, rc, _ in results) else 1
    except RoleLabError as exc:
        print(f"role_lab: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
