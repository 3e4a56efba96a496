#!/usr/bin/env python3
"""Build the app's release artefacts ON THE CONTROLLER (called by roles/app, delegated to localhost).

Two artefacts, each cached under <build dir> and rebuilt only when its inputs change:

* the dependency wheelhouse, keyed by the hash of uv.lock + pyproject.toml:
  ``uv export`` (locked pins) -> ``uv pip compile`` for the HOSTS' interpreter (Debian 12: CPython 3.11.2,
  glibc 2.36; markers such as ``python_full_version < "3.11.3"`` differ from the controller's) ->
  ``pip download --no-deps --only-binary`` for that platform (hash-checked) + ``pip wheel`` for the few
  sdist-only packages (pure Python);
* the release: the project's own wheel (``uv build``) plus alembic.ini and migrations/, keyed by a hash of
  the sources, in ``releases/<version>-<source hash>/``.

Prints one JSON object (release id, directories, whether anything was built) for Ansible to read.
Uses only the standard library plus the uv and pip of the controller's toolchain.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

SOURCE_GLOBS = ("app/**/*", "migrations/**/*", "alembic.ini", "pyproject.toml", "uv.lock")
SKIP_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def sha256_files(root: Path, paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def source_files(root: Path) -> list[Path]:
    found: set[Path] = set()
    for pattern in SOURCE_GLOBS:
        for path in root.glob(pattern):
            skip = SKIP_PARTS.intersection(path.parts) or path.suffix in {".pyc", ".db"}
            if path.is_file() and not skip:
                found.add(path)
    return sorted(found)


def run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=sys.stderr, **kwargs)  # type: ignore[call-overload]  # noqa: S603


def manylinux_platforms(glibc_minor: int, arch: str) -> list[str]:
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(glibc_minor, 4, -1)]
    return [*tags, f"manylinux2014_{arch}", f"manylinux2010_{arch}", f"manylinux1_{arch}", f"linux_{arch}"]


def build_wheelhouse(args: argparse.Namespace, project: Path, dest: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=dest.name + ".", dir=dest.parent))
    try:
        exported = tmp / "export.txt"
        run(
            [
                args.uv,
                "export",
                "--project",
                str(project),
                "--frozen",
                "--no-default-groups",
                "--no-emit-project",
                "--no-hashes",
                "--quiet",
                "-o",
                str(exported),
            ]
        )
        pinned = tmp / "requirements.txt"
        run(
            [
                args.uv,
                "pip",
                "compile",
                "--quiet",
                "--no-header",
                "--generate-hashes",
                "--python-version",
                args.python_version,
                "--python-platform",
                args.python_platform,
                str(exported),
                "-o",
                str(pinned),
            ]
        )
        lock = tomllib.loads((project / "uv.lock").read_text())
        sdist_only = {p["name"] for p in lock["package"] if "sdist" in p and not p.get("wheels")}
        binary_req, source_req = tmp / "binary.txt", tmp / "source.txt"
        blocks: dict[str, list[str]] = {"binary": [], "source": []}
        for block in pinned.read_text().replace("\\\n", "").splitlines():
            line = block.strip()
            if not line or line.startswith("#"):
                continue
            name = line.split("==", 1)[0].strip().lower().replace("_", "-")
            blocks["source" if name in sdist_only else "binary"].append(line)
        binary_req.write_text("\n".join(blocks["binary"]) + "\n")
        source_req.write_text("\n".join(blocks["source"]) + "\n")
        py_short = "".join(args.python_version.split(".")[:2])
        glibc_minor = int(args.python_platform.rsplit("_", 1)[-1])
        arch = args.python_platform.split("-", 1)[0]
        platform_flags = [f for tag in manylinux_platforms(glibc_minor, arch) for f in ("--platform", tag)]
        pip = [args.python, "-m", "pip", "--disable-pip-version-check", "--quiet"]
        run(
            [
                *pip,
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--require-hashes",
                "--implementation",
                "cp",
                "--python-version",
                args.python_version,
                "--abi",
                f"cp{py_short}",
                "--abi",
                "abi3",
                "--abi",
                "none",
                *platform_flags,
                "-d",
                str(tmp),
                "-r",
                str(binary_req),
            ]
        )
        if blocks["source"]:
            run([*pip, "wheel", "--no-deps", "--require-hashes", "-w", str(tmp), "-r", str(source_req)])
        for name in ("export.txt", "binary.txt", "source.txt"):
            (tmp / name).unlink()
        # The install list: every pin with the sha256 of the wheel actually in the wheelhouse (downloads were
        # checked against the lock's hashes above; sdist-only packages were built from hash-checked sdists).
        wheels = {}
        for whl in tmp.glob("*.whl"):
            dist = whl.name.split("-")[0].lower().replace("_", "-").replace(".", "-")
            wheels.setdefault(dist, []).append(whl)
        lines = []
        for line in blocks["binary"] + blocks["source"]:
            req = line.split()[0]
            name = req.split("==", 1)[0].strip().lower().replace("_", "-").replace(".", "-")
            files = wheels.get(name)
            if not files:
                raise SystemExit(f"no wheel for {req} in the wheelhouse")
            hashes = " ".join(f"--hash=sha256:{hashlib.sha256(f.read_bytes()).hexdigest()}" for f in files)
            lines.append(f"{req} {hashes}")
        pinned.write_text("\n".join(sorted(lines)) + "\n")
        (tmp / ".complete").write_text("ok\n")
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def build_release(args: argparse.Namespace, project: Path, dest: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=dest.name + ".", dir=dest.parent))
    try:
        with tempfile.TemporaryDirectory() as src_copy:
            # Build from a clean copy of the sources so stale build/ or egg-info dirs never leak in.
            src = Path(src_copy) / "src"
            shutil.copytree(
                project,
                src,
                ignore=shutil.ignore_patterns(
                    ".venv",
                    ".git",
                    "build",
                    "dist",
                    "*.egg-info",
                    "__pycache__",
                    ".*_cache",
                    "tests",
                    "bench",
                    "roles",
                    "playbooks",
                    "inventories",
                    "lab",
                    "docs",
                    "*.db",
                    ".lab",
                ),
            )
            run(
                [args.uv, "build", "--wheel", "--quiet", "--out-dir", str(tmp), str(src)],
                env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"},
            )
        for junk in tmp.glob(".gitignore"):
            junk.unlink()
        if (project / "alembic.ini").is_file():
            shutil.copy2(project / "alembic.ini", tmp / "alembic.ini")
        if (project / "migrations").is_dir():
            shutil.copytree(
                project / "migrations", tmp / "migrations", ignore=shutil.ignore_patterns("__pycache__")
            )
        (tmp / ".complete").write_text("ok\n")
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def prune(parent: Path, keep: set[str], max_keep: int) -> None:
    entries = sorted(
        (p for p in parent.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in entries[max_keep:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", required=True, help="repository root (pyproject.toml, uv.lock, app/)")
    parser.add_argument("--build-dir", required=True, help="controller cache (e.g. <repo>/build/duck)")
    parser.add_argument("--python-version", default="3.11.2")
    parser.add_argument("--python-platform", default="x86_64-manylinux_2_36")
    parser.add_argument("--release-id", default="", help="override the release id (default <version>-<hash>)")
    parser.add_argument("--keep", type=int, default=5, help="cache entries kept")
    parser.add_argument("--uv", default=shutil.which("uv") or "uv")
    parser.add_argument("--python", default=sys.executable, help="interpreter whose pip downloads the wheels")
    args = parser.parse_args()

    project = Path(args.project).resolve()
    build = Path(args.build_dir).resolve()
    version = tomllib.loads((project / "pyproject.toml").read_text())["project"]["version"]
    lock_hash = sha256_files(project, [project / "uv.lock", project / "pyproject.toml"])
    wheelhouse_id = f"py{args.python_version}-{args.python_platform}-{lock_hash[:16]}"
    source_hash = sha256_files(project, source_files(project))
    release_id = args.release_id or f"{version}-{source_hash[:12]}"

    (build / "wheelhouse").mkdir(parents=True, exist_ok=True)
    (build / "releases").mkdir(parents=True, exist_ok=True)
    wheelhouse = build / "wheelhouse" / wheelhouse_id
    release = build / "releases" / release_id
    built: list[str] = []
    if not (wheelhouse / ".complete").exists():
        build_wheelhouse(args, project, wheelhouse)
        built.append("wheelhouse")
    if not (release / ".complete").exists():
        build_release(args, project, release)
        built.append("release")
    if "release" in built:
        meta = {
            "release": release_id,
            "version": version,
            "wheelhouse": wheelhouse_id,
            "source_sha256": source_hash,
        }
        (release / "release.json").write_text(json.dumps(meta, indent=1) + "\n")
    os.utime(wheelhouse)
    os.utime(release)
    prune(build / "wheelhouse", {wheelhouse_id}, args.keep)
    prune(build / "releases", {release_id}, args.keep)
    wheels = sorted(p.name for p in release.glob("*.whl"))
    print(
        json.dumps(
            {
                "changed": bool(built),
                "built": built,
                "version": version,
                "release": release_id,
                "release_dir": str(release),
                "app_wheel": wheels[0] if wheels else "",
                "wheelhouse": wheelhouse_id,
                "wheelhouse_dir": str(wheelhouse),
                "wheel_count": len(list(wheelhouse.glob("*.whl"))),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
