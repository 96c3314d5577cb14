"""Issue 15 item 9: every workbook upload is checked for an archive bomb by one check (common.uploads), before
anything parses it — the tree import (web page, background job), the whole-campaign import (web page, job, command
line). A small .xlsx that expands past the limit is refused with a reason; nothing is written."""

import datetime as dt
import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sangtao.common.uploads import MAX_UNCOMPRESSED
from sangtao.exchange.campaign_excel import ImportFailed, import_campaign
from sangtao.orgs.interfaces import excel
from sangtao.orgs.models import ImportJob, Organization
from sangtao.orgs.tasks import run_import
from tests.conftest import make_user
from tests.orgs.test_import import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED = "Tệp nén bên trong quá lớn."
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A real tree workbook (one new organization) with one extra member of zeros past the limit."""
    good = workbook([("BOMB-1", "Chi bộ Bom", "", "chi_bo_co_so", "LD-DUK", "", "", "", "")])
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        with dst.open("xl/media/padding.bin", "w") as member:
            chunk = bytes(1 << 20)
            for _ in range(MAX_UNCOMPRESSED // len(chunk) + 2):
                member.write(chunk)
    data = out.getvalue()
    assert len(data) < 1_000_000  # small on the wire
    return data


def test_tree_import_page_refuses_it(login, demo, bomb, django_capture_on_commit_callbacks):
    client = login("btctu.quantri")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/to-chuc/nhap-excel/",
            {"file": SimpleUploadedFile("to-chuc.xlsx", bomb, XLSX), "effective_date": "01/09/2025"},
        )
    assert r.status_code == 200 and REFUSED in r.content.decode()
    assert not ImportJob.objects.exists() and not Organization.objects.filter(code="BOMB-1").exists()


def test_tree_import_job_refuses_it_before_parsing(demo, users_admin, bomb):
    """The job checks too: a file that reached the queue another way is never parsed."""
    job = ImportJob.objects.create(user=users_admin, file_name="x.xlsx", data=bomb, effective_date=dt.date(2025, 9, 1))
    run_import.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and [p["reason"] for p in job.problems] == [REFUSED]
    with pytest.raises(excel.ImportFailed):
        excel.import_workbook(bomb, user=users_admin)
    assert not Organization.objects.filter(code="BOMB-1").exists()


def test_campaign_import_refuses_it_everywhere(login, demo, users_admin, bomb, tmp_path):
    r = login("btctu.quantri").post("/nhap-ca-dot/", {"file": SimpleUploadedFile("dot.xlsx", bomb, XLSX)})
    assert r.status_code == 200 and REFUSED in r.content.decode()
    with pytest.raises(ImportFailed) as failed:
        import_campaign(bomb, user=users_admin)
    assert [p.reason for p in failed.value.problems] == [REFUSED]
    path = tmp_path / "dot.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(CommandError):
        call_command("import_workbook", str(path))
    assert not Organization.objects.filter(code="BOMB-1").exists()


@pytest.fixture
def users_admin(db):

    return make_user("quantri", "admin", None, superuser=True)
