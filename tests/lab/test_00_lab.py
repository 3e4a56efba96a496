"""The lab itself: real systemd hosts, own addresses, a flat lab network, nothing leaves the machine."""

from __future__ import annotations

import re
import subprocess
import time

from tests.lab.helpers import Lab, labctl, labctl_cmd, on_all_hosts, probe


def reject_counters(lab: Lab) -> dict[str, int]:
    """Packets refused by this lab's own REJECT rules on the controller, per chain."""
    counts = {}
    for suffix in ("FWD", "IN"):
        out = subprocess.run(
            ["iptables", "-w", "-nvx", "-L", f"{lab.spec.chain}-{suffix}"],
            text=True,
            capture_output=True,
            check=True,
        ).stdout
        counts[suffix] = sum(int(line.split()[0]) for line in out.splitlines() if " REJECT " in f" {line} ")
    return counts


def test_every_host_runs_systemd_as_pid1(lab: Lab) -> None:
    cmd = "cat /proc/1/comm; systemctl is-system-running || true"
    res = on_all_hosts(lab, lambda h: lab.sh(h, cmd).stdout)
    bad = {h: out for h, out in res.items() if out.split() != ["systemd", "running"]}
    assert not bad, f"hosts without systemd as PID 1 or not 'running': {bad}"


def test_every_host_has_its_own_identity(lab: Lab) -> None:
    cmd = (
        "hostname; ip -4 -o addr show dev host0 | awk '{print $4}'; cat /etc/machine-id; "
        "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | awk '{print $2}'"
    )
    res = on_all_hosts(lab, lambda h: lab.sh(h, cmd).stdout.split())
    for host, (hostname, cidr, machine_id, hostkey) in res.items():
        assert hostname == host
        assert cidr == f"{lab.hosts[host]}/{lab.subnet.prefixlen}"
        assert re.fullmatch(r"[0-9a-f]{32}", machine_id)
        assert hostkey.startswith("SHA256:")
    for idx, what in ((2, "machine-id"), (3, "ssh host key")):
        values = [v[idx] for v in res.values()]
        assert len(set(values)) == len(values), f"{what} shared between hosts"


def test_hosts_reach_each_other_by_name_and_address(lab: Lab) -> None:
    def check(host: str) -> list[str]:
        # ICMP: allowed by every firewall the roles set up, so this also holds on a converged lab
        targets = [t for name, addr in lab.hosts.items() if name != host for t in (name, addr)]
        loop = f"for t in {' '.join(targets)}; do ping -c1 -W2 -q $t >/dev/null 2>&1 || echo $t; done"
        return lab.sh(host, loop).stdout.split()

    failures = {h: bad for h, bad in on_all_hosts(lab, check).items() if bad}
    assert not failures, f"lab hosts that cannot reach each other: {failures}"


def test_non_lab_addresses_are_refused_at_the_controller(lab: Lab) -> None:
    archive = labctl.archive_address()
    targets = [("192.0.2.1", 80), ("1.1.1.1", 443), ("8.8.8.8", 53), (archive, 443), (archive, 22)]
    host = sorted(lab.hosts)[0]
    before = reject_counters(lab)
    results = probe(lab, host, targets)
    after = reject_counters(lab)
    for address, port, res, secs in results:
        # refused by the lab's REJECT rule (ICMP admin-prohibited -> EHOSTUNREACH), at once, never a timeout
        assert res == "EHOSTUNREACH", f"{address}:{port} from {host}: {res}"
        assert secs < 1.0, f"{address}:{port} took {secs} s to fail"
    assert after["FWD"] - before["FWD"] >= len(targets), (before, after)


def test_guests_cannot_open_connections_to_the_controller(lab: Lab) -> None:
    host = sorted(lab.hosts)[-1]
    before = reject_counters(lab)
    [(_, _, res, secs)] = probe(lab, host, [(lab.gateway, 22)])
    assert res == "EHOSTUNREACH" and secs < 1.0
    assert reject_counters(lab)["IN"] > before["IN"]


def test_debian_archive_reachable_on_tcp80_only(lab: Lab) -> None:
    host = sorted(lab.hosts)[0]
    code = (
        "import urllib.request as u;"
        "r = u.urlopen('http://deb.debian.org/debian/dists/bookworm/Release', timeout=20);"
        "print(r.status, 'Codename: bookworm' in r.read().decode())"
    )
    assert lab.python(host, code).split() == ["200", "True"]
    archive = labctl.archive_address()
    [(_, _, res80, _), (_, _, res443, _)] = probe(lab, host, [(archive, 80), (archive, 443)])
    assert (res80, res443) == ("open", "EHOSTUNREACH")


def test_up_again_leaves_running_hosts_alone(lab: Lab) -> None:
    t0 = time.monotonic()
    proc = subprocess.run(labctl_cmd(lab.inventory, "up"), text=True, capture_output=True, check=False)
    took = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    assert f"(0 booted, {len(lab.hosts)} already running)" in proc.stderr
    assert took < 10


def test_status_lists_every_host_running_with_sshd(lab: Lab) -> None:
    cmd = labctl_cmd(lab.inventory, "status")
    out = subprocess.run(cmd, text=True, capture_output=True, check=True).stdout
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:] if line.strip()}
    assert rows == {h: [addr, "yes", "yes"] for h, addr in lab.hosts.items()}


def test_ansible_ping_all(lab: Lab) -> None:
    out = lab.ansible("all", "ansible.builtin.ping")
    assert out.count("SUCCESS") == len(lab.hosts), out
