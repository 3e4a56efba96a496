"""``duck`` command line: serve, db, admin, content, keys, config."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from sqlalchemy import select

from app.core.config import ConfigError, Settings, get_settings

cli = typer.Typer(help="心理鸭 (Psych Duck) backend", no_args_is_help=True, add_completion=False)
db_cli = typer.Typer(help="database schema (Alembic)", no_args_is_help=True)
admin_cli = typer.Typer(help="administrators", no_args_is_help=True)
content_cli = typer.Typer(help="content library", no_args_is_help=True)
keys_cli = typer.Typer(help="secrets and encryption keys", no_args_is_help=True)
config_cli = typer.Typer(help="configuration", no_args_is_help=True)
safety_cli = typer.Typer(help="crisis gate", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(admin_cli, name="admin")
cli.add_typer(content_cli, name="content")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(config_cli, name="config")
cli.add_typer(safety_cli, name="safety")


def _settings() -> Settings:
    try:
        return get_settings()
    except ConfigError as exc:
        typer.echo(f"duck: {exc}", err=True)
        raise typer.Exit(2) from None


# ------------------------------------------------------------------------------------------------
@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    reload: Annotated[bool, typer.Option(help="reload on code changes (development)")] = False,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
) -> None:
    """Development server (uvicorn). Production runs gunicorn with app/gunicorn_conf.py."""
    import uvicorn  # noqa: PLC0415

    _settings()  # fail early with a clear message; development on SQLite migrates at start-up
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )


# ------------------------------------------------------------------------------------------------
@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations (default: to the head)."""
    from app.core import migrate  # noqa: PLC0415

    migrate.upgrade(_settings(), revision)
    typer.echo(f"database upgraded to {revision}")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="target, e.g. -1 or base")]) -> None:
    """Revert migrations."""
    from app.core import migrate  # noqa: PLC0415

    migrate.downgrade(_settings(), revision)
    typer.echo(f"database downgraded to {revision}")


@db_cli.command("current")
def db_current() -> None:
    """Show the current revision."""
    from app.core import migrate  # noqa: PLC0415

    migrate.current(_settings())


# ------------------------------------------------------------------------------------------------
async def _create_admin(settings: Settings, email: str, password: str, display_name: str | None) -> str:
    from app.auth.models import User  # noqa: PLC0415
    from app.auth.passwords import check_password  # noqa: PLC0415
    from app.auth.users import normalise_email  # noqa: PLC0415
    from app.core.audit import record_audit  # noqa: PLC0415
    from app.core.crypto import configure_encryption  # noqa: PLC0415
    from app.core.db import Database  # noqa: PLC0415
    from app.core.security import configure_password_hasher, hash_password  # noqa: PLC0415

    configure_encryption(settings.fernet_keys)
    configure_password_hasher(
        time_cost=settings.password_hash_time_cost,
        memory_kib=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
    )
    email = normalise_email(email)
    check_password(password, min_length=settings.password_min_length, email=email)
    db = Database(settings)
    try:
        async with db.sessionmaker() as session:
            user = await session.scalar(select(User).where(User.email == email))
            action = "admin.promoted"
            if user is None:
                user = User(email=email, is_guest=False, display_name=display_name)
                session.add(user)
                action = "admin.created"
            user.password_hash = await hash_password(password)
            user.is_admin = True
            user.is_guest = False
            await session.flush()
            record_audit(session, action=action, subject_user_id=user.id, details={"via": "cli"})
            await session.commit()
            return user.id
    finally:
        await db.dispose()


@admin_cli.command("create")
def admin_create(
    email: Annotated[str, typer.Option(help="administrator e-mail")],
    display_name: Annotated[str | None, typer.Option(help="shown name")] = None,
    password_env: Annotated[
        str | None, typer.Option(help="read the password from this environment variable instead of a prompt")
    ] = None,
) -> None:
    """Create (or promote) an administrator account."""
    from app.core.errors import AppError  # noqa: PLC0415

    settings = _settings()
    if password_env:
        password = os.environ.get(password_env, "")
    else:
        password = getpass.getpass("password: ")
        if password != getpass.getpass("again: "):
            typer.echo("passwords differ", err=True)
            raise typer.Exit(1)
    try:
        user_id = asyncio.run(_create_admin(settings, email, password, display_name))
    except AppError as exc:
        typer.echo(f"duck: {exc.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"administrator ready: {user_id}")


# ------------------------------------------------------------------------------------------------
def load_content_index(path: Path) -> list[dict[str, Any]]:
    """Read a content index YAML: a list of assets, or a mapping with ``assets`` / ``items`` or
    ``panels`` + ``videos`` lists."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items: list[dict[str, Any]] = []
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        for key in ("assets", "items", "content"):
            if isinstance(data.get(key), list):
                items = list(data[key])
                break
        else:
            for kind_key, kind in (("panels", "panel"), ("videos", "video")):
                for item in data.get(kind_key) or []:
                    items.append({"kind": kind, **item})
    if not items:
        raise ValueError(f"{path}: no assets found")
    return items


def _asset_values(item: dict[str, Any], url_prefix: str) -> dict[str, Any]:
    slug = str(item.get("id") or item.get("slug") or "").strip()
    kind = str(item.get("kind") or item.get("type") or "").strip()
    title = str(item.get("title") or "").strip()
    if not slug or kind not in ("panel", "video") or not title:
        raise ValueError(f"asset {slug or '?'}: needs id, kind (panel|video) and title")
    url = item.get("url")
    if not url:
        file = item.get("file") or item.get("path")
        if not file:
            raise ValueError(f"asset {slug}: needs url or file")
        url = f"{url_prefix.rstrip('/')}/{str(file).lstrip('/')}"
    scores = item.get("emotion_scores") or item.get("emotions") or {}
    if isinstance(scores, list):
        scores = dict.fromkeys(scores, 1.0)
    return {
        "id": slug,
        "kind": kind,
        "title": title,
        "description": item.get("description"),
        "url": str(url),
        "duration_seconds": item.get("duration_seconds") or item.get("duration"),
        "tags": list(item.get("tags") or []),
        "emotion_scores": {str(k): float(v) for k, v in dict(scores).items()},
        "locale": item.get("locale") or "zh-CN",
        "active": bool(item.get("active", True)),
    }


async def import_content(settings: Settings, path: Path, *, prune: bool) -> tuple[int, int, int]:
    """Upsert the index into content_assets; returns (created, updated, deactivated)."""
    from app.content.models import ContentAsset  # noqa: PLC0415
    from app.core.db import Database  # noqa: PLC0415

    values = [_asset_values(i, settings.content_url_prefix) for i in load_content_index(path)]
    seen = {v["id"] for v in values}
    if len(seen) != len(values):
        raise ValueError(f"{path}: duplicate asset ids")
    created = updated = deactivated = 0
    db = Database(settings)
    try:
        async with db.sessionmaker() as session:
            existing = {a.id: a for a in (await session.scalars(select(ContentAsset))).all()}
            for v in values:
                asset = existing.get(v["id"])
                if asset is None:
                    session.add(ContentAsset(**v))
                    created += 1
                else:
                    for k, val in v.items():
                        setattr(asset, k, val)
                    updated += 1
            if prune:
                for slug, asset in existing.items():
                    if slug not in seen and asset.active:
                        asset.active = False
                        deactivated += 1
            await session.commit()
    finally:
        await db.dispose()
    return created, updated, deactivated


@content_cli.command("import")
def content_import(
    path: Annotated[Path | None, typer.Argument(help="index YAML (default: CONTENT_DIR/index.yaml)")] = None,
    prune: Annotated[bool, typer.Option(help="deactivate assets missing from the index")] = True,
) -> None:
    """Import the content library index into the database (idempotent upsert)."""
    settings = _settings()
    path = path or settings.content_dir / "index.yaml"
    if not path.is_file():
        typer.echo(f"duck: {path} not found", err=True)
        raise typer.Exit(1)
    try:
        created, updated, deactivated = asyncio.run(import_content(settings, path, prune=prune))
    except ValueError as exc:
        typer.echo(f"duck: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"content: {created} created, {updated} updated, {deactivated} deactivated")


# ------------------------------------------------------------------------------------------------
@keys_cli.command("generate")
def keys_generate(kind: Annotated[str, typer.Argument(help="encryption | secret")] = "encryption") -> None:
    """Print a new Fernet key (ENCRYPTION_KEYS entry) or SECRET_KEY."""
    import secrets  # noqa: PLC0415

    from cryptography.fernet import Fernet  # noqa: PLC0415

    typer.echo(Fernet.generate_key().decode() if kind == "encryption" else secrets.token_urlsafe(48))


async def _rotate(settings: Settings, batch: int) -> int:
    from sqlalchemy import Text, column, table, update  # noqa: PLC0415

    from app.core.crypto import configure_encryption, rotate_token  # noqa: PLC0415
    from app.core.db import Database  # noqa: PLC0415

    configure_encryption(settings.fernet_keys)
    targets = [
        ("messages", "text"),
        ("chat_sessions", "title"),
        ("therapy_practices", "notes"),
        ("emotion_logs", "keywords"),
        ("reports", "payload"),
        ("mfa_credentials", "secret"),
    ]
    count = 0
    db = Database(settings)
    try:
        for table_name, col in targets:
            t = table(table_name, column("id"), column(col, Text))
            async with db.sessionmaker() as session:
                rows = (await session.execute(select(t.c.id, t.c[col]).where(t.c[col].is_not(None)))).all()
                for i, (row_id, token) in enumerate(rows, start=1):
                    await session.execute(
                        update(t).where(t.c.id == row_id).values({col: rotate_token(str(token))})
                    )
                    count += 1
                    if i % batch == 0:
                        await session.commit()
                await session.commit()
    finally:
        await db.dispose()
    return count


@keys_cli.command("rotate")
def keys_rotate(batch: Annotated[int, typer.Option(help="rows per transaction")] = 500) -> None:
    """Re-encrypt stored text under the first ENCRYPTION_KEYS entry (then drop the old key)."""
    n = asyncio.run(_rotate(_settings(), batch))
    typer.echo(f"re-encrypted {n} values")


@config_cli.command("check")
def config_check() -> None:
    """Validate the configuration (exit 2 with a message when start-up would be refused)."""
    s = _settings()
    typer.echo(
        f"ok: environment={s.environment} database={s.database_url.split('://', 1)[0]} "
        f"replicas={len(s.database_read_urls)} redis={'yes' if s.redis_url else 'no'} llm={s.duck_llm} "
        f"docs={'on' if s.docs_enabled else 'off'}"
    )


@safety_cli.command("eval")
def safety_eval(
    file: Annotated[Path, typer.Argument(help="TSV: label<TAB>lang<TAB>text[<TAB>category]")],
    show_misses: Annotated[bool, typer.Option("--show-misses", help="print the missed texts")] = False,
) -> None:
    """Measure the gate on a labelled set: recall, specificity (overall, per lang), misses, latency."""
    from app.safety.detector import crisis_model  # noqa: PLC0415
    from app.safety.evaluate import EvalFormatError, evaluate, load_cases, render  # noqa: PLC0415

    try:
        cases = load_cases(file)
    except (EvalFormatError, OSError, UnicodeDecodeError) as exc:
        typer.echo(f"duck: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(render(evaluate(cases), show_misses=show_misses))
    learned = crisis_model()
    typer.echo(learned.info.summary() if learned else "model: unavailable (the rules alone)")


@safety_cli.command("calibrate")
def safety_calibrate() -> None:
    """Cross-validate the learned layer on the dev corpus; write app/safety/corpus/calibration.json."""
    from app.safety import model  # noqa: PLC0415
    from app.safety.detector import training_view  # noqa: PLC0415

    calibration = model.write_calibration(training_view)
    target = model.CORPUS.with_name(model.CALIBRATION_NAME)
    typer.echo(
        f"wrote {target}: crisis >= {calibration.crisis_threshold:.4f}, "
        f"elevated >= {calibration.elevated_threshold:.4f}; dev CV rules {calibration.cv_rules}, "
        f"rules+model {calibration.cv_combined}"
    )


def main() -> None:
    try:
        cli()
    except ConfigError as exc:  # pragma: no cover
        print(f"duck: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
