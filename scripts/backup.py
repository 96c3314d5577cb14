"""Backup, restore and the restore drill (make backup / make restore / make restore-drill).

A backup is a folder var/backups/<time>/ holding:
  database.dump (PostgreSQL custom format, pg_dump) or database.sqlite3 (SQLite online backup);
  files.tar    every uploaded file of the default storage (local folder or S3 bucket), by its storage name;
  manifest.json row counts of every table, and the size and SHA-256 of every file.
A restore loads them into a database and a file storage, then checks every row count and every file's hash
against the manifest, and prints how long it took. The drill restores into a fresh database and folder.

    .venv/bin/python scripts/backup.py backup
    .venv/bin/python scripts/backup.py restore var/backups/20261125-061500 [--database-url URL] [--media-root DIR]
    .venv/bin/python scripts/backup.py drill
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangtao.settings")


def setup():
    import django

    django.setup()


def row_counts(connection) -> dict[str, int]:
    with connection.cursor() as c:
        tables = sorted(connection.introspection.table_names(c))
        out = {}
        for t in tables:
            c.execute(f'SELECT COUNT(*) FROM "{t}"')
            out[t] = c.fetchone()[0]
    return out


def walk(storage, prefix=""):
    dirs, files = storage.listdir(prefix)
    for f in files:
        yield f"{prefix}{f}"
    for d in dirs:
        yield from walk(storage, f"{prefix}{d}/")


def backup(dest_root: Path | None = None) -> Path:
    setup()
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.db import connection

    started = time.perf_counter()
    dest = (dest_root or ROOT / "var" / "backups") / time.strftime("%Y%m%d-%H%M%S")
    dest.mkdir(parents=True)
    db = settings.DATABASES["default"]
    counts = row_counts(connection)
    if connection.vendor == "postgresql":
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        subprocess.run(
            [
                "pg_dump",
                "-Fc",
                "-h",
                db.get("HOST") or "127.0.0.1",
                "-p",
                str(db.get("PORT") or 5432),
                "-U",
                db.get("USER") or "postgres",
                "-f",
                str(dest / "database.dump"),
                db["NAME"],
            ],
            check=True,
            env=env,
        )
    else:
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(dest / "database.sqlite3")
        source.backup(target)  # consistent even while the app writes (WAL)
        target.close()
        source.close()
    files = {}
    with tarfile.open(dest / "files.tar", "w") as tar:
        try:
            names = list(walk(default_storage))
        except FileNotFoundError:
            names = []
        for name in names:
            with default_storage.open(name, "rb") as fh:
                data = fh.read()
            files[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    manifest = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "vendor": connection.vendor,
        "tables": counts,
        "files": files,
        "seconds": round(time.perf_counter() - started, 2),
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"Sao lưu: {dest} — {sum(counts.values()):,} dòng trong {len(counts)} bảng, {len(files):,} tệp, "
        f"{manifest['seconds']} s"
    )
    return dest


def restore(src: Path, database_url: str | None = None, media_root: str | None = None) -> dict:
    """Load a backup into `database_url` (default: the configured database) and `media_root` (default: the
    configured storage), then verify it against the manifest."""
    started = time.perf_counter()
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if media_root:
        os.environ["MEDIA_ROOT"] = media_root
        os.environ.pop("SANGTAO_S3_BUCKET", None)
    url = os.environ.get("DATABASE_URL", "")
    if (src / "database.dump").exists():
        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        base = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
        env = {**os.environ, "PGPASSWORD": parts.password or ""}
        subprocess.run(["dropdb", *base, "--if-exists", name], check=True, env=env)
        subprocess.run(["createdb", *base, name], check=True, env=env)
        subprocess.run(["pg_restore", *base, "-d", name, "--no-owner", str(src / "database.dump")], check=True, env=env)
    else:
        target = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else str(ROOT / "db.sqlite3")
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
        shutil.copyfile(src / "database.sqlite3", target)
    setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection

    with tarfile.open(src / "files.tar") as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                continue
            data = tar.extractfile(member).read()
            if default_storage.exists(member.name):
                default_storage.delete(member.name)
            default_storage.save(member.name, ContentFile(data))
    problems = []
    counts = row_counts(connection)
    for table, n in manifest["tables"].items():
        if counts.get(table) != n:
            problems.append(f"bảng {table}: {counts.get(table)} dòng, bản sao lưu có {n}")
    for name, meta in manifest["files"].items():
        try:
            with default_storage.open(name, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
        except FileNotFoundError:
            digest = None
        if digest != meta["sha256"]:
            problems.append(f"tệp {name}: {'thiếu' if digest is None else 'sai mã băm'}")
    seconds = round(time.perf_counter() - started, 2)
    result = {
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": len(manifest["files"]),
        "seconds": seconds,
        "problems": problems,
    }
    if problems:
        print("KHÔI PHỤC CÓ LỖI:\n  " + "\n  ".join(problems))
    else:
        print(
            f"Khôi phục và kiểm tra xong: {result['rows']:,} dòng / {result['tables']} bảng, {result['files']:,} tệp "
            f"đúng mã băm, {seconds} s"
        )
    return result


def drill():
    """Back up the configured database and files, restore into a fresh database and folder, verify."""
    dest = backup()
    from django.conf import settings

    media = ROOT / "var" / "restore-drill" / "media"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        db = settings.DATABASES["default"]
        url = (
            f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/"
            f"{db['NAME']}_restore_drill"
        )
    else:
        url = f"sqlite:///{ROOT / 'var' / 'restore-drill' / 'db.sqlite3'}"
    # A new process: the restored database must be opened fresh, not through this process's connections.
    proc = subprocess.run(
        [sys.executable, __file__, "restore", str(dest), "--database-url", url, "--media-root", str(media)],
        env={**os.environ},
    )
    return proc.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["backup", "restore", "drill"])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--database-url")
    parser.add_argument("--media-root")
    args = parser.parse_args()
    if args.command == "backup":
        backup()
    elif args.command == "restore":
        if not args.path:
            parser.error("restore needs the backup folder")
        result = restore(Path(args.path), args.database_url, args.media_root)
        sys.exit(1 if result["problems"] else 0)
    else:
        sys.exit(drill())


if __name__ == "__main__":
    main()
