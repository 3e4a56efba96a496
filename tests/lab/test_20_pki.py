"""Role pki on the lab: CA on the controller, a key + certificate per host, idempotent, --check safe."""

from __future__ import annotations

import pytest

from tests.lab.helpers import Lab, PlaybookResult, assert_idempotent, figure, on_all_hosts

PLAYBOOK = "playbooks/pki.yml"


@pytest.fixture(scope="module")
def pki(lab: Lab, common_converged: PlaybookResult) -> PlaybookResult:
    return lab.converge(PLAYBOOK)


def test_pki_converges(lab: Lab, pki: PlaybookResult) -> None:
    assert set(pki.recap) == set(lab.hosts)
    assert (lab.spec.state_dir / "pki" / "ca.key").stat().st_mode & 0o077 == 0
    figure(f"pki: {pki.summary()}")


def test_second_run_and_check_mode_change_nothing(lab: Lab, pki: PlaybookResult) -> None:
    result = assert_idempotent(PLAYBOOK, lab.inventory)
    figure(f"pki second run: {result.summary()}")
    hosts = ",".join(sorted(lab.hosts)[:2])
    assert_idempotent(PLAYBOOK, lab.inventory, check=True, diff=True, limit=hosts)


def test_every_host_has_a_valid_certificate(lab: Lab, pki: PlaybookResult) -> None:
    def inspect(host: str) -> str:
        return lab.sh(
            host,
            f"cd /etc/duck-pki && openssl verify -CAfile ca.crt {host}.crt && "
            f"openssl x509 -in {host}.crt -noout -ext subjectAltName,extendedKeyUsage && "
            f"stat -c '%a %U %G' {host}.key && "
            f"openssl x509 -in {host}.crt -noout -pubkey | sha256sum && "
            f"openssl pkey -in {host}.key -pubout | sha256sum",
        ).stdout

    for host, out in on_all_hosts(lab, inspect).items():
        lines = out.splitlines()
        assert f"{host}.crt: OK" in out, (host, out)
        assert f"DNS:{host}" in out and f"IP Address:{lab.hosts[host]}" in out, (host, out)
        assert "TLS Web Server Authentication" in out and "TLS Web Client Authentication" in out, out
        assert "640 root duck-pki" in out, (host, out)
        assert lines[-1] == lines[-2], f"{host}: key and certificate do not match"
