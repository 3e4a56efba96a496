"""Role docs from one source: defaults/main.yml, meta/argument_specs.yml, README.md and the inventories agree.

The checks live in lab/role_docs.py (``--check`` runs the same ones); `make role-docs` rewrites the
READMEs' generated variable tables from the specs.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lab"))
import role_docs

ROLE_DIRS = role_docs.roles()


def test_every_role_is_checked() -> None:
    names = {p.name for p in ROLE_DIRS}
    assert len(names) >= 13, names
    assert {"app", "common", "nginx", "postgresql", "redis"} <= names


@pytest.mark.parametrize("role_dir", ROLE_DIRS, ids=lambda p: p.name)
def test_defaults_specs_and_readme_agree(role_dir: Path) -> None:
    role = role_docs.Role.load(role_dir)
    assert role.options("main"), f"{role.name}: argument_specs main has no options"
    problems = role_docs.role_problems(role)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role_dir", ROLE_DIRS, ids=lambda p: p.name)
def test_readme_keeps_its_prose_and_one_generated_block(role_dir: Path) -> None:
    text = (role_dir / "README.md").read_text(encoding="utf-8")
    assert text.count(role_docs.BEGIN) == 1
    assert text.count(role_docs.END) == 1
    prose = text.split(role_docs.BEGIN, 1)[0]
    assert len(prose.split()) >= 20, f"{role_dir.name}: README has no prose before the variable table"


@pytest.mark.parametrize(
    ("name", "description", "restates"),
    [
        ("grafana_http_port", "grafana http port", True),
        ("grafana_http_port", "The HTTP port of grafana", True),
        ("grafana_http_port", "TCP port Grafana's web UI listens on (behind an SSH tunnel)", False),
        ("redis_maxmemory", "Memory limit", True),
    ],
)
def test_description_quality_rule(name: str, description: str, restates: bool) -> None:
    assert role_docs.restates_name(name.split("_")[0], name, description) is restates


def _tmp_role(tmp_path: Path) -> Path:
    """A copy of the real grafana role (specs, defaults, README) to break on purpose."""
    dest = tmp_path / "roles" / "grafana"
    for sub in ("meta", "defaults"):
        shutil.copytree(role_docs.ROLES_DIR / "grafana" / sub, dest / sub)
    shutil.copy(role_docs.ROLES_DIR / "grafana" / "README.md", dest / "README.md")
    return dest


def test_checker_reports_a_stale_readme_and_a_missing_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    role_dir = _tmp_role(tmp_path)
    assert role_docs.role_problems(role_docs.Role.load(role_dir)) == []

    defaults = role_dir / "defaults" / "main.yml"
    defaults.write_text(defaults.read_text(encoding="utf-8") + "grafana_new_knob: 3\n", encoding="utf-8")
    readme = role_dir / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("| `grafana_http_port`", "| `old`"), "utf-8")

    problems = role_docs.role_problems(role_docs.Role.load(role_dir))
    assert "grafana: grafana_new_knob: in defaults/main.yml but not in argument_specs main" in problems
    assert "grafana: README.md is stale (run `make role-docs`)" in problems
    assert role_docs.main(["--check", "--roles-dir", str(role_dir.parent)]) == 1
    assert "README.md is stale" in capsys.readouterr().out

    assert role_docs.main(["--roles-dir", str(role_dir.parent)]) == 0  # rewrites the README ...
    assert "| `grafana_http_port`" in readme.read_text(encoding="utf-8")
    problems = role_docs.role_problems(role_docs.Role.load(role_dir))
    assert not any("stale" in p for p in problems)  # ... but the missing spec stays reported
    assert any("grafana_new_knob" in p for p in problems)


def test_checker_reports_type_and_default_mismatch(tmp_path: Path) -> None:
    role_dir = _tmp_role(tmp_path)
    spec = role_dir / "meta" / "argument_specs.yml"
    text = spec.read_text(encoding="utf-8")
    port = text.index("grafana_http_port:")
    head, tail = text[:port], text[port:]
    tail = tail.replace("type: int", "type: str", 1).replace(
        "default: 3000", "default: 3001\n        required: true", 1
    )
    spec.write_text(head + tail, encoding="utf-8")
    problems = role_docs.role_problems(role_docs.Role.load(role_dir))
    assert "grafana: grafana_http_port: spec default 3001 != defaults/main.yml 3000" in problems
    assert "grafana: grafana_http_port: type str but defaults/main.yml has int" in problems
    assert "grafana: grafana_http_port: required in the spec but defaults/main.yml sets it" in problems


def test_generated_block_replaces_a_hand_written_variables_section() -> None:
    text = "# Role x\n\nProse.\n\n## Variables\n\n| a | b |\n|---|---|\n\n## Tags\n\nmore\n"
    new = role_docs.updated_readme(text, f"{role_docs.BEGIN}\nT\n{role_docs.END}")
    assert (
        new
        == f"# Role x\n\nProse.\n\n## Variables\n\n{role_docs.BEGIN}\nT\n{role_docs.END}\n\n## Tags\n\nmore\n"
    )
    assert role_docs.updated_readme(new, f"{role_docs.BEGIN}\nU\n{role_docs.END}").count("U\n") == 1


def test_inventory_values_fit_the_specs() -> None:
    """A literal inventory value the spec's type refuses would break the role's argument validation."""
    loaded = [role_docs.Role.load(p) for p in ROLE_DIRS]
    files = role_docs.inventory_files()
    assert any(f.name == "hosts.yml" for f in files) and any("group_vars" in f.parts for f in files), files
    assert role_docs.inventory_problems(loaded, files) == []


def test_inventory_checker_reports_a_value_of_the_wrong_type(tmp_path: Path) -> None:
    loaded = [role_docs.Role.load(role_docs.ROLES_DIR / "grafana")]
    group_vars = tmp_path / "group_vars.yml"
    group_vars.write_text(
        "grafana_http_port: three thousand\ngrafana_root_url: '{{ x }}'\n", encoding="utf-8"
    )
    hosts = tmp_path / "hosts.yml"
    hosts.write_text(
        "all:\n  children:\n    monitoring:\n      hosts:\n        m1: {grafana_enabled: [1]}\n", "utf-8"
    )
    problems = role_docs.inventory_problems(loaded, [group_vars, hosts])
    assert len(problems) == 2, problems
    assert "grafana_http_port" in problems[0] and "int" in problems[0]
    assert "grafana_enabled" in problems[1] and "bool" in problems[1]
