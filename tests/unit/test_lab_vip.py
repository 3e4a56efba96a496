"""lab/labctl.py reserves the load balancers' virtual address (keepalived_vip): no lab host may get it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "lab"))
import labctl  # noqa: E402


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    dest = tmp_path / "inv"
    shutil.copytree(ROOT / "inventories" / "lab", dest)
    return dest


def _set_vip(inv: Path, vip: str) -> None:
    site = inv / "group_vars" / "all" / "lab.yml"
    text = site.read_text()
    assert "keepalived_vip: " in text
    site.write_text(
        "\n".join(
            f"keepalived_vip: {vip}" if ln.startswith("keepalived_vip:") else ln for ln in text.splitlines()
        )
        + "\n"
    )


def test_lab_inventory_has_two_lbs_and_a_free_vip(inventory: Path) -> None:
    lab = labctl.load_lab(inventory)
    assert lab.vip and lab.vip not in {h.address for h in lab.hosts}
    lbs = [h.name for h in lab.hosts if h.name.startswith("duck-lb")]
    assert lbs == ["duck-lb1", "duck-lb2"]


def test_a_host_on_the_vip_is_refused(inventory: Path) -> None:
    lb2 = next(h for h in labctl.load_lab(inventory).hosts if h.name == "duck-lb2")
    _set_vip(inventory, lb2.address)
    with pytest.raises(labctl.LabError, match=r"keepalived_vip .* duck-lb2's ansible_host"):
        labctl.load_lab(inventory)


@pytest.mark.parametrize("vip", ["10.99.0.5", "10.231.0.1", "not-an-address"])
def test_a_vip_outside_the_subnet_or_on_the_gateway_is_refused(inventory: Path, vip: str) -> None:
    _set_vip(inventory, vip)
    with pytest.raises(labctl.LabError, match="keepalived_vip"):
        labctl.load_lab(inventory)
