"""Helpers for the lab tests: run playbooks and count what changed, run commands on lab hosts.

Typical use in a test module::

    from tests.lab.helpers import assert_idempotent, run_playbook

    @pytest.fixture(scope="module")
    def database(lab):
        return lab.converge("playbooks/database.yml")     # once per session, rc asserted

    def test_idempotent(lab, database):
        assert_idempotent("playbooks/database.yml", lab.inventory)

    def test_replica(lab, database):
        out = lab.sh("duck-pg2", "sudo -u postgres psql -Atc 'select pg_is_in_recovery()'").stdout
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
LABCTL = REPO / "lab" / "labctl.py"
DEFAULT_INVENTORY = REPO / "inventories" / "lab"
LOG_DIR = Path(os.environ.get("DUCK_LAB_LOG_DIR", "/tmp/duck-lab-logs"))

sys.path.insert(0, str(REPO / "lab"))
import labctl  # noqa: E402

RECAP_RE = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)\s+"
    r"failed=(?P<failed>\d+)(?:\s+skipped=(?P<skipped>\d+))?(?:\s+rescued=(?P<rescued>\d+))?"
    r"(?:\s+ignored=(?P<ignored>\d+))?",
    re.M,
)
TASK_RE = re.compile(r"^(TASK|RUNNING HANDLER) \[(?P<name>.*)\]", re.M)


FIGURES: list[str] = []


def figure(*parts: object) -> None:
    """print() for a measured figure (durations, outages, rows lost, request counts): also listed, with its
    test's name, in the "lab figures" section at the end of the run (conftest.py), passed tests included."""
    line = " ".join(str(p) for p in parts).strip()
    print(line)
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].rsplit("/", 1)[-1]
    FIGURES.append(f"{test}: {line}" if test else line)


def ansible_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        PYTHONUNBUFFERED="1",
        # per-task durations in the log and the 20 slowest tasks after the recap (where converge time goes)
        ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks",
        PROFILE_TASKS_TASK_OUTPUT_LIMIT="20",
    )
    env.update(extra)
    return env


def default_inventory() -> Path:
    return Path(os.environ.get("DUCK_LAB_INVENTORY", str(DEFAULT_INVENTORY))).resolve()


@dataclass
class PlaybookResult:
    rc: int
    recap: dict[str, dict[str, int]]
    duration: float
    output: str
    changed_tasks: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(h["changed"] for h in self.recap.values())

    @property
    def failed(self) -> int:
        return sum(h["failed"] + h["unreachable"] for h in self.recap.values())

    def summary(self) -> str:
        return f"rc={self.rc} changed={self.changed} failed={self.failed} in {self.duration:.1f} s"


def parse_recap(output: str) -> dict[str, dict[str, int]]:
    recap: dict[str, dict[str, int]] = {}
    tail = output.rsplit("PLAY RECAP", 1)[-1] if "PLAY RECAP" in output else ""
    for m in RECAP_RE.finditer(tail):
        recap[m.group("host")] = {k: int(v or 0) for k, v in m.groupdict().items() if k != "host"}
    return recap


def parse_changed_tasks(output: str) -> list[str]:
    """'TASK name -> host' for every task that reported changed."""
    changed: list[str] = []
    current = "?"
    for line in output.splitlines():
        m = TASK_RE.match(line)
        if m:
            current = m.group("name")
            continue
        mc = re.match(r"^changed: \[(?P<host>[^\]]+)\]", line)
        if mc:
            changed.append(f"{current} -> {mc.group('host')}")
    return changed


def run_playbook(
    playbook: str | Path,
    inventory: str | Path | None = None,
    extra_vars: dict[str, Any] | None = None,
    limit: str | None = None,
    tags: str | list[str] | None = None,
    *,
    check: bool = False,
    diff: bool = False,
    skip_tags: str | list[str] | None = None,
    extra_args: list[str] | None = None,
    timeout: float = 1800,
    echo: bool = True,
    extra_env: dict[str, str] | None = None,
) -> PlaybookResult:
    """Run ansible-playbook from the repo root; return rc, the per-host recap and the duration."""
    inv = Path(inventory) if inventory else default_inventory()
    cmd = [str(BIN / "ansible-playbook"), "-i", str(inv), str(REPO / playbook)]
    if extra_vars:
        cmd += ["-e", json.dumps(extra_vars)]
    if limit:
        cmd += ["--limit", limit]
    if tags:
        cmd += ["--tags", tags if isinstance(tags, str) else ",".join(tags)]
    if skip_tags:
        cmd += ["--skip-tags", skip_tags if isinstance(skip_tags, str) else ",".join(skip_tags)]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
    cmd += extra_args or []
    # The output also streams to a log file, readable during a long converge (pytest shows it at the end).
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}-{Path(playbook).stem}.log"
    t0 = time.monotonic()
    with log_path.open("w+", encoding="utf-8") as log:
        log.write(f"$ {shlex.join(cmd)}\n")
        log.flush()
        start = log.tell()
        proc = subprocess.run(
            cmd,
            cwd=REPO,
            env=ansible_env(**(extra_env or {})),
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
        log.seek(start)
        output = log.read()
    result = PlaybookResult(
        rc=proc.returncode,
        recap=parse_recap(output),
        duration=time.monotonic() - t0,
        output=output,
        changed_tasks=parse_changed_tasks(output),
    )
    if echo:  # pytest captures it and shows it when a test fails
        print(f"$ {shlex.join(cmd)}\n{output}\n=> {result.summary()}")
    return result


def assert_converged(result: PlaybookResult) -> None:
    tail = result.output[-6000:]
    assert result.rc == 0 and result.failed == 0, f"playbook failed: {result.summary()}\n{tail}"


def assert_idempotent(
    playbook: str | Path, inventory: str | Path | None = None, **kwargs: Any
) -> PlaybookResult:
    """Run the playbook (again) and assert it succeeds with changed=0 on every host."""
    result = run_playbook(playbook, inventory, **kwargs)
    assert_converged(result)
    assert result.changed == 0, "not idempotent, changed tasks:\n  " + "\n  ".join(result.changed_tasks)
    return result


@dataclass
class Lab:
    """The lab the session runs against (see conftest.py's ``lab`` fixture)."""

    inventory: Path
    spec: labctl.Lab
    groups: dict[str, list[str]]
    _converged: dict[str, PlaybookResult] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def hosts(self) -> dict[str, str]:
        """host name -> address"""
        return {h.name: h.address for h in self.spec.hosts}

    @property
    def gateway(self) -> str:
        return str(self.spec.gateway)

    @property
    def subnet(self) -> ipaddress.IPv4Network:
        return self.spec.subnet

    @property
    def key(self) -> Path:
        return self.spec.key

    def group(self, name: str) -> list[str]:
        return self.groups.get(name, [])

    def ssh_cmd(self, host: str) -> list[str]:
        return ssh_argv(
            self.key,
            self.hosts[host],
            "ControlMaster=auto",
            "ControlPersist=30s",
            f"ControlPath={Path.home()}/.ansible/cp/lab-test-%C",
        )

    def sh(
        self, host: str, command: str, *, become: bool = True, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run a shell command on a lab host over SSH (as root by default); return the CompletedProcess."""
        (Path.home() / ".ansible" / "cp").mkdir(parents=True, exist_ok=True)
        remote = f"sudo -n sh -c {shlex.quote(command)}" if become else command
        proc = subprocess.run(
            [*self.ssh_cmd(host), remote], text=True, capture_output=True, timeout=timeout, check=False
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{host}: {command!r} -> rc {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
            )
        return proc

    def python(self, host: str, code: str, *, become: bool = False, timeout: float = 60) -> str:
        """Run a Python 3 snippet on a host; return its stdout."""
        cmd = f"python3 -c {shlex.quote(code)}"
        return self.sh(host, cmd, become=become, timeout=timeout).stdout

    def ansible(self, pattern: str, module: str, args: str = "", *, check: bool = True) -> str:
        cmd = [str(BIN / "ansible"), "-i", str(self.inventory), pattern, "-m", module]
        if args:
            cmd += ["-a", args]
        proc = subprocess.run(cmd, cwd=REPO, env=ansible_env(), text=True, capture_output=True, check=False)
        if check and proc.returncode != 0:
            raise AssertionError(f"{shlex.join(cmd)} -> rc {proc.returncode}\n{proc.stdout}{proc.stderr}")
        return proc.stdout

    def playbook(self, playbook: str | Path, **kwargs: Any) -> PlaybookResult:
        return run_playbook(playbook, self.inventory, **kwargs)

    def converge(self, playbook: str | Path, **kwargs: Any) -> PlaybookResult:
        """Apply a playbook once per session (later calls return the first result); assert it succeeded."""
        key = json.dumps([str(playbook), kwargs], sort_keys=True, default=str)
        if key not in self._converged:
            result = self.playbook(playbook, **kwargs)
            assert_converged(result)
            self._converged[key] = result
        return self._converged[key]


def ssh_argv(key: Path, address: str, *options: str) -> list[str]:
    """ssh to a lab host as the admin user with the lab key (extra ``-o`` options appended)."""
    opts = ["StrictHostKeyChecking=no", "UserKnownHostsFile=/dev/null", "LogLevel=ERROR", "BatchMode=yes"]
    opts += ["ConnectTimeout=5", *options]
    return ["ssh", "-i", str(key), *[a for o in opts for a in ("-o", o)], f"{labctl.ADMIN_USER}@{address}"]


PROBE = r"""
import errno, json, socket, sys, time
out = []
for host, port in json.loads(sys.argv[1]):
    t = time.monotonic()
    try:
        socket.create_connection((host, port), timeout=float(sys.argv[2])).close()
        res = "open"
    except OSError as exc:
        res = errno.errorcode.get(exc.errno, str(exc)) if exc.errno else "timeout"
    out.append([host, port, res, round(time.monotonic() - t, 3)])
print(json.dumps(out))
"""


def probe(lab: Lab, host: str, targets: list[tuple[str, int]], timeout: float = 3.0) -> list[list[Any]]:
    """TCP connect attempts from a lab host: [[address, port, 'open'|errno name|'timeout', seconds], ...]."""
    cmd = f"python3 -c {_q(PROBE)} {_q(json.dumps(targets))} {timeout}"
    return json.loads(lab.sh(host, cmd, become=False).stdout)


def _q(s: str) -> str:
    return "'" + s.replace("'", "'\"'\"'") + "'"


def on_all_hosts(lab: Lab, fn: Callable[[str], Any]) -> dict[str, Any]:
    with ThreadPoolExecutor(max_workers=len(lab.hosts)) as ex:
        return dict(zip(lab.hosts, ex.map(fn, lab.hosts), strict=True))


def inventory_groups(inventory: Path) -> dict[str, list[str]]:
    proc = subprocess.run(
        [str(BIN / "ansible-inventory"), "-i", str(inventory), "--list"],
        cwd=REPO,
        env=ansible_env(),
        text=True,
        capture_output=True,
        check=True,
    )
    data = json.loads(proc.stdout)

    def members(group: str, seen: set[str]) -> list[str]:
        if group in seen:
            return []
        seen.add(group)
        g = data.get(group, {})
        hosts = list(g.get("hosts", []))
        for child in g.get("children", []):
            hosts += members(child, seen)
        return sorted(set(hosts))

    return {g: members(g, set()) for g in data if g != "_meta"}


def labctl_cmd(inventory: str | Path, *args: str) -> list[str]:
    return [str(BIN / "python"), str(LABCTL), "-i", str(inventory), *args]


def leftovers(spec: labctl.Lab) -> list[str]:
    """Everything of this lab still present on the machine (empty after a clean ``down``)."""
    found = labctl.host_leftovers(spec)
    routes = subprocess.run(
        ["ip", "-4", "route", "show", "table", "all"], text=True, capture_output=True, check=True
    ).stdout
    found += [f"route {r}" for r in routes.splitlines() if str(spec.subnet) in r]
    for table in ("filter", "nat"):
        rules = subprocess.run(
            ["iptables", "-w", "-t", table, "-S"], text=True, capture_output=True, check=True
        ).stdout
        found += [f"iptables {table}: {r}" for r in rules.splitlines() if spec.chain in r]
    ss = ["ss", "-Htn", "state", "established", "dst", str(spec.subnet)]
    conns = subprocess.run(ss, text=True, capture_output=True, check=False).stdout.strip()
    if conns:
        found.append(f"tcp connections: {conns}")
    return found
