"""Session-scoped lab for every test in tests/lab (real systemd-nspawn hosts; needs root).

- Inventory: ``$DUCK_LAB_INVENTORY`` (default ``inventories/lab``); a private copy comes from
  ``lab/labctl.py clone-inventory``.
- The lab is brought up once per session and ALWAYS torn down at the end (also on failure, Ctrl-C or
  SIGTERM), then checked to have left nothing behind. ``DUCK_LAB_KEEP=1`` keeps it for debugging.
- Fixtures: ``lab`` (tests.lab.helpers.Lab), ``common_converged`` (playbooks/common.yml applied once).
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from types import FrameType

import pytest

from tests.lab.helpers import (
    FIGURES,
    Lab,
    PlaybookResult,
    default_inventory,
    inventory_groups,
    labctl,
    labctl_cmd,
    leftovers,
)

KEEP = os.environ.get("DUCK_LAB_KEEP", "") not in ("", "0")


# Lab test modules that have passed together, in one session on one lab, in a CI-like run (all of them since
# the second developer session). A NEW module starts outside this set: it carries the `unproven` marker,
# `make test` deselects it and `make test-lab-all` runs it; promote it once `make test-lab-all` is green with
# it on a fresh machine.
PROVEN_IN_CI = {
    "test_00_lab",
    "test_00_lab_lifecycle",
    "test_10_common",
    "test_20_pki",
    "test_30_database",
    "test_35_cache",
    "test_40_site",
    "test_41_web",
    "test_45_edge",
    "test_46_llm_deadline",
    "test_50_observability",
    "test_60_rolling",
    "test_80_pg_drills",
    "test_81_restore",
    "test_82_redis_failover",
}


# pytest-timeout counts fixture set-up: the first test of a module that deploys a tier (site.yml converges in
# 7-13 min on 2 cores) needs more than the suite-wide 900 s.
LAB_TEST_TIMEOUT = 1800


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/lab/" in str(item.fspath):
            item.add_marker(pytest.mark.lab)
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(LAB_TEST_TIMEOUT))
            if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] not in PROVEN_IN_CI:
                item.add_marker(pytest.mark.unproven)


def _down(inventory: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(labctl_cmd(inventory, "down"), text=True, capture_output=True, check=False)


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    if os.geteuid() != 0:
        pytest.skip("the lab needs root (systemd-nspawn, bridges, iptables)")
    inventory = default_inventory()
    spec = labctl.load_lab(inventory)
    state = {"down": False}

    def teardown() -> subprocess.CompletedProcess[str] | None:
        if KEEP or state["down"]:
            return None
        state["down"] = True
        return _down(str(inventory))

    atexit.register(teardown)  # last resort if the fixture finaliser never runs

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")  # pytest then runs the fixture finalisers

    old_handler = signal.signal(signal.SIGTERM, on_sigterm)
    t0 = time.monotonic()
    try:
        up = subprocess.run(labctl_cmd(inventory, "up"), text=True, capture_output=True, check=False)
        print(up.stdout + up.stderr)
        if up.returncode != 0:
            pytest.fail(f"lab up failed:\n{up.stdout}{up.stderr}", pytrace=False)
        print(f"lab {spec.name} up in {time.monotonic() - t0:.1f} s")
        yield Lab(inventory=inventory, spec=spec, groups=inventory_groups(inventory))
    finally:
        signal.signal(signal.SIGTERM, old_handler)
        down = teardown()
        if down is not None:
            print(down.stdout + down.stderr)
            left = leftovers(spec)
            assert down.returncode == 0 and not left, f"lab down left: {left}\n{down.stderr}"


@pytest.fixture(scope="session")
def common_converged(lab: Lab) -> PlaybookResult:
    """playbooks/common.yml applied to the whole lab (once per session)."""
    return lab.converge("playbooks/common.yml")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures the lab tests measured (helpers.figure), passed tests included: durations, outages, RPO."""
    if FIGURES:
        terminalreporter.section("lab figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
