"""Inventories: one layout for every environment, the lab an overlay on staging, secrets as vault_* variables,
no copied role defaults, and `playbooks/check_inventory.yml` refusing what a deploy would trip on."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from app.core.config import Environment

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lab"))
import labctl

REPO = Path(__file__).resolve().parents[2]
INVENTORIES = REPO / "inventories"
SHARED = INVENTORIES / "_shared"
ENVIRONMENTS = ["dev", "test", "staging", "production"]
VENV_BIN = Path(sys.executable).parent

# Variables the lab overlay may set although staging does not: what containers on one machine need instead of
# VMs, each with its reason. Cross-role wiring (the app's database/Redis settings...) never belongs here: it
# lives in the roles' defaults, so what the lab proves holds for staging.
LAB_TWEAKS = {
    "ansible_ssh_private_key_file": "the lab's generated admin key",
    "ansible_host_key_checking": "lab hosts get new host keys at every `lab up` (the lab alone skips it)",
    "ansible_ssh_extra_args": "the same, for OpenSSH itself",
    "common_unattended_upgrades_periodic": "no daily apt run taking the dpkg lock in the middle of a test",
    "postgresql_memory_mb": "containers see the whole machine's 24 GiB",
    "postgresql_max_connections": "sized with postgresql_memory_mb",
    "app_firewall_extra_sources": "the controller (lab gateway) reaches the app hosts: gates, benchmarks",
    "nginx_ratelimit_exempt": "load tests from the controller",
    "prometheus_scrape_interval": "alert tests fire and resolve within minutes",
    "prometheus_scrape_timeout": "idem",
    "prometheus_evaluation_interval": "idem",
    "prometheus_alert_for_overrides": "idem",
    "prometheus_allowed_sources": "the lab tests query Prometheus from the controller",
    "alertmanager_group_wait": "idem (alert tests)",
    "alertmanager_group_interval": "idem",
    "alertmanager_repeat_interval": "idem",
    "alertmanager_p0_repeat_interval": "idem",
    "alertmanager_lab_receiver": "no SMS/e-mail/IM gateway: a webhook sink records every notification",
    "alertmanager_no_log": "the lab tests read the receivers' configuration",
    "exporters_blackbox_public_ca_file": "the lab's site certificate is from the internal CA",
    "grafana_enabled": "Grafana's apt repository is not reachable from the lab",
    "exporters_node_extra_args": "the containers' root file system is an overlayfs",
}
LAB_OWN_FILES = ["lab.yml", "observability.yml", "secrets.yml"]
OPTIONAL_VAULT = {"vault_app_openai_api_key", "vault_app_anthropic_api_key", "vault_app_openai_base_url"}


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text()) or {}


def groups(inventory: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}

    def walk(name: str, node: dict[str, Any] | None) -> set[str]:
        node = node or {}
        hosts = set((node.get("hosts") or {}).keys())
        for child, sub in (node.get("children") or {}).items():
            hosts |= walk(child, sub)
        out[name] = out.get(name, set()) | hosts
        return hosts

    walk("all", load(inventory / "hosts.yml")["all"])
    return out


def staging_variables() -> set[str]:
    gv = INVENTORIES / "staging/group_vars/all"
    names: set[str] = set()
    for f in ("env.yml", "vars.yml", "data_tier.yml", "vault.yml.example"):
        names |= set(load(gv / f))
    return names


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_same_groups_as_the_lab(env: str) -> None:
    lab, other = groups(INVENTORIES / "lab"), groups(INVENTORIES / env)
    assert set(other) == set(lab)
    empty = [g for g, hosts in other.items() if not hosts]
    assert not empty, f"{env}: groups without hosts: {empty}"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_one_layout_shared_defaults_in_one_place(env: str) -> None:
    gv = INVENTORIES / env / "group_vars/all"
    assert sorted(p.name for p in gv.iterdir()) == [
        "data_tier.yml",
        "env.yml",
        "vars.yml",
        "vault.yml.example",
    ]
    for name in ("vars.yml", "data_tier.yml"):
        assert (gv / name).is_symlink(), f"{env}/{name} must be the shared file, not a copy"
        assert (gv / name).resolve() == SHARED / name
    assert not (gv / "env.yml").is_symlink()


def test_the_lab_converges_stagings_own_group_vars() -> None:
    gv = INVENTORIES / "lab/group_vars/all"
    for name in ("env.yml", "vars.yml", "data_tier.yml"):
        assert (gv / name).is_symlink(), f"lab/{name} must be staging's"
        assert (gv / name).resolve() == (INVENTORIES / "staging/group_vars/all" / name).resolve()
    own = sorted(p.name for p in gv.iterdir() if not p.is_symlink())
    assert own == LAB_OWN_FILES
    # the overlay files load after staging's (group_vars files load in name order) where they override them
    assert "env.yml" < "lab.yml" and "data_tier.yml" < "lab.yml"


def test_the_lab_overlay_sets_only_what_staging_also_needs() -> None:
    gv = INVENTORIES / "lab/group_vars/all"
    staging = staging_variables()
    unexpected = {
        (f, name)
        for f in LAB_OWN_FILES
        for name in load(gv / f)
        if name not in staging and not name.startswith("lab_") and name not in LAB_TWEAKS
    }
    assert not unexpected, (
        f"the lab overlay sets variables staging does not: {sorted(unexpected)}: put cross-role wiring in "
        "the role defaults, environment values in inventories/staging, or list a lab tweak in LAB_TWEAKS"
    )
    wiring = {n for f in LAB_OWN_FILES for n in load(gv / f) if re.match(r"app_(database|redis)_", n)}
    assert not wiring


def test_lab_secrets_are_stagings_vault_entries() -> None:
    secrets = load(INVENTORIES / "lab/group_vars/all/secrets.yml")
    example = load(INVENTORIES / "staging/group_vars/all/vault.yml.example")
    assert set(secrets) == set(example)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_secrets_map_to_vault_variables(env: str) -> None:
    gv = INVENTORIES / env / "group_vars/all"
    mapping = load(gv / "vars.yml")
    example = load(gv / "vault.yml.example")
    referenced = set(re.findall(r"vault_\w+", (gv / "vars.yml").read_text()))
    assert referenced == set(example), (
        f"{env}: vars.yml and vault.yml.example differ: {referenced ^ set(example)}"
    )
    for name, value in mapping.items():
        if "vault_" in str(value):
            assert re.fullmatch(r"\{\{ vault_\w+ \}\}", value), (
                f"{name}: map it to one vault_* entry, nothing else"
            )
    for key, value in example.items():
        values = value if isinstance(value, list) else [value]
        if key in OPTIONAL_VAULT:
            assert value == "", f"{env}: {key} is optional: empty in the example"
        else:
            assert all("CHANGE-ME" in str(v) for v in values), f"{env}: {key} must be a placeholder"


def test_no_vault_file_in_clear() -> None:
    for vault in INVENTORIES.glob("*/group_vars/**/vault.yml"):
        assert vault.read_text().startswith("$ANSIBLE_VAULT;"), f"{vault} is not encrypted"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_environment_is_one_the_app_accepts(env: str) -> None:
    accepted = set(typing.get_args(Environment))
    value = load(INVENTORIES / env / "group_vars/all/env.yml")["duck_environment"]
    assert value in accepted, (
        f"{env}: duck_environment {value!r} (ENVIRONMENT) is refused by the app: {accepted}"
    )
    app_defaults = load(REPO / "roles/app/defaults/main.yml")
    assert "duck_environment" in app_defaults["app_environment"]


def test_only_production_uses_acme() -> None:
    for env in ENVIRONMENTS:
        data = load(INVENTORIES / env / "group_vars/all/env.yml")
        if env == "production":
            assert data["nginx_tls_mode"] == "acme"
            assert "@" in data["nginx_acme_email"]
        else:
            assert data.get("nginx_tls_mode", "internal") == "internal", env


def test_host_keys_are_checked_except_in_the_lab() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(REPO / "ansible.cfg")
    assert cfg.getboolean("defaults", "host_key_checking") is True
    ssh_args = cfg.get("ssh_connection", "ssh_args", fallback="")
    assert "StrictHostKeyChecking=no" not in ssh_args and "UserKnownHostsFile=/dev/null" not in ssh_args
    assert load(INVENTORIES / "lab/group_vars/all/lab.yml")["ansible_host_key_checking"] is False
    for env in ENVIRONMENTS:
        text = "".join(p.read_text() for p in (INVENTORIES / env).rglob("*.yml"))
        assert "host_key_checking" not in text and "StrictHostKeyChecking" not in text, env


def test_no_role_default_is_copied() -> None:
    """`x | default(<value>)` on a role default var copies that default; derive from the role instead."""
    names: set[str] = set()
    for f in (REPO / "roles").glob("*/defaults/main.yml"):
        names |= set(load(f))
    files = [
        *(REPO / "roles").rglob("*.yml"),
        *(REPO / "roles").rglob("*.j2"),
        *(REPO / "playbooks").rglob("*.yml"),
    ]
    copies = []
    for f in files:
        for n, line in enumerate(f.read_text().splitlines(), 1):
            # hostvars[h].x | default(...) reads another host's inventory, where role defaults never appear
            for m in re.finditer(r"(?<![\].\w])([a-z][a-z0-9_]*)\s*\|\s*default\(", line):
                if m.group(1) in names:
                    copies.append(f"{f.relative_to(REPO)}:{n}: {m.group(1)}")
    assert not copies, copies
    app = load(REPO / "roles/app/defaults/main.yml")
    assert app["app_database_password"] == "{{ postgresql_app_password }}"
    assert app["app_database_owner_password"] == "{{ postgresql_owner_password }}"
    assert app["app_redis_password"] == "{{ redis_app_password }}"


def render_env_file(**overrides: Any) -> dict[str, str]:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True)
    env.filters["comment"] = lambda text: "# " + text
    ctx: dict[str, Any] = {
        k: "x" for k in re.findall(r"\{\{ (\w+)", (REPO / "roles/app/templates/duck.env.j2").read_text())
    }
    ctx |= {
        "app_encryption_keys": ["k"],
        "app_allowed_origins": [],
        "app_forwarded_allow_ips": [],
        "app_extra_env": {},
    }
    ctx |= {"app_openai_api_key": "", "app_anthropic_api_key": "", "app_openai_base_url": ""} | overrides
    text = env.from_string((REPO / "roles/app/templates/duck.env.j2").read_text()).render(**ctx)
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))


def test_llm_keys_reach_the_app_env_file_only_when_set() -> None:
    assert not {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL"} & set(render_env_file())
    rendered = render_env_file(
        app_openai_api_key="sk-1", app_anthropic_api_key="ant-2", app_openai_base_url="https://llm.example/v1"
    )
    assert rendered["OPENAI_API_KEY"] == "sk-1"
    assert rendered["ANTHROPIC_API_KEY"] == "ant-2"
    assert rendered["OPENAI_BASE_URL"] == "https://llm.example/v1"
    shared = load(SHARED / "vars.yml")
    assert shared["app_openai_api_key"] == "{{ vault_app_openai_api_key }}"
    # only the app role writes them, in a task that never logs
    users = [p for p in (REPO / "roles").rglob("*") if p.is_file() and "app_openai_api_key" in p.read_text()]
    assert {p.relative_to(REPO).parts[1] for p in users} == {"app"}
    tasks = yaml.safe_load((REPO / "roles/app/tasks/configure.yml").read_text())
    writes = [t for t in tasks if (t.get("ansible.builtin.template") or {}).get("src") == "duck.env.j2"]
    assert writes and all(t.get("no_log") is True for t in writes)


# --- lab/labctl.py clone-inventory on the overlay ---------------------------------------------------------


def test_clone_inventory_keeps_the_overlay_on_the_repositorys_staging(tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in INVENTORIES.rglob("*") if p.is_file()}
    dest = tmp_path / "inv"
    assert labctl.cmd_clone(labctl.load_lab(INVENTORIES / "lab"), "unit", "10.239.0", dest, False) == 0
    gv = dest / "group_vars/all"
    for name in ("env.yml", "vars.yml", "data_tier.yml"):
        link = gv / name
        assert link.is_symlink() and Path(os.readlink(link)).is_absolute()
        assert link.resolve() == (INVENTORIES / "staging/group_vars/all" / name).resolve()
    assert "lab_name: unit" in (gv / "lab.yml").read_text()
    assert "10.239.0.10" in (dest / "hosts.yml").read_text()
    assert {p: p.read_bytes() for p in INVENTORIES.rglob("*") if p.is_file()} == before, (
        "the clone edited the repo"
    )
    cloned = labctl.load_lab(dest)
    assert cloned.name == "unit" and str(cloned.subnet) == "10.239.0.0/24"
    out = subprocess.run(
        [str(VENV_BIN / "ansible-inventory"), "-i", str(dest), "--host", "duck-app1"],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg")),
    )
    hostvars = yaml.safe_load(out.stdout)
    assert hostvars["duck_environment"] == "staging"  # staging's env.yml
    assert hostvars["ansible_user"] == "duckadmin"  # overridden by the lab overlay
    assert hostvars["postgresql_app_password"] == "{{ vault_postgresql_app_password }}"  # staging's vars.yml


# --- playbooks/check_inventory.yml -------------------------------------------------------------------------


def throwaway_vault(tmp_path: Path, env: str, **changes: Any) -> Path:
    out = tmp_path / "vault.yml"
    subprocess.run(
        [sys.executable, str(REPO / "playbooks/files/throwaway_vault.py"),
         str(INVENTORIES / env / "group_vars/all/vault.yml.example"), str(out)],
        check=True,
    )  # fmt: skip
    data = load(out)
    for name, value in changes.items():
        if value is None:
            del data[name]
        else:
            data[name] = value
    out.write_text(yaml.safe_dump(data))
    return out


def check(inventory: Path, vault: Path, *tags: str) -> subprocess.CompletedProcess[str]:
    args = ["--tags", ",".join(tags)] if tags else []
    playbook = REPO / "playbooks/check_inventory.yml"
    return subprocess.run(
        [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), "--check",
         "-e", f"@{vault}", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg")),
        timeout=600,
        check=False,
    )  # fmt: skip


def test_check_inventory_names_a_missing_vault_entry(tmp_path: Path) -> None:
    ok = check(INVENTORIES / "staging", throwaway_vault(tmp_path, "staging"), "shape", "vault")
    assert ok.returncode == 0, ok.stdout[-3000:]
    res = check(
        INVENTORIES / "staging", throwaway_vault(tmp_path, "staging", vault_redis_app_password=None), "vault"
    )
    assert res.returncode != 0
    assert "vault_redis_app_password not set" in res.stdout
    assert "app1.staging.psych-duck.example" in res.stdout
    assert "inventories/staging/group_vars/all/vault.yml" in res.stdout


def test_check_inventory_names_a_placeholder_left(tmp_path: Path) -> None:
    vault = throwaway_vault(tmp_path, "production", vault_grafana_admin_password="<CHANGE-ME>")
    res = check(INVENTORIES / "production", vault, "vault")
    assert res.returncode != 0
    assert "vault_grafana_admin_password still is a placeholder" in res.stdout
    assert "inventories/production/group_vars/all/vault.yml" in res.stdout


def copy_inventory(tmp_path: Path, env: str) -> Path:
    dest = tmp_path / env
    shutil.copytree(INVENTORIES / env, dest)  # symlinks followed: a standalone copy
    return dest


def test_check_inventory_refuses_duplicate_addresses_and_small_hosts(tmp_path: Path) -> None:
    inv = copy_inventory(tmp_path, "test")
    hosts = (inv / "hosts.yml").read_text()
    first, second = re.findall(r"ansible_host: (\S+)", hosts)[:2]
    (inv / "hosts.yml").write_text(hosts.replace(second, first))
    res = check(inv, throwaway_vault(tmp_path, "test"), "shape")
    assert res.returncode != 0
    assert f"share {first}" in res.stdout and "hosts.yml" in res.stdout

    inv = copy_inventory(tmp_path / "small", "test")
    env = (inv / "group_vars/all/env.yml").read_text()
    (inv / "group_vars/all/env.yml").write_text(re.sub(r"memory_gb: \d+", "memory_gb: 2", env))
    res = check(inv, throwaway_vault(tmp_path, "test"), "shape")
    assert res.returncode != 0
    assert "under seed §4.1's minimum" in res.stdout and "duck_host_size" in res.stdout
