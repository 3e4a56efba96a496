#!/usr/bin/python3
"""Lab-only Alertmanager webhook receiver (psych-duck).

Every POST to /<receiver> is appended as one JSON line {"receiver", "received_at", "payload"} to
$STATE_DIRECTORY/alerts.jsonl and summarised on stdout (the journal), one line per alert:
    receiver=sms status=firing alertname=SiteDown severity=P0
GET /<anything> answers the recorded lines (for debugging). Listens on 127.0.0.1 only.
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("SINK_PORT", "9099"))
STATE = os.environ.get("STATE_DIRECTORY", "/var/lib/duck-alert-sink")
LOG = os.path.join(STATE, "alerts.jsonl")
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        receiver = self.path.strip("/").split("/")[0] or "default"
        length = int(self.headers.get("Content-Length", "0"))
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        line = json.dumps({"receiver": receiver, "received_at": time.time(), "payload": payload})
        with LOCK, open(LOG, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        for alert in payload.get("alerts", []):
            labels = alert.get("labels", {})
            print(
                f"receiver={receiver} status={alert.get('status')} alertname={labels.get('alertname')} "
                f"severity={labels.get('severity')} instance={labels.get('instance', '')}",
                flush=True,
            )
        self.send_response(200)
        self.end_headers()

    def do_GET(self) -> None:
        data = b""
        if os.path.exists(LOG):
            with open(LOG, "rb") as fh:
                data = fh.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    os.makedirs(STATE, exist_ok=True)
    print(f"duck-alert-sink listening on 127.0.0.1:{PORT}, recording to {LOG}", file=sys.stderr, flush=True)
    ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
