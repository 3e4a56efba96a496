"""Prometheus metrics on a dedicated registry.

``REGISTRY`` is where every metric of the app lives: the platform's HTTP/DB/auth metrics here, the
duck's business metrics (app/agents, app/chat ...) registered with ``registry=REGISTRY``.

With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty, writable directory, wiped at
start): /metrics then aggregates every worker (prometheus-client multiprocess mode).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine

MULTIPROC = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

# no *_created series: less noise and cardinality (prometheus_client leaves this helper unannotated)
disable_created_metrics()  # type: ignore[no-untyped-call]

REGISTRY = CollectorRegistry(auto_describe=True)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "duck_http_requests_total",
    "HTTP requests by method, route template and status",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "duck_http_request_duration_seconds",
    "HTTP request latency by method and route template",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
HTTP_IN_FLIGHT = Gauge(
    "duck_http_requests_in_flight",
    "HTTP requests being served",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
RATE_LIMITED = Counter(
    "duck_rate_limited_total", "Requests refused by a rate limit", ["limit"], registry=REGISTRY
)
RATE_LIMIT_ERRORS = Counter(
    "duck_rate_limit_storage_errors_total",
    "Rate-limit storage failures (requests were let through)",
    registry=REGISTRY,
)
AUTH_EVENTS = Counter(
    "duck_auth_events_total",
    "Authentication events (login_success, login_failure, refresh, refresh_reuse, mfa_failure, ...)",
    ["event"],
    registry=REGISTRY,
)
DB_REPLICA_FALLBACKS = Counter(
    "duck_db_replica_fallbacks_total",
    "Read sessions served by the writer because no replica was reachable",
    registry=REGISTRY,
)
DEPENDENCY_UP = Gauge(
    "duck_dependency_up",
    "1 when this app host reaches the dependency (database, redis), 0 when not; set by /ready, at every "
    "scrape of /metrics and when a call fails",
    ["dependency"],
    registry=REGISTRY,
    multiprocess_mode="livemostrecent",
)
APP_INFO = Gauge(
    "duck_app_info",
    "Build information",
    ["version", "environment"],
    registry=REGISTRY,
    multiprocess_mode="max",
)


class PoolSource(Protocol):
    """What the pool collector reads: ``app.core.db.Database`` is one (metrics does not import db)."""

    @property
    def engines(self) -> Mapping[str, AsyncEngine]: ...


class DbPoolCollector(Collector):
    """duck_db_pool_{size,checked_out,overflow,checked_in}{engine=writer|readerN} read at scrape time."""

    def __init__(self) -> None:
        self.db: PoolSource | None = None

    def watch(self, db: PoolSource) -> None:
        """Report the pools of ``db`` (the application's database) from now on."""
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        fams = {
            "size": GaugeMetricFamily("duck_db_pool_size", "Configured pool size", labels=["engine"]),
            "checkedout": GaugeMetricFamily(
                "duck_db_pool_checked_out", "Connections in use", labels=["engine"]
            ),
            "checkedin": GaugeMetricFamily(
                "duck_db_pool_checked_in", "Idle connections in the pool", labels=["engine"]
            ),
            "overflow": GaugeMetricFamily(
                "duck_db_pool_overflow", "Connections above pool size", labels=["engine"]
            ),
        }
        db = self.db
        if db is not None:
            for name, engine in db.engines.items():
                pool: Any = engine.pool
                for attr, fam in fams.items():
                    fn = getattr(pool, attr, None)
                    if callable(fn):
                        try:
                            value = float(fn())
                            fam.add_metric([name], max(0.0, value) if attr == "overflow" else value)
                        except Exception:  # noqa: S112 - a pool without the stat
                            continue
        yield from fams.values()

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return []


DB_POOL = DbPoolCollector()
REGISTRY.register(DB_POOL)


def render_metrics() -> tuple[bytes, str]:
    if MULTIPROC:
        from prometheus_client import multiprocess  # noqa: PLC0415 - only in multiprocess mode

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # unannotated upstream
        return generate_latest(registry) + generate_latest(_local_only_registry()), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def _local_only_registry() -> CollectorRegistry:
    reg = CollectorRegistry()
    reg.register(DB_POOL)
    return reg
