"""ACME for production (issue 12), as far as an offline lab can prove it.

`inventories/production` sets `nginx_tls_mode: acme`. On the lab's load balancer, with a certificate in
certbot's place (issuance itself needs a public ACME server, and so does `certbot renew --dry-run`: neither is
possible offline), the nginx role in acme mode installs Debian's certbot, renders a site that Nginx validates
with certbot's certificate paths, enables certbot.timer and installs the deploy hook; the hook reloads Nginx.
The lab goes back to the internal CA at the end."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from tests.lab.helpers import Lab, assert_converged

PRODUCTION_TLS = {"nginx_tls_mode": "acme", "nginx_acme_email": "hostmaster@psych-duck.example"}
HOOK = "/etc/letsencrypt/renewal-hooks/deploy/reload-nginx"


@pytest.fixture(scope="module")
def lb(lab: Lab) -> str:
    if not os.environ.get("DUCK_SITE_ASSUME_CONVERGED"):  # as in test_40_site: a lab already converged
        lab.converge("playbooks/site.yml")
    return lab.group("lb")[0]


@pytest.fixture(scope="module")
def acme(lab: Lab, lb: str) -> Iterator[str]:
    # the lab's public name (duck_public_names): the VIP, else the LB's address
    name = lab.spec.vip or lab.hosts[lb]
    live = f"/etc/letsencrypt/live/{name}"
    lbs = lab.group("lb")  # every LB serves the site (keepalived pair): each gets certbot's files
    for host in lbs:
        lab.sh(
            host,
            f"install -d -m 0755 {live} && cp /etc/duck-pki/{host}.crt {live}/fullchain.pem"
            f" && install -m 0600 /etc/duck-pki/{host}.key {live}/privkey.pem",
        )
    result = lab.playbook("playbooks/proxy.yml", extra_vars=PRODUCTION_TLS)
    assert_converged(result)
    try:
        yield live
    finally:
        for host in lbs:
            lab.sh(host, f"systemctl disable --now certbot.timer; rm -rf {live}", check=False)
        assert_converged(lab.playbook("playbooks/proxy.yml"))


def test_acme_site_uses_certbots_certificate_and_validates(lab: Lab, lb: str, acme: str) -> None:
    conf = lab.sh(lb, "cat /etc/nginx/conf.d/duck.conf").stdout
    assert f"ssl_certificate {acme}/fullchain.pem;" in conf
    assert f"ssl_certificate_key {acme}/privkey.pem;" in conf
    assert "/.well-known/acme-challenge/" in conf
    assert lab.sh(lb, "nginx -t 2>&1").returncode == 0
    assert "install ok installed" in lab.sh(lb, "dpkg-query -W -f='${Status}' certbot").stdout


def test_renewal_timer_and_hook_reload_nginx(lab: Lab, lb: str, acme: str) -> None:
    assert lab.sh(lb, "systemctl is-enabled certbot.timer").stdout.strip() == "enabled"
    assert lab.sh(lb, "systemctl is-active certbot.timer").stdout.strip() == "active"
    assert lab.sh(lb, f"stat -c %a {HOOK}").stdout.strip() == "755"

    def state() -> tuple[str, set[str]]:
        main = lab.sh(lb, "systemctl show -p MainPID --value nginx").stdout.strip()
        workers = lab.sh(lb, f"pgrep -P {main} || true").stdout.split()
        return main, set(workers)

    main, workers = state()
    lab.sh(lb, HOOK)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        new_main, new_workers = state()
        if new_workers and not new_workers & workers:
            break
        time.sleep(0.5)
    assert new_main == main, "the hook restarted Nginx instead of reloading it"
    assert new_workers and not new_workers & workers, "the hook did not reload Nginx (same workers)"
