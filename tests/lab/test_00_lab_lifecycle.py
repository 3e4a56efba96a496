"""labctl's life cycle on a second, two-host lab: parallel labs, recovery from a lab killed half-way,
and a ``down`` that leaves nothing behind.

Runs a private lab ``ducklc`` on 10.232.0.0/24 (the lab engineer's second range), so only with the default
inventory (CI, the lab engineer); skipped when DUCK_LAB_INVENTORY points at someone's private lab.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.helpers import (
    DEFAULT_INVENTORY,
    Lab,
    default_inventory,
    labctl,
    labctl_cmd,
    leftovers,
    ssh_argv,
)

pytestmark = pytest.mark.skipif(
    default_inventory() != DEFAULT_INVENTORY.resolve(),
    reason="life-cycle lab only with the default inventory",
)
HOSTS_YML = """---
all:
  children:
    lb:
      hosts:
        duck-lb1:
          ansible_host: 10.232.0.10
    app:
      hosts:
        duck-app1:
          ansible_host: 10.232.0.21
"""


@pytest.fixture(scope="module")
def small_lab(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[labctl.Lab]:
    inv = tmp_path_factory.mktemp("ducklc") / "inventory"
    args = ["clone-inventory", "--name", "ducklc", "--subnet", "10.232.0", "--dest", str(inv)]
    clone = subprocess.run(labctl_cmd(lab.inventory, *args), text=True, capture_output=True, check=False)
    assert clone.returncode == 0, clone.stderr
    (inv / "hosts.yml").write_text(HOSTS_YML)  # two hosts are enough
    spec = labctl.load_lab(inv)
    try:
        yield spec
    finally:
        subprocess.run(labctl_cmd(inv, "down", "--purge"), text=True, capture_output=True, check=False)


def up(spec: labctl.Lab) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(labctl_cmd(spec.inventory, "up"), text=True, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc


def answering(spec: labctl.Lab) -> list[bool]:
    return [labctl.ssh_banner(h.address, 1.0) for h in spec.hosts]


def test_second_lab_runs_beside_the_first(lab: Lab, small_lab: labctl.Lab) -> None:
    t0 = time.monotonic()
    up(small_lab)
    assert time.monotonic() - t0 < 15
    assert answering(small_lab) == [True, True]
    assert all(labctl.ssh_banner(addr) for addr in lab.hosts.values())
    # the two labs are isolated from each other
    host = small_lab.hosts[0]
    other = next(iter(lab.hosts.values()))
    code = f"import socket; socket.create_connection(('{other}', 22), timeout=2)"
    cmd = [*ssh_argv(small_lab.key, host.address), f'python3 -c "{code}"']
    proc = subprocess.run(cmd, text=True, capture_output=True, check=False)
    assert proc.returncode != 0 and "No route to host" in proc.stderr, proc.stderr


def test_up_recovers_a_lab_killed_half_way(small_lab: labctl.Lab) -> None:
    # what a CI job killed mid-run leaves: nspawn processes gone, containers orphaned, bridge deleted
    for h in small_lab.hosts:
        pid = labctl.read_pid(small_lab.hosts_dir / h.name / "nspawn.pid")
        assert pid
        os.kill(pid, signal.SIGKILL)
    subprocess.run(["ip", "link", "del", small_lab.bridge], check=True)
    t0 = time.monotonic()
    proc = up(small_lab)
    assert "(2 booted, 0 already running)" in proc.stderr
    assert time.monotonic() - t0 < 15
    assert answering(small_lab) == [True, True]
    # no orphan of the killed run survived: exactly one container init per host
    assert {h: len(p) for h, p in labctl.stray_inits(small_lab).items()} == {"duck-lb1": 1, "duck-app1": 1}


def test_down_leaves_nothing_behind(lab: Lab, small_lab: labctl.Lab) -> None:
    # an open SSH ControlPersist master, as Ansible leaves them
    ctl = Path.home() / ".ansible" / "cp" / "lab-lifecycle-test"
    host = small_lab.hosts[0]
    opts = ("ControlMaster=auto", "ControlPersist=300", f"ControlPath={ctl}")
    subprocess.run([*ssh_argv(small_lab.key, host.address, *opts), "true"], check=True)
    assert ctl.exists()
    down = labctl_cmd(small_lab.inventory, "down")
    proc = subprocess.run(down, text=True, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "closed 1 ssh client connection" in proc.stderr
    assert leftovers(small_lab) == []
    assert not ctl.exists()
    assert not small_lab.hosts_dir.exists() or not any(small_lab.hosts_dir.iterdir())
    assert small_lab.key.exists(), "down without --purge keeps the lab key"
    # the session lab is untouched, and forwarding stays on for it
    assert all(labctl.ssh_banner(addr) for addr in lab.hosts.values())
    assert Path("/proc/sys/net/ipv4/ip_forward").read_text().strip() == "1"
