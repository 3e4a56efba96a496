"""Destructive backup drills (run last): pgBackRest timers and metrics, point-in-time restore between
two writes, a dropped table brought back, and the restore drill comparing every table with the leader."""

from __future__ import annotations

import time

import pytest

from tests.lab.datatier import leader, psql, wait_healthy
from tests.lab.helpers import Lab, PlaybookResult, assert_converged, assert_idempotent, figure

PLAYBOOK = "playbooks/backup.yml"
PROM = "/var/lib/prometheus/node-exporter/duck_backup.prom"


@pytest.fixture(scope="module")
def backup(lab: Lab, common_converged: PlaybookResult) -> PlaybookResult:
    # the whole site (once per session, shared with the site tests): the drill needs the app's migrated tables
    lab.converge("playbooks/site.yml")
    wait_healthy(lab)
    return lab.converge(PLAYBOOK)


def scratch(lab: Lab) -> str:
    return lab.group("restore_target")[0]


def restored(lab: Lab, sql: str) -> str:
    return psql(lab, scratch(lab), sql)


def test_backup_converges_and_is_idempotent(lab: Lab, backup: PlaybookResult) -> None:
    figure(f"backup: {backup.summary()}")
    result = assert_idempotent(PLAYBOOK, lab.inventory)
    figure(f"backup second run: {result.summary()}")


def test_timers_and_metrics(lab: Lab, backup: PlaybookResult) -> None:
    repo = lab.group("backup")[0]
    timers = lab.sh(repo, "systemctl list-timers --all --no-legend 'duck-backup-*'").stdout
    for kind in ("full", "incr", "verify"):
        assert f"duck-backup-{kind}.timer" in timers, timers
    t0 = time.monotonic()
    lab.sh(repo, "systemctl start duck-backup@incr.service", timeout=600)
    figure(f"incremental backup took {time.monotonic() - t0:.1f} s")
    prom = lab.sh(repo, f"cat {PROM}").stdout
    assert 'duck_backup_last_run_success{type="incr"} 1' in prom, prom
    assert 'duck_backup_last_success_timestamp_seconds{type="full"}' in prom, prom
    stamp = float(prom.split('duck_backup_last_success_timestamp_seconds{type="incr"} ')[1].split()[0])
    assert abs(time.time() - stamp) < 900
    info = lab.sh(repo, "runuser -u pgbackrest -- pgbackrest --stanza=duck info").stdout
    assert "status: ok" in info and "full backup" in info and "incr backup" in info, info
    figure(info)


def test_pitr_between_two_writes_and_a_dropped_table_comes_back(lab: Lab, backup: PlaybookResult) -> None:
    lead = leader(lab)
    psql(
        lab,
        lead,
        "drop table if exists restore_probe; create table restore_probe (id int primary key, note text)",
    )
    psql(lab, lead, "insert into restore_probe values (1, 'first')")
    time.sleep(1.5)
    between = psql(lab, lead, "select now()")
    time.sleep(1.5)
    psql(lab, lead, "insert into restore_probe select g, md5(g::text) from generate_series(2, 5000) g")
    expected = psql(
        lab, lead, "select count(*), md5(string_agg(id || note, ',' order by id)) from restore_probe"
    )
    time.sleep(1.5)
    before_drop = psql(lab, lead, "select now()")
    time.sleep(1.5)
    psql(lab, lead, "drop table restore_probe")  # the accident
    lab.sh(lead, "runuser -u postgres -- pgbackrest --stanza=duck check", timeout=300)  # WAL reaches the repo

    t0 = time.monotonic()
    assert_converged(lab.playbook("playbooks/restore.yml", extra_vars={"restore_target_time": between}))
    figure(f"PITR restore to {between} took {time.monotonic() - t0:.1f} s")
    assert restored(lab, "select id, note from restore_probe") == "1|first"

    t0 = time.monotonic()
    assert_converged(lab.playbook("playbooks/restore.yml", extra_vars={"restore_target_time": before_drop}))
    figure(f"restore to just before the drop ({before_drop}) took {time.monotonic() - t0:.1f} s")
    got = restored(lab, "select count(*), md5(string_agg(id || note, ',' order by id)) from restore_probe")
    assert got == expected, (got, expected)


KNOWN = [
    "public.alembic_version",
    "public.content_assets",
    "public.therapy_tips",
    "duck_drill.restore_marker",
]
COUNT_SQL = "select count(*) from {}"


def test_restore_drill_matches_the_leader(lab: Lab, backup: PlaybookResult) -> None:
    t0 = time.monotonic()
    result = lab.playbook("playbooks/restore_drill.yml")
    assert_converged(result)
    assert "RESTORE DRILL PASSED" in result.output
    report = [ln.strip() for ln in result.output.splitlines() if "known_tables" in ln or "marker" in ln]
    figure(f"restore drill took {time.monotonic() - t0:.1f} s: {report[:6]}")
    # the drill compared real data: the restored copy holds the reference rows and the leader's counts
    lead = leader(lab)
    for table in KNOWN:
        got, want = restored(lab, COUNT_SQL.format(table)), psql(lab, lead, COUNT_SQL.format(table))
        assert int(got) > 0 and got == want, (table, got, want)
    wait_healthy(lab)


def test_restore_drill_fails_on_an_empty_restore(lab: Lab, backup: PlaybookResult) -> None:
    """A restore that produced an empty database (here: the restored copy's database dropped and created
    empty) must fail the drill with a message that says so — the comparison alone would see two lists
    and pass on nothing. The restore step is skipped so the drill compares what the scratch host holds."""
    lab.sh(
        scratch(lab),
        "runuser -u postgres -- psql -X -h /var/run/postgresql -d postgres "
        "-c 'drop database if exists duck with (force)' -c 'create database duck'",
    )
    assert restored(lab, "select count(*) from pg_tables where schemaname = 'public'") == "0"
    result = lab.playbook("playbooks/restore_drill.yml", skip_tags="restore_drill_restore")
    figure(f"restore drill on an empty restore: rc={result.rc}")
    assert result.rc != 0, "the restore drill must fail on an empty restore"
    assert "RESTORE DRILL PASSED" not in result.output
    assert "RESTORE DRILL FAILED - the restored copy on" in result.output and "is empty" in result.output
    wait_healthy(lab)
