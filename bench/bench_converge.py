"""Converge benchmark (prints figures, asserts nothing): where the time of a site.yml run goes.

Against the lab in DUCK_LAB_INVENTORY (default inventories/lab), in one run:

- ``ansible all -m ping`` with the configured strategy and with plain ``linear``: the round-trip baseline;
- optionally (``--fresh``: the lab's hosts are destroyed and recreated first) a fresh ``playbooks/site.yml``;
- a no-op rerun of ``playbooks/site.yml`` (changed= must be 0 for the figure to mean anything);
- a one-role rerun (``--role-playbook``, default ``playbooks/common.yml``: the common role on every host);
- optionally (``--linear``) the same no-op rerun with Mitogen off (``ANSIBLE_STRATEGY=linear``: the opt-out);

and for every playbook run: per-role and the top-20 task times (from the profile_tasks callback's
per-task lines), tasks per host (ok/skipped from the recap) and every figure as a ratio to the ping baseline.

    DUCK_LAB_INVENTORY=/tmp/<lab>-inv .venv/bin/python bench/bench_converge.py [--fresh] [--linear]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.lab.helpers import BIN, PlaybookResult, ansible_env, labctl_cmd, run_playbook  # noqa: E402

# profile_tasks prints a time line after each task banner, and after its TASKS RECAP banner:
# "Wednesday 02 December 2026  14:13:28 +0000 (0:00:00.713)  0:00:25.872 ****" where the figure in
# brackets is the time since the previous such line, i.e. the duration of the task before.
PROFILE_RE = re.compile(r"^\S+ \d+ \S+ \d+\s+[\d:]+ [+-]\d{4} \((?P<h>\d+):(?P<m>\d+):(?P<s>[\d.]+)\)")
BANNER_RE = re.compile(r"^(?:TASK|RUNNING HANDLER) \[(?P<name>.*)\]")


def task_times(output: str) -> list[tuple[str, float]]:
    """(task name, seconds) for every task and handler of the run, in order, from profile_tasks' lines."""
    times: list[tuple[str, float]] = []
    running: str | None = None  # the task whose time the next profile line reports
    banner: str | None = None
    for line in output.splitlines():
        b = BANNER_RE.match(line)
        if b:
            banner = b["name"]
            continue
        m = PROFILE_RE.match(line)
        if m:
            if running is not None:
                times.append((running, int(m["h"]) * 3600 + int(m["m"]) * 60 + float(m["s"])))
            running, banner = banner, None
    return times


def role_of(task: str) -> str:
    return task.split(" : ", 1)[0] if " : " in task else "(playbook)"


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    t0 = time.monotonic()
    rc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=False).returncode
    return time.monotonic() - t0, rc


def ping(inv: Path, strategy: str | None) -> float:
    env = ansible_env(**({"ANSIBLE_STRATEGY": strategy} if strategy else {}))
    seconds, rc = timed([str(BIN / "ansible"), "-i", str(inv), "all", "-m", "ansible.builtin.ping"], env)
    label = strategy or "configured strategy"
    print(f"ansible all -m ping ({label}): {seconds:.1f} s rc={rc}")
    return seconds


def report(label: str, r: PlaybookResult, baseline: float, top: int = 20) -> None:
    print(
        f"\n== {label}: {r.duration:.1f} s rc={r.rc} changed={r.changed} failed={r.failed}"
        f" ({r.duration / baseline:.0f}x the ping baseline)"
    )
    if r.changed_tasks:
        print("   changed: " + "; ".join(r.changed_tasks[:10]))
    times = task_times(r.output)
    if not times:
        print("   (no profile_tasks lines in the output)")
        return
    per_role: dict[str, list[float]] = defaultdict(list)
    for name, seconds in times:
        per_role[role_of(name)].append(seconds)
    print(f"   tasks run: {len(times)}; sum of task times {sum(s for _, s in times):.1f} s")
    print("   per role (s, tasks):")
    for role, secs in sorted(per_role.items(), key=lambda kv: -sum(kv[1])):
        print(f"     {sum(secs):7.1f}  {len(secs):4d}  {role}")
    print(f"   top {top} tasks (s):")
    for name, seconds in sorted(times, key=lambda t: -t[1])[:top]:
        print(f"     {seconds:7.2f}  {name}")
    print("   tasks per host (ok / skipped):")
    for host, c in sorted(r.recap.items()):
        print(f"     {host:16s} {c['ok']:4d} / {c['skipped']:4d}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--fresh", action="store_true", help="destroy and recreate the lab hosts, then converge")
    ap.add_argument("--linear", action="store_true", help="also time the no-op rerun with Mitogen off")
    ap.add_argument("--role-playbook", default="playbooks/common.yml")
    args = ap.parse_args()
    inv = Path(os.environ.get("DUCK_LAB_INVENTORY", REPO / "inventories" / "lab")).resolve()
    print(
        f"lab inventory {inv}; strategy {os.environ.get('ANSIBLE_STRATEGY', 'from ansible.cfg')}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {os.getloadavg()[0]:.1f}"
    )
    runs: list[tuple[str, PlaybookResult]] = []
    if args.fresh:
        for action in ("down", "up"):
            seconds, rc = timed(labctl_cmd(inv, action))
            print(f"labctl {action}: {seconds:.1f} s rc={rc}")
        runs.append(("site.yml fresh converge", run_playbook("playbooks/site.yml", inv, echo=False)))
    baseline = ping(inv, None)
    ping(inv, "linear")
    runs.append(("site.yml no-op rerun", run_playbook("playbooks/site.yml", inv, echo=False)))
    runs.append((f"{args.role_playbook} rerun", run_playbook(args.role_playbook, inv, echo=False)))
    if args.linear:
        runs.append(
            (
                "site.yml no-op rerun, ANSIBLE_STRATEGY=linear (Mitogen off)",
                run_playbook("playbooks/site.yml", inv, echo=False, extra_env={"ANSIBLE_STRATEGY": "linear"}),
            )
        )
    for label, r in runs:
        report(label, r, baseline)
    print("\nsummary:")
    for label, r in runs:
        ratio = r.duration / baseline
        print(f"  {label:60s} {r.duration:7.1f} s  changed={r.changed:<4d} {ratio:5.0f}x ping")


if __name__ == "__main__":
    main()
