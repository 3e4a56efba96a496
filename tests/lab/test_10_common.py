"""Role common on the lab: converges, is idempotent and --check safe, and its promises hold on the hosts."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.helpers import (
    Lab,
    PlaybookResult,
    assert_converged,
    assert_idempotent,
    figure,
    on_all_hosts,
    probe,
    ssh_argv,
)

PLAYBOOK = "playbooks/common.yml"


def one_host(lab: Lab) -> str:
    return sorted(lab.hosts)[0]


def test_check_mode_is_safe_before_the_first_run(lab: Lab) -> None:
    # runs before common_converged is first used: fresh hosts (nothing installed yet)
    result = lab.playbook(PLAYBOOK, check=True, diff=True, limit=one_host(lab))
    assert_converged(result)


def test_common_converges(lab: Lab, common_converged: PlaybookResult) -> None:
    assert set(common_converged.recap) == set(lab.hosts)
    figure(f"common converged on {len(lab.hosts)} hosts: {common_converged.summary()}")


def test_second_run_changes_nothing(lab: Lab, common_converged: PlaybookResult) -> None:
    result = assert_idempotent(PLAYBOOK, lab.inventory)
    figure(f"common second run: {result.summary()}")


def test_check_diff_after_converge_reports_nothing(lab: Lab, common_converged: PlaybookResult) -> None:
    assert_idempotent(PLAYBOOK, lab.inventory, check=True, diff=True, limit=one_host(lab))


def test_sshd_is_key_only(lab: Lab, common_converged: PlaybookResult) -> None:
    host = sorted(lab.hosts)[0]
    addr = lab.hosts[host]
    opts = ("PreferredAuthentications=password,keyboard-interactive", "PubkeyAuthentication=no")
    proc = subprocess.run(
        [*ssh_argv(lab.key, addr, *opts), "true"], text=True, capture_output=True, check=False
    )
    assert proc.returncode == 255
    assert "Permission denied (publickey)" in proc.stderr, proc.stderr
    effective = lab.sh(host, "sshd -T").stdout.lower().splitlines()
    for line in (
        "passwordauthentication no",
        "kbdinteractiveauthentication no",
        "permitrootlogin no",
        "authenticationmethods publickey",
        "x11forwarding no",
    ):
        assert line in effective, line


def test_firewall_default_deny(lab: Lab, common_converged: PlaybookResult) -> None:
    res = on_all_hosts(
        lab, lambda h: lab.sh(h, "systemctl is-active nftables; nft list chain inet duck input").stdout
    )
    for host, out in res.items():
        assert out.startswith("active"), (host, out)
        assert "policy drop;" in out, (host, out)
        assert f"tcp dport 22 ip saddr {lab.gateway} accept" in out, (host, out)


@pytest.fixture
def listener(lab: Lab, common_converged: PlaybookResult) -> Iterator[tuple[str, int]]:
    host, port = sorted(lab.group("app") or lab.hosts)[0], 18080
    lab.sh(host, f"systemd-run --unit=duck-test-listener --collect python3 -m http.server {port}")
    lab.sh(
        host,
        f"for i in $(seq 50); do ss -Htln 'sport = :{port}' | grep -q . && exit 0; sleep 0.1; done; exit 1",
    )
    yield host, port
    lab.sh(host, "systemctl stop duck-test-listener", check=False)
    lab.sh(host, "rm -f /etc/nftables.d/duck-test.nft && nft -f /etc/nftables.conf", check=False)


def _open_playbook(tmp_path: Path, host: str, rules: str, state: str = "present") -> Path:
    play = tmp_path / f"open-{state}.yml"
    play.write_text(
        f"""---
- name: Open a test port
  hosts: {host}
  become: true
  gather_facts: false
  tasks:
    - name: Open it
      ansible.builtin.include_role:
        name: common
        tasks_from: firewall_open
      vars:
        common_firewall_open_name: duck-test
        common_firewall_open_state: {state}
        common_firewall_open_rules: {rules}
"""
    )
    return play


def test_firewall_open_snippet(lab: Lab, listener: tuple[str, int], tmp_path: Path) -> None:
    host, port = listener
    addr = lab.hosts[host]
    client, other = [h for h in sorted(lab.hosts) if h != host][:2]
    # not opened: dropped (no answer at all)
    assert probe(lab, client, [(addr, port)], timeout=1.5)[0][2] == "timeout"

    rules = f'[{{port: {port}, proto: tcp, sources: ["{lab.hosts[client]}"]}}]'
    opened = lab.playbook(_open_playbook(tmp_path, host, rules))
    assert_converged(opened)
    assert opened.changed >= 1
    assert probe(lab, client, [(addr, port)])[0][2] == "open"
    assert probe(lab, other, [(addr, port)], timeout=1.5)[0][2] == "timeout", "source restriction ignored"
    assert_idempotent(_open_playbook(tmp_path, host, rules), lab.inventory)

    # an invalid rule is refused by the whole-ruleset check and changes nothing
    bad = lab.playbook(_open_playbook(tmp_path, host, f'[{{port: {port}, sources: ["10.0.0.0/99"]}}]'))
    assert bad.rc != 0
    assert probe(lab, client, [(addr, port)])[0][2] == "open"

    closed = lab.playbook(_open_playbook(tmp_path, host, "[]", state="absent"))
    assert_converged(closed)
    assert probe(lab, client, [(addr, port)], timeout=1.5)[0][2] == "timeout"

    # a host where role common never ran (no whole-ruleset checker) is refused with the fix in the message
    lab.sh(host, "mv /usr/local/sbin/duck-nft-check /usr/local/sbin/duck-nft-check.away")
    try:
        early = lab.playbook(_open_playbook(tmp_path, host, rules))
    finally:
        lab.sh(host, "mv /usr/local/sbin/duck-nft-check.away /usr/local/sbin/duck-nft-check")
    assert early.rc != 0
    assert "apply role common" in early.output, early.output[-2000:]
    assert lab.sh(host, "test -e /etc/nftables.d/duck-test.nft", check=False).returncode != 0
    assert probe(lab, client, [(addr, port)], timeout=1.5)[0][2] == "timeout"


def test_journald_is_persistent_with_limits(lab: Lab, common_converged: PlaybookResult) -> None:
    host = sorted(lab.hosts)[0]
    out = lab.sh(
        host,
        "systemd-analyze cat-config systemd/journald.conf | grep -E '^(Storage|SystemMaxUse)='; "
        "ls /var/log/journal/$(cat /etc/machine-id)/",
    ).stdout
    assert "Storage=persistent" in out and "SystemMaxUse=" in out
    assert "system.journal" in out


def test_time_locale_sysctl_logrotate_upgrades(lab: Lab, common_converged: PlaybookResult) -> None:
    host = sorted(lab.hosts)[0]
    sh = lambda cmd: lab.sh(host, cmd).stdout.strip()  # noqa: E731
    assert sh("readlink /etc/localtime").endswith("zoneinfo/Etc/UTC")
    assert sh("cat /etc/timezone") == "Etc/UTC"
    assert "LANG=C.UTF-8" in sh("cat /etc/default/locale")
    # time sync is not applicable in a container: installed and enabled, skipped by its unit condition
    assert sh("systemctl is-enabled systemd-timesyncd") == "enabled"
    assert sh("sysctl -n net.ipv4.conf.all.accept_redirects net.ipv4.tcp_syncookies").split() == ["0", "1"]
    assert "kernel.kptr_restrict" not in sh("cat /etc/sysctl.d/60-duck.conf")  # refused in a container
    lab.sh(host, "logrotate --debug /etc/logrotate.conf")
    dump = sh("apt-config dump")
    assert "Debian-Security" in dump
    assert 'APT::Periodic::Unattended-Upgrade "0"' in dump  # the lab: no daily apt runs mid-test
    assert sh("dpkg-query -W -f='${Status}' unattended-upgrades") == "install ok installed"
