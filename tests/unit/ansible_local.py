"""Run a playbook on the controller (connection: local) with the repo's ansible.cfg and roles: the unit tests
render role templates this way (a role's ``tasks_from: render.yml``) without any lab host."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def run_local_playbook(playbook: Path, inventory: Path, *extra_args: str) -> None:
    """ansible-playbook -i inventory playbook [extra_args], temp files beside the playbook; asserts rc 0."""
    res = local_playbook(playbook, inventory, *extra_args)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]


def local_playbook(playbook: Path, inventory: Path, *extra_args: str) -> subprocess.CompletedProcess[str]:
    """ansible-playbook -i inventory playbook [extra_args] on the controller; the finished process, any rc."""
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_ROLES_PATH=str(ROOT / "roles"))
    env["ANSIBLE_LOCAL_TEMP"] = str(playbook.parent / "ansible-tmp")
    return subprocess.run(
        [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), *extra_args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
