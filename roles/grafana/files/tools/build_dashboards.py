#!/usr/bin/env python3
"""Generate the Grafana dashboards (../dashboards/*.json) from the panel lists below.

Run after editing: python3 roles/grafana/files/tools/build_dashboards.py
The JSON is committed; tests/unit/test_alert_rules.py checks every query parses (promtool) and the lab test
tests/lab/test_50_observability.py checks every query returns data on the lab Prometheus.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "dashboards"
DS = {"type": "prometheus", "uid": "${datasource}"}
RFS = '{fstype!~"tmpfs|devtmpfs|squashfs|ramfs|nsfs"}'

# (title, type, unit, [(expr, legend)], width)
Panel = tuple[str, str, str, list[tuple[str, str]], int]

DASHBOARDS: dict[str, tuple[str, list[Panel]]] = {
    "overview": (
        "心理鸭 · Overview",
        [
            (
                "Public site up",
                "stat",
                "percentunit",
                [('min(probe_success{job="blackbox_public"})', "up")],
                4,
            ),
            ("App hosts up", "stat", "none", [('sum(up{job="app"})', "up")], 4),
            ("App hosts ready", "stat", "none", [('sum(probe_success{job="app_ready"})', "ready")], 4),
            (
                "Firing alerts",
                "stat",
                "none",
                [('count(ALERTS{alertstate="firing"}) or vector(0)', "firing")],
                4,
            ),
            ("Targets down", "stat", "none", [("count(up == 0) or vector(0)", "down")], 4),
            (
                "Last backup age",
                "stat",
                "s",
                [('time() - max(duck_backup_last_success_timestamp_seconds{type=~"full|incr"})', "age")],
                4,
            ),
            (
                "Requests per second",
                "timeseries",
                "reqps",
                [("sum(rate(duck_http_requests_total[5m]))", "req/s")],
                8,
            ),
            (
                "5xx ratio",
                "timeseries",
                "percentunit",
                [
                    (
                        'sum(rate(duck_http_requests_total{status=~"5.."}[5m])) '
                        "/ sum(rate(duck_http_requests_total[5m])) or vector(0)",
                        "5xx",
                    )
                ],
                8,
            ),
            (
                "API latency p95",
                "timeseries",
                "s",
                [
                    (
                        "histogram_quantile(0.95, sum by (le) "
                        "(rate(duck_http_request_duration_seconds_bucket[5m])))",
                        "p95",
                    )
                ],
                8,
            ),
            (
                "Public probe duration",
                "timeseries",
                "s",
                [('probe_duration_seconds{job="blackbox_public"}', "{{instance}}")],
                8,
            ),
            (
                "Certificate days left",
                "stat",
                "d",
                [('min(probe_ssl_earliest_cert_expiry{job="blackbox_public"} - time()) / 86400', "days")],
                8,
            ),
            (
                "Crisis messages (24 h)",
                "stat",
                "none",
                [("sum(increase(duck_crisis_messages_total[24h])) or vector(0)", "crisis")],
                8,
            ),
            (
                "Alerts by severity",
                "timeseries",
                "none",
                [('count by (severity) (ALERTS{alertstate="firing"}) or vector(0)', "{{severity}}")],
                24,
            ),
        ],
    ),
    "app-agents": (
        "心理鸭 · App & agents",
        [
            (
                "Requests by route",
                "timeseries",
                "reqps",
                [("sum by (route) (rate(duck_http_requests_total[5m]))", "{{route}}")],
                12,
            ),
            (
                "Responses by status",
                "timeseries",
                "reqps",
                [("sum by (status) (rate(duck_http_requests_total[5m]))", "{{status}}")],
                12,
            ),
            (
                "Latency p50 / p95 / p99",
                "timeseries",
                "s",
                [
                    (
                        f"histogram_quantile({q}, sum by (le) "
                        "(rate(duck_http_request_duration_seconds_bucket[5m])))",
                        f"p{int(q * 100)}",
                    )
                    for q in (0.5, 0.95, 0.99)
                ],
                12,
            ),
            (
                "In-flight requests",
                "timeseries",
                "none",
                [("sum by (instance) (duck_http_requests_in_flight)", "{{instance}}")],
                12,
            ),
            (
                "Agent duration p95",
                "timeseries",
                "s",
                [
                    (
                        "histogram_quantile(0.95, sum by (le, agent) "
                        "(rate(duck_agent_duration_seconds_bucket[15m])))",
                        "{{agent}}",
                    )
                ],
                12,
            ),
            (
                "LLM calls by provider / outcome",
                "timeseries",
                "ops",
                [
                    (
                        "sum by (provider, outcome) (rate(duck_llm_calls_total[15m]))",
                        "{{provider}} {{outcome}}",
                    )
                ],
                12,
            ),
            (
                "LLM tokens per second",
                "timeseries",
                "none",
                [("sum(rate(duck_llm_tokens_total[15m]))", "tokens/s")],
                8,
            ),
            (
                "LLM fallbacks (1 h)",
                "stat",
                "none",
                [("sum(increase(duck_llm_fallbacks_total[1h])) or vector(0)", "fallbacks")],
                8,
            ),
            (
                "Crisis messages (1 h)",
                "stat",
                "none",
                [("sum(increase(duck_crisis_messages_total[1h])) or vector(0)", "crisis")],
                8,
            ),
            (
                "Messages by sentiment",
                "timeseries",
                "ops",
                [("sum by (sentiment) (rate(duck_messages_total[15m]))", "{{sentiment}}")],
                12,
            ),
            (
                "Feature usage",
                "timeseries",
                "ops",
                [("sum by (feature) (rate(duck_feature_usage_total[1h]))", "{{feature}}")],
                12,
            ),
            (
                "Active users",
                "timeseries",
                "none",
                [("max by (window) (duck_active_users)", "{{window}}")],
                12,
            ),
            (
                "Feedback score (average, 1-5)",
                "timeseries",
                "none",
                [("sum(duck_feedback_score_sum) / sum(duck_feedback_score_count)", "score")],
                12,
            ),
            (
                "Rate-limited requests",
                "timeseries",
                "ops",
                [("sum(rate(duck_rate_limited_total[5m])) or vector(0)", "limited")],
                8,
            ),
            (
                "Auth events",
                "timeseries",
                "ops",
                [("sum by (event) (rate(duck_auth_events_total[15m]))", "{{event}}")],
                8,
            ),
            (
                "DB pool in use",
                "timeseries",
                "none",
                [("sum by (instance, engine) (duck_db_pool_checked_out)", "{{instance}} {{engine}}")],
                8,
            ),
        ],
    ),
    "postgresql": (
        "心理鸭 · PostgreSQL",
        [
            ("PostgreSQL up", "stat", "none", [("pg_up", "{{instance}}")], 8),
            ("Role (1 = replica)", "stat", "none", [("pg_replication_is_replica", "{{instance}}")], 8),
            (
                "Streaming replicas on the primary",
                "stat",
                "none",
                [("max(pg_replication_streaming_replicas)", "replicas")],
                8,
            ),
            (
                "Connections by state",
                "timeseries",
                "none",
                [("sum by (instance, state) (pg_stat_activity_count)", "{{instance}} {{state}}")],
                12,
            ),
            (
                "Transactions per second",
                "timeseries",
                "ops",
                [
                    (
                        "sum by (instance) (rate(pg_stat_database_xact_commit[5m])"
                        " + rate(pg_stat_database_xact_rollback[5m]))",
                        "{{instance}}",
                    )
                ],
                12,
            ),
            (
                "Replica replay lag (bytes, on the primary)",
                "timeseries",
                "bytes",
                [("max by (instance) (pg_replication_max_replay_lag_bytes)", "{{instance}}")],
                12,
            ),
            (
                "Replica lag (seconds since last replay)",
                "timeseries",
                "s",
                [
                    (
                        "pg_replication_lag_seconds and on(instance) pg_replication_is_replica == 1",
                        "{{instance}}",
                    )
                ],
                12,
            ),
            ("Locks by mode", "timeseries", "none", [("sum by (mode) (pg_locks_count)", "{{mode}}")], 8),
            (
                "Deadlocks",
                "timeseries",
                "none",
                [("sum by (instance) (increase(pg_stat_database_deadlocks[1h]))", "{{instance}}")],
                8,
            ),
            (
                "Cache hit ratio",
                "timeseries",
                "percentunit",
                [
                    (
                        "sum by (instance) (rate(pg_stat_database_blks_hit[5m])) / "
                        "clamp_min(sum by (instance) (rate(pg_stat_database_blks_hit[5m])"
                        " + rate(pg_stat_database_blks_read[5m])), 1)",
                        "{{instance}}",
                    )
                ],
                8,
            ),
            (
                "Database size",
                "timeseries",
                "bytes",
                [("sum by (instance, datname) (pg_database_size_bytes)", "{{instance}} {{datname}}")],
                12,
            ),
            (
                "Backup age by type",
                "timeseries",
                "s",
                [("time() - max by (type) (duck_backup_last_success_timestamp_seconds)", "{{type}}")],
                12,
            ),
        ],
    ),
    "redis": (
        "心理鸭 · Redis",
        [
            ("Redis up", "stat", "none", [("redis_up", "{{instance}}")], 6),
            ("Role", "stat", "none", [("redis_instance_info", "{{instance}} {{role}}")], 6),
            (
                "Connected replicas (master)",
                "stat",
                "none",
                [
                    (
                        'redis_connected_slaves and on(instance) redis_instance_info{role="master"}',
                        "{{instance}}",
                    )
                ],
                6,
            ),
            ("Master link up (replicas)", "stat", "none", [("redis_master_link_up", "{{instance}}")], 6),
            (
                "Commands per second",
                "timeseries",
                "ops",
                [("sum by (instance) (rate(redis_commands_processed_total[5m]))", "{{instance}}")],
                12,
            ),
            ("Connected clients", "timeseries", "none", [("redis_connected_clients", "{{instance}}")], 12),
            ("Memory used", "timeseries", "bytes", [("redis_memory_used_bytes", "{{instance}}")], 12),
            (
                "Keyspace hit ratio",
                "timeseries",
                "percentunit",
                [
                    (
                        "sum by (instance) (rate(redis_keyspace_hits_total[5m])) / "
                        "clamp_min(sum by (instance) (rate(redis_keyspace_hits_total[5m])"
                        " + rate(redis_keyspace_misses_total[5m])), 1)",
                        "{{instance}}",
                    )
                ],
                12,
            ),
            (
                "Evicted / expired keys",
                "timeseries",
                "ops",
                [
                    (
                        "sum by (instance) (rate(redis_evicted_keys_total[5m])"
                        " + rate(redis_expired_keys_total[5m]))",
                        "{{instance}}",
                    )
                ],
                24,
            ),
        ],
    ),
    "nginx": (
        "心理鸭 · Nginx",
        [
            ("Nginx up", "stat", "none", [("nginx_up", "{{instance}}")], 6),
            ("Active connections", "stat", "none", [("sum(nginx_connections_active)", "active")], 6),
            (
                "Public probe HTTP status",
                "stat",
                "none",
                [('probe_http_status_code{job="blackbox_public"}', "{{instance}}")],
                6,
            ),
            (
                "TLS version",
                "stat",
                "none",
                [('probe_tls_version_info{job="blackbox_public"}', "{{version}}")],
                6,
            ),
            (
                "Requests per second",
                "timeseries",
                "reqps",
                [("sum by (instance) (rate(nginx_http_requests_total[5m]))", "{{instance}}")],
                12,
            ),
            (
                "Connections by state",
                "timeseries",
                "none",
                [
                    ("sum(nginx_connections_reading)", "reading"),
                    ("sum(nginx_connections_writing)", "writing"),
                    ("sum(nginx_connections_waiting)", "waiting"),
                ],
                12,
            ),
            (
                "Dropped connections (accepted - handled)",
                "timeseries",
                "ops",
                [
                    (
                        "sum(rate(nginx_connections_accepted[5m]))"
                        " - sum(rate(nginx_connections_handled[5m]))",
                        "dropped",
                    )
                ],
                24,
            ),
        ],
    ),
    "hosts": (
        "心理鸭 · Hosts",
        [
            ("Hosts up", "stat", "none", [('sum(up{job="node"})', "up")], 6),
            ("Hosts down", "stat", "none", [('count(up{job="node"} == 0) or vector(0)', "down")], 6),
            (
                "Max disk used",
                "stat",
                "percentunit",
                [
                    (
                        f"max(1 - node_filesystem_avail_bytes{RFS} / node_filesystem_size_bytes{RFS})",
                        "disk",
                    )
                ],
                6,
            ),
            ("Uptime", "stat", "s", [("min(time() - node_boot_time_seconds)", "uptime")], 6),
            (
                "CPU used",
                "timeseries",
                "percentunit",
                [('1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', "{{instance}}")],
                12,
            ),
            ("Load (1 min)", "timeseries", "none", [("node_load1", "{{instance}}")], 12),
            (
                "Memory available",
                "timeseries",
                "bytes",
                [("node_memory_MemAvailable_bytes", "{{instance}}")],
                12,
            ),
            (
                "Disk used",
                "timeseries",
                "percentunit",
                [
                    (
                        '1 - node_filesystem_avail_bytes{fstype!~"tmpfs|devtmpfs|squashfs|ramfs|nsfs"} '
                        '/ node_filesystem_size_bytes{fstype!~"tmpfs|devtmpfs|squashfs|ramfs|nsfs"}',
                        "{{instance}} {{mountpoint}}",
                    )
                ],
                12,
            ),
            (
                "Network received",
                "timeseries",
                "Bps",
                [
                    (
                        'sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[5m]))',
                        "{{instance}}",
                    )
                ],
                12,
            ),
            (
                "Network sent",
                "timeseries",
                "Bps",
                [
                    (
                        'sum by (instance) (rate(node_network_transmit_bytes_total{device!="lo"}[5m]))',
                        "{{instance}}",
                    )
                ],
                12,
            ),
            (
                "Failed systemd units",
                "timeseries",
                "none",
                [
                    (
                        'sum by (instance) (node_systemd_unit_state{state="failed"}) or on() vector(0)',
                        "{{instance}}",
                    )
                ],
                12,
            ),
            ("Scrape targets up by job", "timeseries", "none", [("sum by (job) (up)", "{{job}}")], 12),
        ],
    ),
}


def build(uid: str, title: str, panels: list[Panel]) -> dict:
    out, x, y, row_h = [], 0, 0, 0
    for i, (ptitle, ptype, unit, targets, width) in enumerate(panels, start=1):
        height = 4 if ptype == "stat" else 8
        if x + width > 24:
            x, y = 0, y + row_h
            row_h = 0
        out.append(
            {
                "id": i,
                "type": ptype,
                "title": ptitle,
                "datasource": DS,
                "gridPos": {"x": x, "y": y, "w": width, "h": height},
                "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
                "options": {"reduceOptions": {"calcs": ["lastNotNull"]}} if ptype == "stat" else {},
                "targets": [
                    {"refId": chr(65 + j), "datasource": DS, "expr": expr, "legendFormat": legend}
                    for j, (expr, legend) in enumerate(targets)
                ],
            }
        )
        x += width
        row_h = max(row_h, height)
    return {
        "uid": f"duck-{uid}",
        "title": title,
        "tags": ["psych-duck"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "type": "datasource",
                    "query": "prometheus",
                    "current": {"text": "Prometheus", "value": "duck-prometheus"},
                }
            ]
        },
        "panels": out,
    }


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for uid, (title, panels) in DASHBOARDS.items():
        (OUT / f"{uid}.json").write_text(
            json.dumps(build(uid, title, panels), indent=2, ensure_ascii=False) + "\n"
        )
        print(f"{uid}.json: {len(panels)} panels")
