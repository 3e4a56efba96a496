"""Alert rules and monitoring configs, checked offline with Prometheus' own tools.

* the rule template of roles/prometheus is rendered with the role defaults (and with the lab overrides)
  and must pass `promtool check rules`;
* `promtool test rules` runs tests/unit/promtool/duck_rules_test.yml against it (one or more cases per alert);
* every alert has a severity P0..P3, and every alert the issue asks for exists with the right severity;
* prometheus.yml and alertmanager.yml are rendered by Ansible from the roles' templates for the lab and the
  production example inventories and must pass `promtool check config` / `amtool check-config`;
* every Grafana dashboard panel query parses as PromQL (checked by promtool as recording rules).

Needs the Debian packages `prometheus` and `prometheus-alertmanager` (.ci/packages.txt).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from ansible_local import run_local_playbook  # tests/unit is on sys.path (no package)

ROOT = Path(__file__).resolve().parents[2]
ROLE = ROOT / "roles" / "prometheus"
RULES_TEMPLATE = ROLE / "templates" / "duck.rules.yml.j2"
PROMTOOL_TESTS = Path(__file__).parent / "promtool" / "duck_rules_test.yml"
DASHBOARDS = ROOT / "roles" / "grafana" / "files" / "dashboards"
VENV_BIN = Path(sys.executable).parent

EXPECTED_SEVERITY = {
    "SiteDown": "P0",
    "AllAppHostsDown": "P0",
    "PostgreSQLPrimaryDown": "P1",
    "PostgreSQLReplicationBroken": "P1",
    "HighHttp5xxRatio": "P1",
    "CrisisMessageReceived": "P1",
    "PostgreSQLReplicaLag": "P2",
    "BackupTooOld": "P2",
    "DiskAlmostFull": "P2",
    "RedisWithoutReplica": "P2",
    "RedisUnavailable": "P2",
    "LoadBalancerNotRedundant": "P2",
    "VirtualAddressMoved": "P3",
    "LatencyP95AboveTarget": "P3",
    "CertificateExpiringSoon": "P3",
}

pytestmark = pytest.mark.skipif(
    shutil.which("promtool") is None or shutil.which("amtool") is None,
    reason="promtool/amtool missing: apt-get install prometheus prometheus-alertmanager (.ci/packages.txt)",
)


def _run(*cmd: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def render_rules(overrides: dict[str, Any] | None = None) -> str:
    """Render the rules template as Ansible would, with the role defaults (+ overrides)."""
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
    ctx: dict[str, Any] = dict(defaults)
    ctx.update(overrides or {})
    ctx["_prometheus_for"] = {**ctx["prometheus_alert_for"], **ctx["prometheus_alert_for_overrides"]}
    ctx["ansible_managed"] = "Ansible managed"
    source = RULES_TEMPLATE.read_text()
    header, _, body = source.partition("\n")
    assert header.startswith("#jinja2:"), "the rules template must keep its [[ ]] delimiter header"
    env = jinja2.Environment(
        variable_start_string="[[",
        variable_end_string="]]",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["comment"] = lambda text: "#\n# " + text + "\n#"
    return env.from_string(body).render(**ctx)


def lab_overrides() -> dict[str, Any]:
    path = ROOT / "inventories" / "lab" / "group_vars" / "all" / "observability.yml"
    data = yaml.safe_load(path.read_text()) if path.exists() else {}
    return {k: v for k, v in (data or {}).items() if k.startswith("prometheus_alert")}


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("rules")
    (d / "duck.rules.full.yml").write_text(render_rules())
    doc = yaml.safe_load(render_rules())
    for group in doc["groups"]:
        for rule in group["rules"]:
            rule.pop("annotations", None)
    (d / "duck.rules.yml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    shutil.copy(PROMTOOL_TESTS, d / "duck_rules_test.yml")
    return d


def test_rules_pass_promtool_check(rules_dir: Path) -> None:
    res = _run("promtool", "check", "rules", str(rules_dir / "duck.rules.full.yml"))
    assert res.returncode == 0, res.stdout + res.stderr


def test_lab_rules_pass_promtool_check(tmp_path: Path) -> None:
    (tmp_path / "lab.rules.yml").write_text(render_rules(lab_overrides()))
    res = _run("promtool", "check", "rules", str(tmp_path / "lab.rules.yml"))
    assert res.returncode == 0, res.stdout + res.stderr


def test_rules_unit_tests(rules_dir: Path) -> None:
    res = _run("promtool", "test", "rules", "duck_rules_test.yml", cwd=rules_dir)
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_alert_has_a_severity_and_required_alerts_exist() -> None:
    doc = yaml.safe_load(render_rules())
    alerts = {r["alert"]: r for g in doc["groups"] for r in g["rules"] if "alert" in r}
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in {"P0", "P1", "P2", "P3"}, name
        assert rule["annotations"].get("summary"), name
        assert "runbook_url" in rule["annotations"], name
    for name, severity in EXPECTED_SEVERITY.items():
        assert name in alerts, f"missing alert {name}"
        assert alerts[name]["labels"]["severity"] == severity, name


def test_every_alert_has_a_promtool_test() -> None:
    doc = yaml.safe_load(render_rules())
    alerts = {r["alert"] for g in doc["groups"] for r in g["rules"] if "alert" in r}
    tests = yaml.safe_load(PROMTOOL_TESTS.read_text())
    tested = {
        a["alertname"] for t in tests["tests"] for a in t.get("alert_rule_test", []) if a.get("exp_alerts")
    }
    assert alerts - tested == set(), f"alerts without a firing test case: {sorted(alerts - tested)}"


# ------------------------------------------------------------------ configs rendered by Ansible

RENDER_PLAYBOOK = """
- name: Render the monitoring configs for {inventory}
  hosts: "{host}"
  connection: local
  gather_facts: false
  vars:
    ansible_connection: local
    ansible_become: false
    ansible_python_interpreter: "{python}"
  pre_tasks:
    - name: The app role's names and ports, as playbooks/monitoring.yml imports them
      ansible.builtin.import_role:
        name: app
        tasks_from: interface
  tasks:
    - name: Render
      ansible.builtin.include_role:
        name: "{role}"
        tasks_from: render.yml
      vars:
        {role}_render_dest: "{dest}"
"""


def _render_with_ansible(tmp_path: Path, inventory: Path, role: str) -> Path:
    dest = tmp_path / role
    dest.mkdir()
    inv = yaml.safe_load((inventory / "hosts.yml").read_text())
    monitoring = (inv["all"].get("children") or {}).get("monitoring") or {}
    if not monitoring.get("hosts"):
        pytest.skip(f"{inventory.name}: no monitoring host")
    host = next(iter(monitoring["hosts"]))
    pb = tmp_path / f"render_{role}.yml"
    pb.write_text(
        RENDER_PLAYBOOK.format(
            inventory=inventory.name, host=host, python=sys.executable, role=role, dest=dest
        )
    )
    extra: list[str] = []
    # production-like inventories take secrets from an encrypted vault.yml: use its committed example instead
    example = inventory / "group_vars" / "all" / "vault.yml.example"
    if example.exists():
        extra += ["-e", f"@{example}"]
    if role == "alertmanager" and inventory.name != "lab":
        extra += ["-e", json.dumps(PRODUCTION_RECEIVERS)]
    run_local_playbook(pb, inventory, *extra)
    return dest


# Receivers in the shape production uses (the real values live in each inventory's vault).
PRODUCTION_RECEIVERS = {
    "alertmanager_sms_webhook_url": "https://sms-gateway.example.org/alertmanager",
    "alertmanager_im_webhook_url": "https://chat.example.org/hooks/alertmanager",
    "alertmanager_email_to": "oncall@example.org",
    "alertmanager_email_from": "alertmanager@example.org",
    "alertmanager_smtp_smarthost": "smtp.example.org:587",
    "alertmanager_smtp_auth_username": "alertmanager@example.org",
    "alertmanager_smtp_auth_password": "not-a-real-password",
}


def test_production_shaped_alertmanager_config_passes_amtool(tmp_path: Path) -> None:
    """The e-mail + webhook receivers (not used in the lab) render to a valid config too."""
    inv = tmp_path / "inv"
    (inv / "group_vars" / "all").mkdir(parents=True)
    hosts = {"all": {"children": {"monitoring": {"hosts": {"mon1": {"ansible_host": "192.0.2.50"}}}}}}
    (inv / "hosts.yml").write_text(yaml.safe_dump(hosts))
    dest = _render_with_ansible(tmp_path, inv, "alertmanager")
    res = _run("amtool", "check-config", str(dest / "alertmanager.yml"))
    assert res.returncode == 0, res.stdout + res.stderr
    cfg = yaml.safe_load((dest / "alertmanager.yml").read_text())
    kinds = {r["name"]: set(r) - {"name"} for r in cfg["receivers"]}
    assert kinds == {"sms": {"webhook_configs"}, "email": {"email_configs"}, "im": {"webhook_configs"}}


INVENTORIES = [p for p in (ROOT / "inventories").iterdir() if (p / "hosts.yml").exists()]


@pytest.mark.parametrize("inventory", INVENTORIES, ids=lambda p: p.name)
def test_prometheus_config_passes_promtool(tmp_path: Path, inventory: Path) -> None:
    dest = _render_with_ansible(tmp_path, inventory, "prometheus")
    res = _run("promtool", "check", "config", str(dest / "prometheus.yml"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "SUCCESS" in res.stdout + res.stderr
    targets = yaml.safe_load((dest / "file_sd" / "node.yml").read_text())
    assert targets and all(t["targets"] and t["labels"]["instance"] for t in targets)
    public = yaml.safe_load((dest / "file_sd" / "blackbox_public.yml").read_text())
    assert all(u.startswith("https://") for u in public[0]["targets"])


@pytest.mark.parametrize("inventory", INVENTORIES, ids=lambda p: p.name)
def test_alertmanager_config_passes_amtool(tmp_path: Path, inventory: Path) -> None:
    dest = _render_with_ansible(tmp_path, inventory, "alertmanager")
    res = _run("amtool", "check-config", str(dest / "alertmanager.yml"))
    assert res.returncode == 0, res.stdout + res.stderr
    cfg = yaml.safe_load((dest / "alertmanager.yml").read_text())
    expected = {"P0": {"sms", "email"}, "P1": {"email", "im"}, "P2": {"im"}, "P3": {"im"}}
    for sev, receivers in expected.items():
        res = _run(
            "amtool",
            "config",
            "routes",
            "test",
            f"--config.file={dest / 'alertmanager.yml'}",
            f"severity={sev}",
            "alertname=Test",
            "site=lab",
        )
        assert res.returncode == 0, res.stdout + res.stderr
        assert set(res.stdout.strip().split(",")) == receivers, (sev, res.stdout)
    inhibit = cfg["inhibit_rules"][0]
    assert inhibit["equal"] == ["site"]


def test_crisis_alert_pages_once_per_incident(tmp_path: Path) -> None:
    """CrisisMessageReceived goes to the P1 receivers (e-mail + IM) and is grouped per site, not per app
    host or instance: the one alert of an incident is one notification per receiver."""
    dest = _render_with_ansible(tmp_path, ROOT / "inventories" / "lab", "alertmanager")
    labels = ["alertname=CrisisMessageReceived", "severity=P1", "service=safety", "site=lab"]
    res = _run("amtool", "config", "routes", "test", f"--config.file={dest / 'alertmanager.yml'}", *labels)
    assert res.returncode == 0, res.stdout + res.stderr
    assert set(res.stdout.strip().split(",")) == {"email", "im"}, res.stdout
    cfg = yaml.safe_load((dest / "alertmanager.yml").read_text())
    group_by = set(cfg["route"]["group_by"])
    assert {"alertname", "site"} <= group_by and not group_by & {"instance", "job"}, group_by
    rule = next(
        r
        for g in yaml.safe_load(render_rules())["groups"]
        for r in g["rules"]
        if r.get("alert") == "CrisisMessageReceived"
    )
    assert rule["expr"].count("sum(") == 2 and " by " not in rule["expr"]  # one series: no per-host alerts


# ------------------------------------------------------------------ dashboards


def dashboard_queries() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        doc = json.loads(path.read_text())
        for panel in doc.get("panels", []):
            for target in panel.get("targets", []):
                if target.get("expr"):
                    out.append((path.stem, panel.get("title", "?"), target["expr"]))
    return out


def test_dashboards_exist_and_queries_parse(tmp_path: Path) -> None:
    names = {p.stem for p in DASHBOARDS.glob("*.json")}
    assert {"overview", "app-agents", "postgresql", "redis", "nginx", "hosts"} <= names
    queries = dashboard_queries()
    assert len(queries) >= 30
    rules = {
        "groups": [
            {
                "name": "dashboards",
                "rules": [
                    {"record": f"dashboard:q{i}", "expr": expr.replace("$__rate_interval", "5m")}
                    for i, (_, _, expr) in enumerate(queries)
                ],
            }
        ]
    }
    (tmp_path / "dash.yml").write_text(yaml.safe_dump(rules))
    res = _run("promtool", "check", "rules", str(tmp_path / "dash.yml"))
    assert res.returncode == 0, res.stdout + res.stderr
