#!/usr/bin/env python3
"""The 心理鸭 lab: real systemd Debian 12 hosts on one machine (systemd-nspawn + overlayfs).

The inventory directory (``-i``, default ``inventories/lab``) is the single source of truth:
``hosts.yml`` lists the hosts and their ``ansible_host`` addresses, ``group_vars/all/lab.yml`` sets
``lab_name``, ``lab_bridge``, ``lab_subnet``, ``lab_gateway`` and ``lab_state_dir``.  Everything this
tool creates on the machine (state dir, bridge, iptables chains, routes, containers) is keyed by
``lab_name``, so several labs run side by side (``clone-inventory`` writes a private copy).

Commands (run as root)::

    labctl.py [-i INVENTORY] up                 # create/boot every host, wait for sshd (idempotent)
    labctl.py [-i INVENTORY] down [--purge]     # remove everything the lab left on this machine
    labctl.py [-i INVENTORY] status             # table of hosts
    labctl.py [-i INVENTORY] clone-inventory --name N --subnet 10.23X.0 --dest DIR
    labctl.py rootfs                            # only build the shared rootfs cache

Only the Python standard library and PyYAML are used.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import contextlib
import fcntl
import hashlib
import inspect
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INVENTORY = REPO / "inventories" / "lab"
CACHE_DIR = Path(os.environ.get("DUCK_LAB_CACHE", "/var/cache/psych-duck-lab"))
GLOBAL_DIR = Path("/var/lib/psych-duck-lab")  # machine-wide bookkeeping shared by all labs
ADMIN_USER = "duckadmin"
CGROUP_BASE = "psych-duck-lab"  # /sys/fs/cgroup/<hierarchy>/psych-duck-lab/<lab>/<host>
MARKER = "etc/psych-duck-lab.id"  # inside every host: "<lab_name> <host>", used to find strays
BLACKHOLE_METRIC = 4242  # above the bridge's connected route (metric 0): only used once the bridge is gone
BOOT_TIMEOUT = float(os.environ.get("DUCK_LAB_BOOT_TIMEOUT", "120"))
STOP_GRACE = float(os.environ.get("DUCK_LAB_STOP_GRACE", "5"))
INOTIFY_INSTANCES = 8192  # fs.inotify.max_user_instances floor while a lab runs

# --- rootfs recipe (any change here, or in _customize_rootfs, builds a new cached rootfs) -----------------
SUITE = "bookworm"
MIRROR = os.environ.get("DUCK_LAB_MIRROR", "http://deb.debian.org/debian")
PACKAGES = [
    "systemd",
    "systemd-sysv",
    "dbus",
    "openssh-server",
    "python3",
    "python3-apt",
    "sudo",
    "iproute2",
    "ca-certificates",
    "nftables",
    "procps",  # sysctl (ansible.posix.sysctl), ps
    "iputils-ping",
    "netbase",  # /etc/services, /etc/protocols
    "tzdata",
    "rsync",  # ansible.posix.synchronize
    "acl",  # become_user to unprivileged users
]


def log(msg: str) -> None:
    print(f"labctl: {msg}", file=sys.stderr, flush=True)


class LabError(RuntimeError):
    pass


def run(
    cmd: list[str], *, check: bool = True, capture: bool = True, **kw: Any
) -> subprocess.CompletedProcess[str]:
    res = subprocess.run(cmd, text=True, capture_output=capture, check=False, **kw)
    if check and res.returncode != 0:
        out = ((res.stdout or "") + (res.stderr or "")).strip()
        raise LabError(f"{' '.join(cmd)} failed ({res.returncode}): {out[-2000:]}")
    return res


# ---------------------------------------------------------------------------------------------------------
# Inventory
# ---------------------------------------------------------------------------------------------------------
@dataclass
class Host:
    name: str
    address: str


@dataclass
class Lab:
    inventory: Path
    name: str
    bridge: str
    subnet: ipaddress.IPv4Network
    gateway: ipaddress.IPv4Address
    state_dir: Path
    hosts: list[Host] = field(default_factory=list)
    vip: str = ""  # keepalived_vip: the lb hosts' virtual address, reserved (no host has it)

    @property
    def hosts_dir(self) -> Path:
        return self.state_dir / "hosts"

    @property
    def key(self) -> Path:
        return self.state_dir / "ssh" / "id_ed25519"

    def machine(self, host: Host) -> str:
        return f"{self.name}-{host.name}"

    @property
    def chain(self) -> str:
        return f"LAB-{self.name}"[:24]


def _render(value: Any, env: dict[str, Any]) -> Any:
    """Resolve the simple ``{{ var }}`` references lab.yml uses (no filters)."""
    if not isinstance(value, str):
        return value
    text: str = value

    def lookup(m: re.Match[str]) -> str:
        return str(env.get(m.group(1), m.group(0)))

    for _ in range(5):
        new = re.sub(r"\{\{\s*(\w+)\s*\}\}", lookup, text)
        if new == text:
            break
        text = new
    return text


def _load_yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("$ANSIBLE_VAULT"):
        return {}
    return yaml.safe_load(text) or {}


def _group_vars_all(inv: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    gv = inv / "group_vars"
    files: list[Path] = []
    for cand in ("all.yml", "all.yaml"):
        if (gv / cand).is_file():
            files.append(gv / cand)
    if (gv / "all").is_dir():
        files += sorted(p for p in (gv / "all").iterdir() if p.suffix in (".yml", ".yaml"))
    for f in files:
        data = _load_yaml(f)
        if isinstance(data, dict):
            out.update(data)
    return out


def _collect_hosts(group: dict[str, Any] | None, acc: dict[str, dict[str, Any]]) -> None:
    if not group:
        return
    for hname, hvars in (group.get("hosts") or {}).items():
        acc.setdefault(hname, {}).update(hvars or {})
    for child in (group.get("children") or {}).values():
        _collect_hosts(child, acc)


def _lab_env(inv: Path) -> dict[str, Any]:
    """group_vars/all with its ``{{ var }}`` references resolved (the lab_* keys are required)."""
    gvars = _group_vars_all(inv)
    missing = [
        k for k in ("lab_name", "lab_bridge", "lab_subnet", "lab_gateway", "lab_state_dir") if k not in gvars
    ]
    if missing:
        raise LabError(f"{inv}/group_vars/all: missing {', '.join(missing)}")
    env = {k: v for k, v in gvars.items() if isinstance(v, str | int)}
    for _ in range(3):
        env = {k: _render(v, env) for k, v in env.items()}
    return env


def _inventory_hosts(inv: Path, hosts_file: Path, env: dict[str, Any]) -> list[Host]:
    """Every host with an ``ansible_host`` (hosts.yml, then host_vars), sorted by address."""
    acc: dict[str, dict[str, Any]] = {}
    _collect_hosts((_load_yaml(hosts_file) or {}).get("all"), acc)
    hv_dir = inv / "host_vars"
    hosts: list[Host] = []
    for hname, hvars in acc.items():
        for cand in (hv_dir / f"{hname}.yml", hv_dir / f"{hname}.yaml"):
            if cand.is_file():
                hvars.update(_load_yaml(cand))
        addr = hvars.get("ansible_host")
        if not addr:
            continue
        hosts.append(Host(hname, str(ipaddress.IPv4Address(_render(addr, env)))))
    return sorted(hosts, key=lambda h: ipaddress.IPv4Address(h.address))


def _check_lab(lab: Lab) -> set[str]:
    """The name, bridge, subnet and host addresses are usable; returns the hosts' addresses."""
    if not re.fullmatch(r"[a-z][a-z0-9]{0,11}", lab.name):
        raise LabError(f"lab_name {lab.name!r}: use 1-12 lowercase letters/digits")
    if len(lab.bridge) > 15:
        raise LabError(f"lab_bridge {lab.bridge!r} is longer than 15 characters")
    if lab.gateway not in lab.subnet:
        raise LabError(f"lab_gateway {lab.gateway} is not in {lab.subnet}")
    if not lab.subnet.is_private:
        raise LabError(f"lab_subnet {lab.subnet} is not a private range")
    seen: set[str] = set()
    for h in lab.hosts:
        ip = ipaddress.IPv4Address(h.address)
        if ip not in lab.subnet or ip == lab.gateway or h.address in seen:
            raise LabError(
                f"{h.name}: address {h.address} is outside {lab.subnet}, the gateway, or a duplicate"
            )
        seen.add(h.address)
    if not lab.hosts:
        raise LabError(f"{lab.inventory}: no host with ansible_host")
    return seen


def _reserved_vip(lab: Lab, vip: Any, seen: set[str]) -> str:
    """keepalived_vip, the lb hosts' virtual address (role keepalived): a free address of the subnet."""
    try:
        vip_ip = ipaddress.IPv4Address(str(vip))
    except ValueError as exc:
        raise LabError(f"keepalived_vip {vip!r} is not an IPv4 address") from exc
    if vip_ip not in lab.subnet or vip_ip == lab.gateway or str(vip_ip) in seen:
        owner = next((h.name for h in lab.hosts if h.address == str(vip_ip)), None)
        why = f"it is {owner}'s ansible_host" if owner else "it is the gateway or outside the subnet"
        raise LabError(f"keepalived_vip {vip_ip} must be a free address of {lab.subnet}: {why}")
    return str(vip_ip)


def load_lab(inventory: Path) -> Lab:
    inv = inventory.resolve()
    hosts_file = next((inv / n for n in ("hosts.yml", "hosts.yaml") if (inv / n).is_file()), None)
    if hosts_file is None:
        raise LabError(f"{inv}: no hosts.yml")
    env = _lab_env(inv)
    lab = Lab(
        inventory=inv,
        name=str(env["lab_name"]),
        bridge=str(env["lab_bridge"]),
        subnet=ipaddress.IPv4Network(str(env["lab_subnet"]), strict=True),
        gateway=ipaddress.IPv4Address(str(env["lab_gateway"])),
        state_dir=Path(str(env["lab_state_dir"])),
        hosts=_inventory_hosts(inv, hosts_file, env),
    )
    seen = _check_lab(lab)
    vip = env.get("keepalived_vip")  # reserved: no host gets it
    if vip:
        lab.vip = _reserved_vip(lab, vip, seen)
    return lab


# ---------------------------------------------------------------------------------------------------------
# Locks, small helpers
# ---------------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def flock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write(path: Path, text: str, mode: int = 0o644, uid: int = 0, gid: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        if path.is_symlink():
            path.unlink()
    path.write_text(text, encoding="utf-8")
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def rm_tree(path: Path) -> None:
    """rm -rf that never crosses into a mounted file system (everything below is unmounted first)."""
    if not path.exists() and not path.is_symlink():
        return
    unmount_below(path)
    run(["rm", "-rf", "--one-file-system", str(path)])


def mounts_below(path: Path) -> list[str]:
    prefix = str(path).rstrip("/")
    out: list[str] = []
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:
        for line in fh:
            mp = line.split()[4].encode().decode("unicode_escape")
            if mp == prefix or mp.startswith(prefix + "/"):
                out.append(mp)
    return out


def unmount_below(path: Path) -> None:
    for _ in range(10):
        mps = mounts_below(path)
        if not mps:
            return
        for mp in sorted(mps, key=len, reverse=True):
            if run(["umount", mp], check=False).returncode != 0:
                run(["umount", "-l", mp], check=False)
    if mounts_below(path):
        raise LabError(f"cannot unmount {mounts_below(path)}")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def archive_host() -> str:
    return urlparse(MIRROR).hostname or "deb.debian.org"


def archive_address() -> str:
    env = os.environ.get("DUCK_LAB_ARCHIVE_IP")
    if env:
        return str(ipaddress.IPv4Address(env))
    res = run(["getent", "ahostsv4", archive_host()], check=False)
    if res.returncode != 0 or not res.stdout.split():
        raise LabError(f"cannot resolve {archive_host()} on this machine (set DUCK_LAB_ARCHIVE_IP)")
    return res.stdout.split()[0]


# ---------------------------------------------------------------------------------------------------------
# rootfs cache
# ---------------------------------------------------------------------------------------------------------
SSH_HOSTKEYS_UNIT = """\
[Unit]
Description=Generate this lab host's SSH host keys (first boot)
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key
ExecStart=/usr/bin/ssh-keygen -q -t ecdsa -N "" -f /etc/ssh/ssh_host_ecdsa_key

[Install]
WantedBy=multi-user.target
"""

SSHD_LAB_CONF = """\
# Lab bootstrap (lab/labctl.py); the common role manages sshd_config for real.
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_ecdsa_key
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
"""


def _customize_rootfs(root: Path) -> None:
    """Turn a debootstrap tree into the shared, host-independent lab image."""

    def chroot(*args: str) -> None:
        run(["chroot", str(root), *args], env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"})

    chroot("useradd", "--create-home", "--shell", "/bin/bash", "--comment", "lab admin", ADMIN_USER)
    chroot("usermod", "-p", "*", ADMIN_USER)  # no password, but not "locked" (key login works)
    write(root / "etc/sudoers.d" / ADMIN_USER, f"{ADMIN_USER} ALL=(ALL:ALL) NOPASSWD: ALL\n", 0o440)
    write(root / "etc/ssh/sshd_config.d/00-lab.conf", SSHD_LAB_CONF)
    for key in (root / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    write(root / "etc/systemd/system/lab-ssh-hostkeys.service", SSH_HOSTKEYS_UNIT)
    run(["systemctl", f"--root={root}", "enable", "systemd-networkd.service", "lab-ssh-hostkeys.service"])
    # first boot must never prompt; no getty on a read-only console
    run(["systemctl", f"--root={root}", "mask", "systemd-firstboot.service", "console-getty.service"])
    write(root / "etc/machine-id", "")
    dbus_id = root / "var/lib/dbus/machine-id"
    if dbus_id.exists() and not dbus_id.is_symlink():
        dbus_id.unlink()
    # no DNS in the lab: names come from /etc/hosts; an empty resolv.conf fails fast (127.0.0.1)
    write(root / "etc/resolv.conf", "# lab hosts have no DNS: names are in /etc/hosts\n")
    for f in ("etc/hostname", "etc/hosts"):
        (root / f).unlink(missing_ok=True)
    shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
    (root / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)


def recipe_hash() -> str:
    recipe = {
        "suite": SUITE,
        "mirror": MIRROR,
        "packages": PACKAGES,
        "customize": ast.dump(ast.parse(textwrap.dedent(inspect.getsource(_customize_rootfs)))),
    }
    recipe["units"] = SSH_HOSTKEYS_UNIT + SSHD_LAB_CONF
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:16]


def ensure_rootfs() -> Path:
    digest = recipe_hash()
    final = CACHE_DIR / f"rootfs-{digest}"
    if (final / "usr/lib/systemd/systemd").exists():
        return final
    with flock(CACHE_DIR / ".build.lock"):
        if (final / "usr/lib/systemd/systemd").exists():
            return final
        tmp = CACHE_DIR / f".tmp-rootfs-{digest}"
        rm_tree(tmp)
        logf = CACHE_DIR / f"rootfs-{digest}.log"
        log(f"building the lab rootfs (once per machine, ~1 min) into {final} (log: {logf})")
        t0 = time.monotonic()
        cmd = ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE, str(tmp), MIRROR]
        with logf.open("w") as fh:
            res = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False)
        if res.returncode != 0:
            unmount_below(tmp)
            tail = logf.read_text(errors="replace")[-3000:]
            raise LabError(f"debootstrap failed ({res.returncode}); tail of {logf}:\n{tail}")
        unmount_below(tmp)
        _customize_rootfs(tmp)
        tmp.rename(final)
        log(f"rootfs built in {time.monotonic() - t0:.0f} s")
        _prune_rootfs(keep=final)
    return final


def _prune_rootfs(keep: Path) -> None:
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:
        mountinfo = fh.read()
    for old in CACHE_DIR.glob("rootfs-*"):
        if old.is_dir() and old != keep and str(old) not in mountinfo:
            log(f"removing old rootfs {old}")
            rm_tree(old)
            old.with_suffix(".log").unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------------
# Containers
# ---------------------------------------------------------------------------------------------------------
def ensure_ssh_key(lab: Lab) -> None:
    if lab.key.exists():
        return
    lab.key.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(lab.key.parent, 0o700)
    run(
        [
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            f"psych-duck-lab-{lab.name}",
            "-f",
            str(lab.key),
        ]
    )


def stray_inits(lab: Lab) -> dict[str, list[int]]:
    """PID-namespace init processes of this lab's containers, found via the marker file in their root."""
    found: dict[str, list[int]] = {}
    own_ns = os.readlink("/proc/self/ns/pid")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            if os.readlink(f"/proc/{pid}/ns/pid") == own_ns:
                continue
            status = Path(f"/proc/{pid}/status").read_text()
            nspid = re.search(r"^NSpid:\s+(.*)$", status, re.M)
            if not nspid or nspid.group(1).split()[-1] != "1":
                continue
            marker = Path(f"/proc/{pid}/root/{MARKER}").read_text().split()
        except OSError:
            continue
        if len(marker) == 2 and marker[0] == lab.name:
            found.setdefault(marker[1], []).append(pid)
    return found


def cgroup_roots() -> list[Path]:
    """The hierarchies systemd-nspawn uses: cgroup2 (unified) and the v1 name=systemd one (hybrid hosts)."""
    roots: list[Path] = []
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:
        for line in fh:
            left, right = line.split(" - ", 1)
            fstype, _src, opts = right.split()[:3]
            mp = Path(left.split()[4])
            if fstype == "cgroup2" or (fstype == "cgroup" and "name=systemd" in opts.split(",")):
                roots.append(mp)
    return roots


def host_leftovers(lab: Lab) -> list[str]:
    """What of this lab's hosts is still on the machine: bridge, mounts, nspawn processes, container inits,
    cgroups (empty after a clean ``down``; callers add what else they own, e.g. routes or firewall rules)."""
    found: list[str] = []
    if link_exists(lab.bridge):
        found.append(f"bridge {lab.bridge}")
    found += [f"mount {m}" for m in mounts_below(lab.hosts_dir)]
    for host in lab.hosts:
        pid = read_pid(lab.hosts_dir / host.name / "nspawn.pid")
        if pid and pid_alive(pid):
            found.append(f"nspawn pid {pid} ({host.name})")
    found += [f"container init {pids} ({h})" for h, pids in stray_inits(lab).items()]
    for root in cgroup_roots():
        if (root / CGROUP_BASE / lab.name).exists():
            found.append(f"cgroup {root / CGROUP_BASE / lab.name}")
    return found


def host_cgroups(lab: Lab, host_name: str) -> list[Path]:
    """Each host gets its own cgroup subtree: nspawn --keep-unit puts payload/supervisor below it."""
    return [r / CGROUP_BASE / lab.name / host_name for r in cgroup_roots()]


def _enter_cgroups(paths: list[Path]) -> None:
    for cg in paths:
        (cg / "cgroup.procs").write_text("0\n")


def cgroup_kill(lab: Lab, host_name: str) -> None:
    """Kill every process of a host via its cgroups, then remove the (empty) cgroups."""
    cgs = host_cgroups(lab, host_name)
    for cg in cgs:
        if (cg / "cgroup.kill").exists():
            with contextlib.suppress(OSError):
                (cg / "cgroup.kill").write_text("1\n")
    deadline = time.monotonic() + 10
    for cg in cgs:
        if not cg.exists():
            continue
        while time.monotonic() < deadline:
            pids = [int(p) for sub in cg.rglob("cgroup.procs") for p in sub.read_text().split()]
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)
        rmdir_cgroup(cg)


def rmdir_cgroup(cg: Path, prune_parents: bool = True) -> None:
    if not cg.is_dir():
        return
    for sub in sorted((d for d in cg.rglob("*") if d.is_dir()), key=lambda d: len(d.parts), reverse=True):
        with contextlib.suppress(OSError):
            sub.rmdir()
    with contextlib.suppress(OSError):
        cg.rmdir()
    for parent in (cg.parent, cg.parent.parent) if prune_parents else ():  # <base>/<lab>, <base>
        with contextlib.suppress(OSError):
            parent.rmdir()


def _remove_legacy_cgroups() -> None:
    """Early labctl versions let nspawn use /payload and /supervisor at the root: remove them once empty."""
    roots = cgroup_roots()
    unified = [r for r in roots if (r / "cgroup.controllers").exists()]
    for name in ("payload", "supervisor"):
        events = [u / name / "cgroup.events" for u in unified]
        if not events or not all(e.exists() and "populated 0" in e.read_text() for e in events):
            continue
        for root in roots:
            rmdir_cgroup(root / name, prune_parents=False)


def host_running(lab: Lab, host: Host, inits: dict[str, list[int]]) -> bool:
    pid = read_pid(lab.hosts_dir / host.name / "nspawn.pid")
    return (
        pid is not None
        and pid_alive(pid)
        and f"--machine={lab.machine(host)}" in cmdline(pid)
        and bool(inits.get(host.name))
    )


def kill_hosts(lab: Lab, names: list[str], inits: dict[str, list[int]]) -> None:
    """SIGKILL everything of these hosts at once (nspawn, container init, cgroups), then clean the cgroups."""
    victims: list[int] = []
    for name in names:
        pid = read_pid(lab.hosts_dir / name / "nspawn.pid")
        victims += inits.get(name, [])
        if pid and pid_alive(pid) and f"--machine={lab.name}-{name}" in cmdline(pid):
            victims.append(pid)
        for cg in host_cgroups(lab, name):
            if (cg / "cgroup.kill").exists():
                with contextlib.suppress(OSError):
                    (cg / "cgroup.kill").write_text("1\n")
    for p in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGKILL)
    _wait_gone(victims, 10)
    for name in names:
        cgroup_kill(lab, name)


def _wait_gone(pids: list[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(pid_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return not any(pid_alive(p) for p in pids)


def destroy_host_dir(lab: Lab, host: Host) -> None:
    hdir = lab.hosts_dir / host.name
    rm_tree(hdir)


def etc_hosts(lab: Lab, archive_ip: str) -> str:
    lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", ""]
    lines += [f"{h.address}\t{h.name}" for h in lab.hosts]
    names = sorted({archive_host(), "deb.debian.org", "security.debian.org"})
    lines += ["", "# the Debian archive (the only address outside the lab that guests may reach: tcp/80)"]
    lines.append(f"{archive_ip}\t{' '.join(names)}")
    return "\n".join(lines) + "\n"


def create_host(lab: Lab, host: Host, rootfs: Path, archive_ip: str, pubkey: str) -> None:
    hdir = lab.hosts_dir / host.name
    upper, work, merged = hdir / "upper", hdir / "work", hdir / "merged"
    for d in (upper, work, merged):
        d.mkdir(parents=True, exist_ok=True)
    run(["mount", "-t", "overlay", f"lab-{lab.machine(host)}", "-o",
         f"lowerdir={rootfs},upperdir={upper},workdir={work}", str(merged)])  # fmt: skip
    (hdir / "rootfs").write_text(str(rootfs) + "\n")
    write(merged / MARKER, f"{lab.name} {host.name}\n")
    write(merged / "etc/hostname", host.name + "\n")
    write(merged / "etc/hosts", etc_hosts(lab, archive_ip))
    mirror_base = MIRROR.rsplit("/", 1)[0]
    write(
        merged / "etc/apt/sources.list",
        f"deb {MIRROR} {SUITE} main\ndeb {MIRROR} {SUITE}-updates main\n"
        f"deb {mirror_base}/debian-security {SUITE}-security main\n",
    )
    write(
        merged / "etc/systemd/network/10-lab.network",
        "[Match]\nName=host0\n\n[Network]\n"
        f"Address={host.address}/{lab.subnet.prefixlen}\nGateway={lab.gateway}\n"
        "LinkLocalAddressing=no\nIPv6AcceptRA=no\n",
    )
    pw = {}
    for line in (merged / "etc/passwd").read_text().splitlines():
        parts = line.split(":")
        pw[parts[0]] = (int(parts[2]), int(parts[3]))
    uid, gid = pw[ADMIN_USER]
    sshdir = merged / "home" / ADMIN_USER / ".ssh"
    sshdir.mkdir(mode=0o700, exist_ok=True)
    os.chown(sshdir, uid, gid)
    write(sshdir / "authorized_keys", pubkey, 0o600, uid, gid)


def boot_host(lab: Lab, host: Host) -> int:
    hdir = lab.hosts_dir / host.name
    cmd = [
        "systemd-nspawn", "--boot", "-D", str(hdir / "merged"),
        f"--machine={lab.machine(host)}", f"--hostname={host.name}", f"--network-bridge={lab.bridge}",
        "--register=no", "--keep-unit", "--console=read-only",
        "--resolv-conf=off", "--timezone=off", "--link-journal=no",
    ]  # fmt: skip
    cgs = host_cgroups(lab, host.name)
    for cg in cgs:
        cg.mkdir(parents=True, exist_ok=True)
    with (hdir / "console.log").open("ab") as logf:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=logf,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: _enter_cgroups(cgs),  # noqa: PLW1509 - no threads run at this point
        )
    (hdir / "nspawn.pid").write_text(f"{proc.pid}\n")
    return proc.pid


def ssh_banner(address: str, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((address, 22), timeout=timeout) as s:
            s.settimeout(timeout)
            return s.recv(64).startswith(b"SSH-")
    except OSError:
        return False


def wait_ssh(lab: Lab, hosts: list[Host], pids: dict[str, int]) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT
    pending = {h.name: h for h in hosts}
    while pending and time.monotonic() < deadline:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(pending)) as ex:
            ok = dict(
                zip(pending, ex.map(lambda h: ssh_banner(h.address, 0.5), pending.values()), strict=True)
            )
        for name, good in ok.items():
            if good:
                del pending[name]
            elif name in pids and not pid_alive(pids[name]):
                tail = (lab.hosts_dir / name / "console.log").read_text(errors="replace")[-2000:]
                raise LabError(f"{name}: systemd-nspawn exited during boot; console:\n{tail}")
        if pending:
            time.sleep(0.2)
    if pending:
        raise LabError(f"sshd did not answer within {BOOT_TIMEOUT:.0f} s on: {', '.join(sorted(pending))}")


# ---------------------------------------------------------------------------------------------------------
# Network: bridge, blackhole route, iptables chains, ip_forward
# ---------------------------------------------------------------------------------------------------------
def link_exists(name: str) -> bool:
    return Path(f"/sys/class/net/{name}").exists()


def ensure_bridge(lab: Lab) -> None:
    if not link_exists(lab.bridge):
        run(
            [
                "ip",
                "link",
                "add",
                "name",
                lab.bridge,
                "type",
                "bridge",
                "stp_state",
                "0",
                "forward_delay",
                "0",
            ]
        )
    v6 = Path(f"/proc/sys/net/ipv6/conf/{lab.bridge}/disable_ipv6")
    if v6.exists():
        v6.write_text("1\n")
    cidr = f"{lab.gateway}/{lab.subnet.prefixlen}"
    have = run(["ip", "-4", "-o", "addr", "show", "dev", lab.bridge]).stdout
    if f" {cidr} " not in have:
        run(["ip", "addr", "add", cidr, "dev", lab.bridge])
    run(["ip", "link", "set", lab.bridge, "up"])


def ensure_blackhole(lab: Lab) -> None:
    have = run(["ip", "-4", "route", "show", "type", "blackhole", "exact", str(lab.subnet)]).stdout
    if f"metric {BLACKHOLE_METRIC}" not in have:
        run(["ip", "route", "add", "blackhole", str(lab.subnet), "metric", str(BLACKHOLE_METRIC)])


def remove_blackhole(lab: Lab) -> None:
    while run(["ip", "-4", "route", "show", "type", "blackhole", "exact", str(lab.subnet)]).stdout.strip():
        if run(["ip", "route", "del", "blackhole", str(lab.subnet)], check=False).returncode != 0:
            break


def _ipt(table: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(["iptables", "-w", "-t", table, *args], check=check)


JUMPS = (("filter", "FORWARD", "FWD"), ("filter", "INPUT", "IN"), ("nat", "POSTROUTING", "NAT"))


def ensure_iptables(lab: Lab, archive_ip: str) -> None:
    """Own named chains per lab, (re)filled atomically; one jump each from the built-in chains."""
    br, net, c = lab.bridge, str(lab.subnet), lab.chain
    reject = ["-j", "REJECT", "--reject-with", "icmp-admin-prohibited"]
    fwd = [
        ["-i", br, "-o", br, "-j", "ACCEPT"],  # inside the lab (bridge-nf-call-iptables may be on)
        ["-i", br, "-s", net, "-d", f"{archive_ip}/32", "-p", "tcp", "--dport", "80", "-j", "ACCEPT"],
        ["-o", br, "-d", net, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
        ["-i", br, *reject],  # everything else from the lab: refused here, never leaves the machine
        ["-s", net, *reject],
        ["-o", br, "-j", "DROP"],
        ["-d", net, "-j", "DROP"],
    ]
    inp = [
        ["-i", br, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
        ["-i", br, "-p", "icmp", "-j", "ACCEPT"],
        ["-i", br, *reject],
    ]
    nat = [["-s", net, "-d", f"{archive_ip}/32", "-p", "tcp", "--dport", "80", "-j", "MASQUERADE"]]
    lines = ["*filter", f":{c}-FWD - [0:0]", f":{c}-IN - [0:0]"]
    lines += [" ".join(["-A", f"{c}-FWD", *r]) for r in fwd] + [" ".join(["-A", f"{c}-IN", *r]) for r in inp]
    lines += (
        ["COMMIT", "*nat", f":{c}-NAT - [0:0]"] + [" ".join(["-A", f"{c}-NAT", *r]) for r in nat] + ["COMMIT"]
    )
    run(["iptables-restore", "-w", "--noflush"], input="\n".join(lines) + "\n")
    for table, builtin, suffix in JUMPS:
        if _ipt(table, "-C", builtin, "-j", f"{c}-{suffix}", check=False).returncode != 0:
            _ipt(table, "-I", builtin, "1", "-j", f"{c}-{suffix}")


def remove_iptables(lab: Lab) -> None:
    for table, builtin, suffix in JUMPS:
        chain = f"{lab.chain}-{suffix}"
        while _ipt(table, "-D", builtin, "-j", chain, check=False).returncode == 0:
            pass
        if _ipt(table, "-n", "-L", chain, check=False).returncode == 0:
            _ipt(table, "-F", chain)
            _ipt(table, "-X", chain)


def _active_dir() -> Path:
    return GLOBAL_DIR / ".active"


def register_active(lab: Lab) -> None:
    """ip_forward is machine-wide: remember the original value when the first lab comes up."""
    orig = GLOBAL_DIR / ".ip_forward.orig"
    fwd = Path("/proc/sys/net/ipv4/ip_forward")
    _active_dir().mkdir(parents=True, exist_ok=True)
    others = [p for p in _active_dir().iterdir() if p.name != lab.name and link_exists(p.read_text().strip())]
    if not others and not orig.exists():
        orig.write_text(fwd.read_text())
    (_active_dir() / lab.name).write_text(lab.bridge + "\n")
    fwd.write_text("1\n")
    # Every booted host's systemd takes inotify instances from the machine-wide per-user limit (128 by
    # default): with two labs up, containers failed to start ("Too many open files"). Only ever raised.
    inotify = Path("/proc/sys/fs/inotify/max_user_instances")
    if int(inotify.read_text()) < INOTIFY_INSTANCES:
        inotify.write_text(f"{INOTIFY_INSTANCES}\n")


def unregister_active(lab: Lab) -> None:
    (_active_dir() / lab.name).unlink(missing_ok=True)
    others = []
    if _active_dir().exists():
        for p in _active_dir().iterdir():
            if link_exists(p.read_text().strip()):
                others.append(p.name)
            else:
                p.unlink()  # a lab whose bridge is gone is not active
    if others:
        log(f"ip_forward stays on: other labs still up ({', '.join(others)})")
        return
    orig = GLOBAL_DIR / ".ip_forward.orig"
    if orig.exists():
        Path("/proc/sys/net/ipv4/ip_forward").write_text(orig.read_text())
        orig.unlink()
    with contextlib.suppress(OSError):
        _active_dir().rmdir()


# ---------------------------------------------------------------------------------------------------------
# Client connections to the lab (SSH ControlPersist masters first)
# ---------------------------------------------------------------------------------------------------------
def _tcp_inodes_to(net: ipaddress.IPv4Network) -> set[str]:
    inodes: set[str] = set()
    for tab in ("/proc/net/tcp",):
        with open(tab, encoding="ascii") as fh:
            next(fh)
            for line in fh:
                parts = line.split()
                rem_hex = parts[2].split(":")[0]
                rem = ipaddress.IPv4Address(bytes.fromhex(rem_hex)[::-1])
                if rem in net and parts[3] != "06":  # skip TIME_WAIT
                    inodes.add(parts[9])
    inodes.discard("0")
    return inodes


def _pids_holding(inodes: set[str]) -> set[int]:
    pids: set[int] = set()
    if not inodes:
        return pids
    wanted = {f"socket:[{i}]" for i in inodes}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{entry}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{entry}/fd/{fd}") in wanted:
                        pids.add(int(entry))
                        break
        except OSError:
            continue
    return pids


def close_clients(lab: Lab) -> None:
    """Close SSH ControlPersist masters (any ssh client) talking to this lab, before the bridge goes."""
    pids = _pids_holding(_tcp_inodes_to(lab.subnet))
    ssh_pids = []
    for pid in pids:
        argv = cmdline(pid)
        comm = Path(f"/proc/{pid}/comm").read_text().strip() if Path(f"/proc/{pid}/comm").exists() else ""
        if comm != "ssh":
            continue
        ssh_pids.append(pid)
        m = re.match(r"ssh: (\S+) \[mux\]", argv[0] if argv else "")
        if m and Path(m.group(1)).exists():
            run(["ssh", "-o", f"ControlPath={m.group(1)}", "-O", "exit", "lab-host"], check=False, timeout=5)
    if not _wait_gone(ssh_pids, 2):
        for pid in ssh_pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        _wait_gone(ssh_pids, 2)
    if ssh_pids:
        log(f"closed {len(ssh_pids)} ssh client connection(s) to the lab")


def kill_sockets(lab: Lab) -> None:
    """Destroy any remaining TCP socket towards the lab subnet (so nothing retransmits elsewhere)."""
    if _tcp_inodes_to(lab.subnet):
        run(["ss", "-K", "-t", "dst", str(lab.subnet)], check=False)


# ---------------------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------------------
def require_root() -> None:
    if os.geteuid() != 0:
        raise LabError("run as root")


def cmd_up(lab: Lab) -> int:
    require_root()
    t0 = time.monotonic()
    rootfs = ensure_rootfs()
    t_rootfs = time.monotonic() - t0
    archive_ip = archive_address()
    lab.state_dir.mkdir(parents=True, exist_ok=True)
    with flock(lab.state_dir / ".lock"):
        ensure_ssh_key(lab)
        pubkey = lab.key.with_suffix(".pub").read_text()
        with flock(GLOBAL_DIR / ".lock"):
            ensure_iptables(lab, archive_ip)  # rules first, forwarding last
            ensure_blackhole(lab)
            ensure_bridge(lab)
            register_active(lab)
        inits = stray_inits(lab)
        keep: list[Host] = []
        start: list[Host] = []
        for h in lab.hosts:
            (keep if host_running(lab, h, inits) else start).append(h)
        kill_hosts(lab, [h.name for h in start], inits)  # whatever is left of a host not running
        for h in start:
            destroy_host_dir(lab, h)
        known = {h.name for h in lab.hosts}
        if lab.hosts_dir.exists():  # hosts removed from the inventory
            for d in lab.hosts_dir.iterdir():
                if d.name not in known:
                    kill_hosts(lab, [d.name], inits)
                    rm_tree(d)
        pids = {}
        for h in start:
            create_host(lab, h, rootfs, archive_ip, pubkey)
            pids[h.name] = boot_host(lab, h)
        wait_ssh(lab, lab.hosts, pids)
    took = time.monotonic() - t0
    log(
        f"lab {lab.name}: {len(lab.hosts)} hosts up on {lab.bridge} {lab.subnet} "
        f"({len(start)} booted, {len(keep)} already running) in {took:.1f} s"
        + (f" (rootfs {t_rootfs:.0f} s)" if t_rootfs > 1 else "")
    )
    log(f"ssh -i {lab.key} {ADMIN_USER}@<address>  |  .venv/bin/ansible -i {lab.inventory} all -m ping")
    return 0


def cmd_down(lab: Lab, purge: bool) -> int:
    require_root()
    t0 = time.monotonic()
    lab.state_dir.mkdir(parents=True, exist_ok=True)
    with flock(lab.state_dir / ".lock"):
        close_clients(lab)
        inits = stray_inits(lab)
        nspawn_pids = []
        for h in lab.hosts:
            pid = read_pid(lab.hosts_dir / h.name / "nspawn.pid")
            if pid and pid_alive(pid) and f"--machine={lab.machine(h)}" in cmdline(pid):
                os.kill(pid, signal.SIGTERM)  # nspawn turns it into an orderly poweroff of the container
                nspawn_pids.append(pid)
        all_pids = nspawn_pids + [p for ps in inits.values() for p in ps]
        if not _wait_gone(all_pids, STOP_GRACE):
            log(f"containers still running after {STOP_GRACE:.0f} s: killing them")
        inits = stray_inits(lab)
        names = {h.name for h in lab.hosts} | set(inits)
        if lab.hosts_dir.exists():
            names |= {d.name for d in lab.hosts_dir.iterdir()}
        for root in cgroup_roots():
            if (root / CGROUP_BASE / lab.name).is_dir():
                names |= {d.name for d in (root / CGROUP_BASE / lab.name).iterdir() if d.is_dir()}
        kill_hosts(lab, sorted(names), inits)
        for name in sorted(names):
            rm_tree(lab.hosts_dir / name)
        kill_sockets(lab)
        with flock(GLOBAL_DIR / ".lock"):
            if link_exists(lab.bridge):
                run(["ip", "link", "del", lab.bridge])
            unregister_active(lab)
            remove_iptables(lab)
            remove_blackhole(lab)
    _remove_legacy_cgroups()
    if purge:
        rm_tree(lab.state_dir)
    with contextlib.suppress(OSError):
        GLOBAL_DIR.rmdir()
    log(f"lab {lab.name}: down in {time.monotonic() - t0:.1f} s" + (" (state purged)" if purge else ""))
    return 0


def cmd_status(lab: Lab) -> int:
    inits = stray_inits(lab) if os.geteuid() == 0 else {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(lab.hosts)) as ex:
        sshd = list(ex.map(lambda h: ssh_banner(h.address, 0.5), lab.hosts))
    print(
        f"lab {lab.name}  bridge {lab.bridge} ({'up' if link_exists(lab.bridge) else 'absent'})  {lab.subnet}"
    )
    print(f"{'HOST':<16} {'ADDRESS':<15} {'RUNNING':<8} SSHD")
    for h, ok in zip(lab.hosts, sshd, strict=True):
        running = host_running(lab, h, inits)
        print(f"{h.name:<16} {h.address:<15} {'yes' if running else 'no':<8} {'yes' if ok else 'no'}")
    return 0


def _clone_net(lab: Lab, subnet: str) -> ipaddress.IPv4Network:
    """``--subnet`` (like 10.232.0) as a private /24 replacing the lab's /24."""
    m = re.fullmatch(r"(\d+\.\d+\.\d+)(?:\.0(?:/24)?)?", subnet)
    if not m:
        raise LabError("--subnet: like 10.232.0 (a /24)")
    new_net = ipaddress.IPv4Network(f"{m.group(1)}.0/24")
    if lab.subnet.prefixlen != 24:
        raise LabError("clone-inventory supports /24 lab subnets")
    if not new_net.is_private:
        raise LabError(f"{new_net} is not a private range")
    return new_net


def _copy_inventory(lab: Lab, dest: Path, force: bool) -> None:
    if dest.exists():
        if not force and any(dest.iterdir()):
            raise LabError(f"{dest} exists and is not empty (use --force)")
        shutil.rmtree(dest)
    shutil.copytree(
        lab.inventory, dest, symlinks=True, ignore=shutil.ignore_patterns("*.retry", "__pycache__")
    )
    # The lab overlays staging: its symlinks (group_vars/all/env.yml -> ../../../staging/...) point at
    # the repository's files. In the copy they become absolute links to the same targets, so a private lab
    # converges the repository's current staging group_vars; they are never rewritten (that would edit the
    # repository).
    for f in sorted(dest.rglob("*")):
        if f.is_symlink():
            rel = f.relative_to(dest)
            target = (lab.inventory / rel).resolve()
            if not target.exists():
                raise LabError(f"{lab.inventory / rel}: dangling symlink")
            f.unlink()
            f.symlink_to(target)


def _readdress(dest: Path, old_net: ipaddress.IPv4Network, new_net: ipaddress.IPv4Network) -> None:
    """Every address of the old /24 in the copy's own text files moved to the new /24."""
    old_prefix = str(old_net.network_address).rsplit(".", 1)[0] + "."
    new_prefix = str(new_net.network_address).rsplit(".", 1)[0] + "."
    addr_re = re.compile(re.escape(old_prefix) + r"(?=\d)")
    for f in dest.rglob("*"):
        if f.is_symlink() or not f.is_file():
            continue
        try:
            text = f.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = addr_re.sub(new_prefix, text)
        if new != text:
            f.write_text(new, encoding="utf-8")


def _rename_lab(dest: Path, name: str) -> None:
    """lab_name and lab_bridge in the copy's own group_vars/all file that defines them."""
    labyml = next(
        (
            p
            for p in (dest / "group_vars/all").glob("*.yml")
            if not p.is_symlink() and "lab_name:" in p.read_text()
        ),
        None,
    )
    if labyml is None:
        raise LabError("no group_vars/all file defines lab_name")
    text = labyml.read_text()
    bridge = f"{name}br0"[:15]
    text = re.sub(r"(?m)^lab_name:.*$", f"lab_name: {name}", text)
    text = re.sub(r"(?m)^lab_bridge:.*$", f"lab_bridge: {bridge}", text)
    labyml.write_text(text)


def cmd_clone(lab: Lab, name: str, subnet: str, dest: Path, force: bool) -> int:
    if not re.fullmatch(r"[a-z][a-z0-9]{0,11}", name):
        raise LabError("--name: 1-12 lowercase letters/digits")
    new_net = _clone_net(lab, subnet)
    dest = dest.resolve()
    _copy_inventory(lab, dest, force)
    _readdress(dest, lab.subnet, new_net)
    _rename_lab(dest, name)
    cloned = load_lab(dest)
    if cloned.subnet != new_net or cloned.gateway not in new_net:
        raise LabError(f"clone check failed: {cloned.subnet} {cloned.gateway}")
    print(
        f"wrote {dest}: lab {cloned.name}, bridge {cloned.bridge}, {cloned.subnet}, "
        f"{len(cloned.hosts)} hosts, state in {cloned.state_dir}\n"
        f"  up:   .venv/bin/python lab/labctl.py -i {dest} up\n"
        f"  use:  .venv/bin/ansible-playbook -i {dest} playbooks/site.yml\n"
        f"  test: DUCK_LAB_INVENTORY={dest} .venv/bin/pytest tests/lab\n"
        f"  down: .venv/bin/python lab/labctl.py -i {dest} down"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="labctl.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument(
        "-i",
        "--inventory",
        type=Path,
        default=Path(os.environ.get("DUCK_LAB_INVENTORY", str(DEFAULT_INVENTORY))),
        help="inventory directory (default: $DUCK_LAB_INVENTORY or inventories/lab)",
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("up", help="create and boot every host, wait for sshd")
    down = sub.add_parser("down", help="remove everything the lab created on this machine")
    down.add_argument("--purge", action="store_true", help="also wipe the state dir (SSH key, secrets, CA)")
    sub.add_parser("status", help="table of hosts")
    sub.add_parser("rootfs", help="build the shared rootfs cache only")
    sub.add_parser("show", help="print the lab definition as JSON")
    clone = sub.add_parser(
        "clone-inventory", help="copy the inventory for another lab (name, bridge, subnet)"
    )
    clone.add_argument("--name", required=True)
    clone.add_argument("--subnet", required=True, help="first three octets of a /24, e.g. 10.232.0")
    clone.add_argument("--dest", required=True, type=Path)
    clone.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "rootfs":
            require_root()
            print(ensure_rootfs())
            return 0
        lab = load_lab(args.inventory)
        if args.cmd == "up":
            return cmd_up(lab)
        if args.cmd == "down":
            return cmd_down(lab, args.purge)
        if args.cmd == "status":
            return cmd_status(lab)
        if args.cmd == "show":
            data = {
                "name": lab.name,
                "bridge": lab.bridge,
                "subnet": str(lab.subnet),
                "gateway": str(lab.gateway),
                "state_dir": str(lab.state_dir),
                "key": str(lab.key),
                "hosts": {h.name: h.address for h in lab.hosts},
            }
            print(json.dumps(data, indent=2))
            return 0
        return cmd_clone(lab, args.name, args.subnet, args.dest, args.force)
    except LabError as exc:
        log(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
