"""Site benchmark (prints, asserts nothing): converge time fresh and no-op, rolling-update duration and failed
requests, chat requests/s through Nginx TLS vs direct to one app host.

Runs against an existing, converged lab: DUCK_LAB_INVENTORY=/tmp/<lab>-inv (default inventories/lab).
A "fresh" converge is only timed when the lab has no app yet (set BENCH_SITE_FRESH=1 to force site.yml first).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.lab.helpers import Lab, inventory_groups, labctl, run_playbook  # noqa: E402
from tests.lab.site_client import API, Load, ca_file, client, guest, new_session  # noqa: E402
from tests.lab.test_60_rolling import make_release, rolling_update  # noqa: E402


def chat_rps(base_url: str, ca: Path | None, seconds: float = 20, threads: int = 4) -> float:
    def worker(_: int) -> int:
        n = 0
        with client(base_url, ca) as c:
            tokens = [guest(c) for _ in range(3)]  # spread over users: the app limits chat per user
            sessions = [new_session(c, t) for t in tokens]
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                i = n % len(tokens)
                r = c.post(
                    f"{API}/chat/messages",
                    json={"session_id": sessions[i], "text": "今天还不错"},
                    headers={"Authorization": f"Bearer {tokens[i]}"},
                )
                n += r.status_code == 200
        return n

    with ThreadPoolExecutor(threads) as ex:
        done = sum(ex.map(worker, range(threads)))
    return done / seconds


def main() -> None:
    inv = Path(os.environ.get("DUCK_LAB_INVENTORY", REPO / "inventories" / "lab"))
    spec = labctl.load_lab(inv)
    lab = Lab(inventory=inv, spec=spec, groups=inventory_groups(inv))
    if os.environ.get("BENCH_SITE_FRESH"):
        r = run_playbook("playbooks/site.yml", inv, echo=False)
        print(f"site.yml converge (fresh): {r.duration:.1f} s rc={r.rc}")
    for pb in ("playbooks/app.yml", "playbooks/proxy.yml", "playbooks/site.yml"):
        r = run_playbook(pb, inv, echo=False)
        print(f"{pb} no-op rerun: {r.duration:.1f} s changed={r.changed} rc={r.rc}")
    ca = ca_file(spec.state_dir)
    lb = lab.hosts[lab.group("lb")[0]]
    app1 = lab.hosts[lab.group("app")[0]]
    print(f"chat req/s through Nginx TLS: {chat_rps(f'https://{lb}', ca):.1f}")
    print(f"chat req/s direct to {app1}:8000: {chat_rps(f'http://{app1}:8000', None):.1f}")
    release = f"0.1.0-bench{int(time.time())}"
    project = make_release(Path("/tmp/duck-bench-releases"), release)
    with Load(f"https://{lb}", ca) as load:
        r = rolling_update(lab, project, release)
    counts = dict(load.report.counts)
    print(f"rolling update: {r.duration:.1f} s rc={r.rc}; requests {counts}, failed {load.report.failed}")


if __name__ == "__main__":
    main()
