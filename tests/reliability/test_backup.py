"""make backup / make restore: a backup restored into a fresh database and folder has every row and every file
(checked by hash), and a damaged backup is reported, not silently accepted."""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.utils import timezone

from sangtao.common.tasks import requeue_stale_jobs
from sangtao.coverage.models import Export
from sangtao.orgs.models import ImportJob
from tests.conftest import make_user
from tests.support import open_campaign

ROOT = Path(__file__).resolve().parents[2]


def run(*args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_backup_restore_round_trip_and_damage_detection(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sangtao.settings",
        "DJANGO_DEBUG": "1",
        "REDIS_URL": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("SANGTAO_S3_BUCKET", None)
    assert run("manage.py", "migrate", "-v0", env=env).returncode == 0
    (tmp_path / "media" / "evidence" / "2027").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "2027" / "a.pdf").write_bytes(b"%PDF-1.4 bien ban")
    (tmp_path / "media" / "documents").mkdir()
    (tmp_path / "media" / "documents" / "cv.docx").write_bytes(b"PK\x03\x04 cong van")
    out = run("manage.py", "shell", "-c", "from sangtao.orgs.demo import load_demo; load_demo()", env=env)
    assert out.returncode == 0, out.stderr
    backup = run("scripts/backup.py", "backup", env=env)
    assert backup.returncode == 0, backup.stderr
    folder = ROOT / backup.stdout.split("Sao lưu: ")[1].split(" — ")[0].removeprefix(str(ROOT) + "/")
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["tables"]["orgs_organization"] > 20 and set(manifest["files"]) == {
            "evidence/2027/a.pdf",
            "documents/cv.docx",
        }
        restored = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"}
        ok = run(
            "scripts/backup.py", "restore", str(folder), "--media-root", str(tmp_path / "restored-media"), env=restored
        )
        assert ok.returncode == 0 and "đúng mã băm" in ok.stdout, ok.stdout + ok.stderr
        assert (tmp_path / "restored-media" / "evidence" / "2027" / "a.pdf").read_bytes() == b"%PDF-1.4 bien ban"
        # A backup whose file does not match its manifest is reported and the restore fails.
        manifest["files"]["documents/cv.docx"]["sha256"] = "0" * 64
        (folder / "manifest.json").write_text(json.dumps(manifest))
        bad = run("scripts/backup.py", "restore", str(folder), "--media-root", str(tmp_path / "again"), env=restored)
        assert bad.returncode == 1 and "documents/cv.docx: sai mã băm" in bad.stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_stale_jobs_are_dispatched_again_from_the_database(db, demo, settings, tmp_path):
    """A job whose message was lost (Redis restarted) is found in the database and run; a finished one is not."""

    settings.MEDIA_ROOT = tmp_path
    campaign = open_campaign(2031, code="DK-J")
    user = make_user("export.user", "viewer", demo["LD"])
    lost = Export.objects.create(user=user, campaign=campaign, org=demo["LD-DUK"], kind="coverage")
    recent = Export.objects.create(user=user, campaign=campaign, org=demo["LD-DUK"], kind="coverage")
    done = Export.objects.create(user=user, campaign=campaign, org=demo["LD-DUK"], kind="coverage", status="done")
    old = timezone.now() - dt.timedelta(minutes=30)
    Export.objects.filter(pk__in=[lost.pk, done.pk]).update(created_at=old)

    # Lost imports of both kinds (each app sweeps its own jobs): a broken file, so each run ends "failed".
    imports = [
        ImportJob.objects.create(
            user=user, file_name=f"{kind}.xlsx", kind=kind, data=b"not a workbook", effective_date=dt.date(2031, 1, 1)
        )
        for kind in ("tree", "campaign")
    ]
    ImportJob.objects.filter(pk__in=[j.pk for j in imports]).update(created_at=old)
    assert requeue_stale_jobs() == 3  # Celery runs eagerly here: the lost jobs run now
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == "done" and lost.file and recent.status == "queued"
    assert [ImportJob.objects.get(pk=j.pk).status for j in imports] == ["failed", "failed"]
    assert requeue_stale_jobs() == 0  # nothing twice
