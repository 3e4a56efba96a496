"""A hosted LLM that stalls does not stall the person (issue 15, item 4 and its Done-when): the app hosts are
pointed at an OpenAI-compatible "server" that accepts TCP connections and never answers (a listener on the
monitoring host, its port opened to the app hosts with role common's firewall_open). A chat message through
the load balancer's virtual address still gets a non-empty reply, 200 and no 5xx, within the message's budget
CHAT_DEADLINE_SECONDS (the offline engine answers past it; ``duck_llm_fallbacks_total{reason="deadline"}``
counts it); the elapsed time is printed. Then the offline engine is restored with playbooks/app.yml and the
site answers as before.

Runs after the site tests; leaves the lab as it found it (offline engine, listener stopped, port closed)."""

from __future__ import annotations

import os
import re
import shlex
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.helpers import Lab, PlaybookResult, assert_converged, figure, probe
from tests.lab.site_client import API, ca_file, chat_sse, client, guest, new_session

SITE = "playbooks/site.yml"
APP = "playbooks/app.yml"
UNIT = "duck-blackhole"
PORT = 18099
ENV_FILE = "/etc/duck/duck.env"
#: over the budget: the app's reserve for the commit after the crew, the proxy and the lab's loaded CPUs
MARGIN_S = 3.0
#: accept every connection, keep it open, read nothing, answer nothing (logs only the peer address)
BLACKHOLE = f"""
import socket
s = socket.create_server(("0.0.0.0", {PORT}), backlog=512)
held = []
while True:
    c, peer = s.accept()
    held.append(c)
    print("accepted", peer[0], len(held), flush=True)
"""
FALLBACK = re.compile(r"^duck_llm_fallbacks_total\{(?P<labels>[^}]*)\} (?P<value>\S+)$", re.M)


@pytest.fixture(scope="module")
def site(lab: Lab) -> PlaybookResult:
    if os.environ.get("DUCK_SITE_ASSUME_CONVERGED"):  # development: iterate on a lab already converged
        return PlaybookResult(rc=0, recap={}, duration=0.0, output="", changed_tasks=[])
    return lab.converge(SITE)


def _firewall_playbook(tmp: Path, host: str, sources: list[str], state: str) -> Path:
    play = tmp / f"blackhole-{state}.yml"
    play.write_text(
        f"""---
- name: The test's stalled LLM server port
  hosts: {host}
  become: true
  gather_facts: false
  tasks:
    - name: Open or close it
      ansible.builtin.include_role:
        name: common
        tasks_from: firewall_open
      vars:
        common_firewall_open_name: {UNIT}
        common_firewall_open_state: {state}
        common_firewall_open_rules: [{{port: {PORT}, proto: tcp, sources: {sources}}}]
"""
    )
    return play


def deadline_fallbacks(lab: Lab) -> float:
    """duck_llm_fallbacks_total{reason="deadline"} summed over the app hosts (scraped on each host)."""
    total = 0.0
    for host in lab.group("app"):
        url = f"http://{lab.hosts[host]}:8000/metrics"  # the app listens on the host's address only
        body = lab.sh(host, f"curl -sf --max-time 10 {url}", become=False).stdout
        total += sum(float(m["value"]) for m in FALLBACK.finditer(body) if 'reason="deadline"' in m["labels"])
    return total


def accepted(lab: Lab, host: str) -> int:
    """Connections the stalled server has accepted (its journal)."""
    out = lab.sh(host, f"journalctl -u {UNIT} -o cat | grep -c '^accepted '", check=False).stdout
    return int(out.strip() or 0)


def env_value(lab: Lab, host: str, name: str) -> str:
    out = lab.sh(host, f"grep -E '^{name}=' {ENV_FILE} | cut -d= -f2-").stdout.strip()
    assert out, f"{host}: no {name} in {ENV_FILE}"
    return out


def restore(lab: Lab) -> PlaybookResult:
    """playbooks/app.yml with the inventory's own settings: the offline engine again."""
    result = lab.playbook(APP)
    assert_converged(result)
    return result


@pytest.fixture(scope="module")
def blackhole(lab: Lab, site: PlaybookResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The stalled server's base URL, reachable from every app host; stopped and closed afterwards."""
    host = lab.group("monitoring")[0]
    addr, tmp = lab.hosts[host], tmp_path_factory.mktemp("blackhole")
    apps = [lab.hosts[h] for h in lab.group("app")]
    lab.sh(host, f"systemctl stop {UNIT}", check=False)
    lab.sh(host, f"systemd-run --unit={UNIT} --collect python3 -c {shlex.quote(BLACKHOLE)}")
    try:
        listening = f"ss -Htln 'sport = :{PORT}' | grep -q ."
        lab.sh(host, f"for i in $(seq 50); do {listening} && exit 0; sleep 0.1; done; exit 1")
        assert_converged(lab.playbook(_firewall_playbook(tmp, host, apps, "present")))
        for app in lab.group("app"):
            assert probe(lab, app, [(addr, PORT)])[0][2] == "open", f"{app} cannot reach {addr}:{PORT}"
        yield f"http://{addr}:{PORT}/v1"
    finally:
        lab.sh(host, f"systemctl stop {UNIT}", check=False)
        assert_converged(lab.playbook(_firewall_playbook(tmp, host, [], "absent")))


def test_a_message_is_answered_within_the_deadline_when_the_hosted_llm_never_answers(
    lab: Lab, blackhole: str
) -> None:
    vip = lab.spec.vip or lab.hosts[lab.group("lb")[0]]
    mon = lab.group("monitoring")[0]
    try:
        hosted = lab.playbook(APP, extra_vars={"app_llm": f"openai-compatible:duck-stalled@{blackhole}"})
        assert_converged(hosted)
        deadline = float(env_value(lab, lab.group("app")[0], "CHAT_DEADLINE_SECONDS"))
        for host in lab.group("app"):
            assert env_value(lab, host, "DUCK_LLM").endswith(f"@{blackhole}"), host
        before = deadline_fallbacks(lab)
        accepted_before = accepted(lab, mon)

        with client(f"https://{vip}", ca_file(lab.spec.state_dir), timeout=deadline + 60) as c:
            token = guest(c)
            sid = new_session(c, token)
            auth = {"Authorization": f"Bearer {token}"}
            t0 = time.monotonic()
            r = c.post(f"{API}/chat/messages", json={"session_id": sid, "text": "今天有点累"}, headers=auth)
            elapsed = time.monotonic() - t0
            figure(
                f"hosted LLM at a server that never answers ({blackhole}): chat reply through {vip} "
                f"in {elapsed:.1f} s, HTTP {r.status_code} (CHAT_DEADLINE_SECONDS={deadline:g})"
            )
            assert r.status_code == 200, r.text[:500]
            reply = r.json()["data"]["duck_response"]["text"]
            assert reply.strip(), r.text[:500]
            assert elapsed <= deadline + MARGIN_S, f"{elapsed:.1f} s > deadline {deadline:g} s + {MARGIN_S} s"

            # the same through the streaming endpoint: the events end with `done` within the budget
            t0 = time.monotonic()
            events = chat_sse(c, token, sid, "工作压力有点大")
            streamed = time.monotonic() - t0
            figure(f"the same, streamed (SSE): done in {streamed:.1f} s, {len(events)} events")
            assert events and events[-1][0] == "done", events[-3:]
            assert streamed <= deadline + MARGIN_S, f"{streamed:.1f} s > {deadline:g} s + {MARGIN_S} s"

        # the app really waited on the stalled server (not a refused connection) and gave up on the budget
        assert accepted(lab, mon) > accepted_before, "no connection reached the stalled server"
        assert deadline_fallbacks(lab) >= before + 2, "no duck_llm_fallbacks_total{reason=deadline} counted"
    finally:
        restore(lab)


def test_the_offline_engine_is_back_and_answers(lab: Lab, blackhole: str) -> None:
    vip = lab.spec.vip or lab.hosts[lab.group("lb")[0]]
    for host in lab.group("app"):
        assert env_value(lab, host, "DUCK_LLM") == "local", host
    with client(f"https://{vip}", ca_file(lab.spec.state_dir), timeout=30) as c:
        token = guest(c)
        sid = new_session(c, token)
        t0 = time.monotonic()
        r = c.post(
            f"{API}/chat/messages",
            json={"session_id": sid, "text": "今天有点累"},
            headers={"Authorization": f"Bearer {token}"},
        )
        elapsed = time.monotonic() - t0
    figure(f"offline engine restored: chat reply through {vip} in {elapsed:.2f} s")
    assert r.status_code == 200, r.text[:500]
    assert r.json()["data"]["duck_response"]["text"].strip()
    assert elapsed < 5, f"{elapsed:.1f} s for the offline engine"
    # the restore is complete: a rerun of the app playbook changes nothing
    again = lab.playbook(APP)
    assert_converged(again)
    assert again.changed == 0, "not idempotent after the restore:\n  " + "\n  ".join(again.changed_tasks)
