"""Role postgresql on the lab: Patroni + etcd + PostgreSQL 15, streaming with slots, sync mode, TLS only,
pgaudit, least-privilege roles; converges, second run changes nothing."""

from __future__ import annotations

import shlex
import time

import pytest

from tests.lab.datatier import CA, addr, cluster, leader, pg_hosts, psql, rest_get, secret, wait_healthy
from tests.lab.helpers import Lab, PlaybookResult, assert_idempotent, figure

PLAYBOOK = "playbooks/database.yml"


@pytest.fixture(scope="module")
def database(lab: Lab, common_converged: PlaybookResult) -> PlaybookResult:
    lab.converge("playbooks/pki.yml")
    return lab.converge(PLAYBOOK)


def remote_psql(lab: Lab, client: str, server: str, user: str, password: str, sql: str, sslmode: str) -> str:
    conn = (
        f"host={addr(lab, server)} dbname=duck user={user} password={password} sslmode={sslmode} "
        f"sslrootcert={CA} connect_timeout=5"
    )
    proc = lab.sh(client, f"psql -X -At {shlex.quote(conn)} -c {shlex.quote(sql)}", check=False)
    return (proc.stdout + proc.stderr).strip()


def test_database_converges(lab: Lab, database: PlaybookResult) -> None:
    figure(f"database: {database.summary()}")
    state = wait_healthy(lab)
    figure({m["name"]: (m["role"], m["state"], m.get("lag")) for m in state["members"]})


def test_second_run_changes_nothing(lab: Lab, database: PlaybookResult) -> None:
    result = assert_idempotent(PLAYBOOK, lab.inventory)
    figure(f"database second run: {result.summary()}")


def test_cluster_shape_sync_mode_and_slots(lab: Lab, database: PlaybookResult) -> None:
    state = wait_healthy(lab)
    roles = sorted(m["role"] for m in state["members"])
    assert roles.count("leader") == 1 and roles.count("sync_standby") == 1, roles
    lead = leader(lab)
    cfg = lab.sh(lead, rest_get(lab, lead, "/config")).stdout
    assert '"synchronous_mode": true' in cfg and '"ttl": 10' in cfg and '"loop_wait": 2' in cfg, cfg
    slots = psql(lab, lead, "select slot_name, active from pg_replication_slots order by 1", db="postgres")
    assert slots.count("|t") == len(pg_hosts(lab)) - 1, slots
    ssl = psql(lab, lead, "select count(*) from pg_stat_ssl join pg_stat_replication using (pid) where ssl")
    assert ssl == str(len(pg_hosts(lab)) - 1), f"replication connections not all TLS: {ssl}"


def test_write_burst_reaches_every_replica_with_zero_lag(lab: Lab, database: PlaybookResult) -> None:
    lead = leader(lab)
    psql(lab, lead, "drop table if exists burst; create table burst (id int primary key, v text)")
    t0 = time.monotonic()
    psql(lab, lead, "insert into burst select g, md5(g::text) from generate_series(1, 20000) g")
    state = wait_healthy(lab, timeout=60)
    lsn = psql(lab, lead, "select pg_current_wal_lsn()")
    for host in pg_hosts(lab):
        if host == lead:
            continue
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            replay = psql(lab, host, f"select pg_wal_lsn_diff('{lsn}', pg_last_wal_replay_lsn())")
            if float(replay) <= 0:
                break
            time.sleep(0.2)
        assert psql(lab, host, "select count(*), sum(id) from burst") == "20000|200010000", host
    figure(
        f"20000 rows on every replica after {time.monotonic() - t0:.2f} s; lags: "
        f"{ {m['name']: m.get('lag', 0) for m in state['members']} }"
    )


def test_write_on_a_replica_is_refused(lab: Lab, database: PlaybookResult) -> None:
    lead = leader(lab)
    replica = next(h for h in pg_hosts(lab) if h != lead)
    out = psql(lab, replica, "insert into burst values (-1, 'x')", check=False)
    assert "read-only transaction" in out, out


def test_network_clients_need_tls_and_a_pg_hba_entry(lab: Lab, database: PlaybookResult) -> None:
    lead = leader(lab)
    client = next(h for h in pg_hosts(lab) if h != lead)
    pw = secret(lab, "postgresql_monitoring")
    ok = remote_psql(
        lab,
        client,
        lead,
        "duck_monitor",
        pw,
        "select ssl from pg_stat_ssl where pid = pg_backend_pid()",
        "verify-full",
    )
    assert ok == "t", ok
    plain = remote_psql(lab, client, lead, "duck_monitor", pw, "select 1", "disable")
    assert "no pg_hba.conf entry" in plain and "no encryption" in plain, plain
    # the app role may not connect from a database host (pg_hba lists the app hosts only)
    app = remote_psql(lab, client, lead, "duck_app", secret(lab, "postgresql_app"), "select 1", "verify-full")
    assert "no pg_hba.conf entry" in app, app


def test_roles_are_least_privilege_and_sensitive_tables_are_audited(
    lab: Lab, database: PlaybookResult
) -> None:
    lead = leader(lab)
    owner, app, ro = (secret(lab, n) for n in ("postgresql_owner", "postgresql_app", "postgresql_readonly"))

    def local(user: str, pw: str, sql: str) -> str:
        conn = f"host=127.0.0.1 dbname=duck user={user} password={pw} sslmode=require"
        proc = lab.sh(lead, f"psql -X -At {shlex.quote(conn)} -c {shlex.quote(sql)}", check=False)
        return (proc.stdout + proc.stderr).strip()

    # a migration (as the owner) creates a sensitive table: the event trigger enrols it in the audit.
    # The probe table is dropped again: the real migrations (site.yml, later modules) create `messages`.
    try:
        created = local(
            "duck_owner", owner, "drop table if exists messages; create table messages (id serial, body text)"
        )
        assert "CREATE TABLE" in created, created
        marker = f"audit-probe-{int(time.time())}"
        assert local("duck_app", app, "insert into messages (body) values ('x')") == "INSERT 0 1"
        assert local("duck_app", app, f"select count(*) /* {marker} */ from messages") == "1"
        assert "permission denied" in local("duck_app", app, "create table nope (id int)")
        assert "must be owner" in local("duck_app", app, "drop table messages")
        assert "permission denied" in local("duck_ro", ro, "insert into messages (body) values ('y')")
        assert local("duck_ro", ro, "select count(*) from messages") == "1"
        grants = psql(
            lab,
            lead,
            "select string_agg(privilege_type, ',' order by privilege_type) from "
            "information_schema.role_table_grants where grantee = 'duck_auditor' and table_name = 'messages'",
        )
        assert grants == "DELETE,INSERT,SELECT,UPDATE", grants
        time.sleep(1)
        log = lab.sh(
            lead, "cat /var/log/postgresql/duck/postgresql-*.log | grep 'AUDIT: OBJECT' | tail -50"
        ).stdout
        assert "public.messages" in log and marker in log, log[-2000:]
        figure(f"pgaudit object lines for messages: {log.count('public.messages')}")
    finally:
        local("duck_owner", owner, "drop table if exists messages")


def test_cluster_reports_every_member(lab: Lab, database: PlaybookResult) -> None:
    names = sorted(m["name"] for m in cluster(lab)["members"])
    assert names == sorted(pg_hosts(lab))
