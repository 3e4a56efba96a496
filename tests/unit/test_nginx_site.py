"""The load balancer's site config (roles/nginx), checked with the real nginx on the controller.

* The role's templates are rendered by Ansible (`tasks_from: render.yml`, lab inventory) with the defaults and
  with `nginx_idempotent_retry_zones: []`; both must pass `nginx -t` in a scratch copy of /etc/nginx (dummy
  certificate, paths rewritten), like the role's own `duck-nginx-validate`.
* The rendered config is then run on loopback (random ports, `daemon off`) in front of two fake app hosts: one
  that reads each request and resets the connection (an app host stopped with the request in its backlog), one
  that answers. Chat POSTs *with* an `Idempotency-Key` must all succeed (passed to the next upstream), chat
  POSTs *without* one must not be replayed (some 502s — today's behaviour), GETs are always retried; the
  upstream must see the client's request line unchanged (path encoding, query string); the `chat` rate limit
  must count a keyed request once.

Needs `nginx` on the controller (skipped otherwise; the lab's test_40_site / test_60_rolling run the real LB).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from ansible_local import run_local_playbook  # tests/unit is on sys.path (no package)
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
WEB_STATIC = ROOT / "app" / "web" / "static"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx missing on the controller: apt-get install nginx"
)

RENDER_PLAYBOOK = """
- name: Render the nginx site for the unit tests
  hosts: lb
  connection: local
  gather_facts: false
  vars:
    ansible_connection: local
    ansible_become: false
    ansible_python_interpreter: "{python}"
  pre_tasks:
    - name: The app role's names and ports, as playbooks/proxy.yml imports them
      ansible.builtin.import_role:
        name: app
        tasks_from: interface
  tasks:
    - name: Render with the role defaults
      ansible.builtin.include_role:
        name: nginx
        tasks_from: render.yml
      vars:
        nginx_render_dest: "{dest}/default"
    - name: Render without retries of keyed requests
      ansible.builtin.include_role:
        name: nginx
        tasks_from: render.yml
      vars:
        nginx_render_dest: "{dest}/noretry"
        nginx_idempotent_retry_zones: []
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    crt, pem = directory / "tls.crt", directory / "tls.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return crt, pem


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("nginx-render")
    pb = tmp / "render.yml"
    pb.write_text(RENDER_PLAYBOOK.format(python=sys.executable, dest=tmp))
    run_local_playbook(pb, ROOT / "inventories" / "lab")
    return tmp


def scratch(rendered_dir: Path, dest: Path) -> Path:
    """A self-contained copy of what the role writes to /etc/nginx (`nginx -c dest/nginx.conf` runs it)."""
    shutil.copytree(rendered_dir, dest)
    (dest / "modules-enabled").mkdir()
    (dest / "log").mkdir()
    mime = Path("/etc/nginx/mime.types")
    if mime.exists():
        shutil.copy(mime, dest / "mime.types")
    else:
        (dest / "mime.types").write_text("types { application/json json; text/html html; }\n")
    crt, key = _self_signed(dest)
    for conf in dest.rglob("*.conf"):
        text = conf.read_text()
        text = re.sub(r"/etc/duck-pki/[^;\s]+\.crt", str(crt), text)
        text = re.sub(r"/etc/duck-pki/[^;\s]+\.key", str(key), text)
        text = text.replace("/etc/nginx/", f"{dest}/").replace("/var/log/nginx/", f"{dest}/log/")
        text = text.replace("root /var/www/psych-duck;", f"root {WEB_STATIC};")  # the web client as synced
        text = re.sub(r"^pid .*;$", f"pid {dest}/nginx.pid;", text, flags=re.M)
        conf.write_text(text)
    return dest


def nginx_t(conf_dir: Path) -> subprocess.CompletedProcess[str]:
    assert NGINX is not None
    cmd = [NGINX, "-t", "-q", "-p", f"{conf_dir}/", "-e", f"{conf_dir}/log/error.log"]
    return subprocess.run(
        [*cmd, "-c", f"{conf_dir}/nginx.conf"], capture_output=True, text=True, timeout=60, check=False
    )


def site(rendered_dir: Path) -> str:
    return (rendered_dir / "conf.d" / "duck.conf").read_text()


def test_rendered_site_passes_nginx_t(rendered: Path, tmp_path: Path) -> None:
    for variant in ("default", "noretry"):
        res = nginx_t(scratch(rendered / variant, tmp_path / variant))
        assert res.returncode == 0, f"{variant}: {res.stdout}{res.stderr}"


def test_only_keyed_chat_requests_are_replayed(rendered: Path) -> None:
    conf = site(rendered / "default")
    chat = conf.split("location /api/v1/chat {", 1)[1].split("\n    }", 1)[0]
    assert "if ($http_idempotency_key)" in chat and "rewrite ^ /_idem$uri last;" in chat
    assert "non_idempotent" not in chat
    idem = conf.split("location /_idem/api/v1/chat {", 1)[1].split("\n    }", 1)[0]
    assert "internal;" in idem and "non_idempotent" in idem
    assert "limit_req zone=duck_chat burst=" in idem and "proxy_buffering off;" in idem
    # every other location keeps today's rule: a request already sent is never replayed
    assert conf.count("non_idempotent") == 1 and conf.count("location /_idem") == 1
    server_rule = "proxy_next_upstream error timeout http_502 http_503 http_504;"
    assert server_rule in conf
    plain = site(rendered / "noretry")
    assert "_idem" not in plain and "non_idempotent" not in plain and "http_idempotency_key" not in plain


# ------------------------------------------------------------------ loopback run with two fake app hosts


class _Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: Counter[str]

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.seen[self.command] += 1
        body = json.dumps(
            {"target": self.path, "key": self.headers.get("Idempotency-Key"), "method": self.command}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _reply  # http.server's naming

    def log_message(self, *args: Any) -> None:
        pass


class _Reset(_Answer):
    """Reads the whole request, then resets the connection without an answer."""

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.seen[self.command] += 1
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.close_connection = True
        self.connection.close()

    do_GET = do_POST = _reply


def _serve(handler: type[_Answer]) -> tuple[ThreadingHTTPServer, Counter[str]]:
    seen: Counter[str] = Counter()
    cls = type(handler.__name__, (handler,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), cls)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


@pytest.fixture(scope="module")
def lb(rendered: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    assert NGINX is not None
    conf_dir = scratch(rendered / "default", tmp_path_factory.mktemp("nginx-run") / "etc")
    bad, bad_seen = _serve(_Reset)
    good, good_seen = _serve(_Answer)
    https, http, stub = _free_port(), _free_port(), _free_port()
    main = (conf_dir / "nginx.conf").read_text()
    main = main.replace("worker_processes auto;", "worker_processes 1;")
    if os.geteuid() != 0:
        main = re.sub(r"^user .*;$", "", main, flags=re.M)
    (conf_dir / "nginx.conf").write_text(main)
    text = site(conf_dir)
    text = re.sub(r"^\s*listen \[::\]:.*;$", "", text, flags=re.M)
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
    text = text.replace("listen 80 default_server", f"listen 127.0.0.1:{http} default_server")
    text = text.replace("listen 127.0.0.1:8080", f"listen 127.0.0.1:{stub}")
    (conf_dir / "conf.d" / "duck.conf").write_text(text)
    # the resetting host first in the pool; no passive-health skipping, so every other request meets it
    for f in (conf_dir / "duck-upstream.d").glob("*.conf"):
        f.unlink()
    (conf_dir / "duck-upstream.d" / "a.conf").write_text(
        f"server 127.0.0.1:{bad.server_address[1]} max_fails=0;\n"
        f"server 127.0.0.1:{good.server_address[1]} max_fails=0;\n"
    )
    res = nginx_t(conf_dir)
    assert res.returncode == 0, res.stderr
    cmd = [NGINX, "-p", f"{conf_dir}/", "-e", f"{conf_dir}/log/error.log", "-c", f"{conf_dir}/nginx.conf"]
    proc = subprocess.Popen(
        [*cmd, "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", https), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield {"base": f"https://127.0.0.1:{https}", "bad": bad_seen, "good": good_seen, "dir": conf_dir}
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        bad.shutdown()
        good.shutdown()


def new_key() -> str:
    return uuid.uuid4().hex


def _client(base: str, source: str) -> httpx.Client:
    transport = httpx.HTTPTransport(verify=False, local_address=source)
    return httpx.Client(base_url=base, transport=transport, timeout=20)


def test_keyed_posts_survive_a_reset_and_unkeyed_ones_are_not_replayed(lb: dict[str, Any]) -> None:
    bad, good = lb["bad"], lb["good"]
    with _client(lb["base"], "127.0.0.2") as c:
        keyed = [
            c.post("/api/v1/chat/messages", json={"text": "hi"}, headers={"Idempotency-Key": new_key()})
            for _ in range(6)
        ]
        bad_keyed = bad["POST"]
        unkeyed = [c.post("/api/v1/chat/messages", json={"text": "hi"}) for _ in range(6)]
        gets = [c.get("/api/v1/chat/history/s1") for _ in range(4)]
    assert [r.status_code for r in keyed] == [200] * 6
    assert bad_keyed >= 2, "the resetting host must have received keyed POSTs (else nothing was retried)"
    assert all(r.json()["key"] for r in keyed)
    codes = Counter(r.status_code for r in unkeyed)
    assert codes[502] >= 2 and set(codes) <= {200, 502}, codes  # never replayed: today's behaviour
    assert [r.status_code for r in gets] == [200] * 4  # idempotent: retried as before
    assert good["POST"] == 6 + codes[200]


def test_the_upstream_gets_the_request_line_unchanged(lb: dict[str, Any]) -> None:
    target = "/api/v1/chat/messages/stream?x=1&y=%20z&z=%2F"
    with _client(lb["base"], "127.0.0.3") as c:
        for _ in range(2):  # one of the two meets the resetting host first
            r = c.post(target, json={"text": "hi"}, headers={"Idempotency-Key": "k" * 16})
            assert r.status_code == 200 and r.json()["target"] == target
            r = c.get("/api/v1/chat/history/a%2Fb?since=x", headers={"Idempotency-Key": "k" * 16})
            assert r.status_code == 200 and r.json()["target"] == "/api/v1/chat/history/a%2Fb?since=x"
        r = c.get("/_idem/api/v1/chat/messages")  # the internal location cannot be reached from outside
        assert r.status_code == 404
    log = [json.loads(line) for line in (lb["dir"] / "log" / "access.log").read_text().splitlines()]
    mine = [e for e in log if e["remote"] == "127.0.0.3" and e["status"] == 200]
    assert len(mine) == 4 and all(e["path"].startswith("/api/v1/chat/") for e in mine)  # the client's path
    # a retried request lists both upstreams it tried
    assert any("," in e["upstream"] for e in mine), [e["upstream"] for e in mine]


def test_the_chat_rate_limit_counts_a_keyed_request_once(lb: dict[str, Any]) -> None:
    """chat: 60 r/min, burst 30 per client address. Limited twice, keyed requests would get 429 after ~16."""

    def allowed(source: str, keyed: bool) -> int:
        with _client(lb["base"], source) as c:
            codes = []
            for _ in range(40):
                headers = {"Idempotency-Key": new_key()} if keyed else {}
                codes.append(c.get("/api/v1/chat/history/s1", headers=headers).status_code)
        assert set(codes) <= {200, 429}, codes
        return sum(1 for code in codes if code != 429)

    keyed, plain = allowed("127.0.0.4", True), allowed("127.0.0.5", False)
    assert keyed >= 30 and abs(keyed - plain) <= 5, (keyed, plain)


def test_the_web_client_is_served_at_the_root_with_the_page_csp(lb: dict[str, Any]) -> None:
    from app.web.router import CSP  # noqa: PLC0415 - the app's own header: both must agree

    with _client(lb["base"], "127.0.0.6") as c:
        page = c.get("/")
        js = c.get("/assets/js/main.js")
        icon = c.get("/favicon.ico")
        missing = c.get("/assets/js/nope.js")
        api = c.get("/health")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/assets/js/main.js"></script>' in page.text
    assert page.headers["content-security-policy"] == CSP
    assert page.headers["cache-control"] == "no-cache" and page.headers.get("etag")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert js.headers["content-security-policy"] == CSP and js.headers["x-content-type-options"] == "nosniff"
    assert js.text == (WEB_STATIC / "assets" / "js" / "main.js").read_text()
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
    assert missing.status_code == 404
    # every other path still reaches the app
    assert api.status_code == 200 and api.json()["target"] == "/health"
