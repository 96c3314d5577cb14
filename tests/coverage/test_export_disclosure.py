"""Issue 15 item 1 (exports): an appraisal's score and class reach an export only at or above the appraising
level, or once published. Worked example (tests/coverage/test_coverage.py): LD-DUK appraised DUK-CTN's
"Hóa đơn điện tử" 7,5 Khá and Nguyễn Văn An's (DV-0020, of DUK-CTN) "Đối thoại công nhân" 6 Đạt — signed, not
published. Each export is started through HTTP, as the button does, and read back."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from sangtao.appraisals import domain as adomain
from sangtao.coverage.exports import UNPUBLISHED
from sangtao.coverage.models import Export
from sangtao.coverage.tasks import run_export
from tests.coverage.test_coverage import example  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(login, demo, django_capture_on_commit_callbacks):
    def _export(username, kind, org_code):
        client = login(username)
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(f"/dot/DK-2023/tong-hop/{demo[org_code].pk}/chay/{kind}/")
        if r.status_code != 302:
            return r.status_code
        job = Export.objects.filter(user__username=username).latest("pk")
        assert job.status == Export.Status.DONE, job.error
        return load_workbook(BytesIO(client.get(f"/viec-chay-nen/{job.pk}/tai/").getvalue()))

    return _export


def results(wb):
    """{model title: (score, model class, subject result, subject class)} of the Ket_qua sheet."""
    return {r[4]: (r[5], r[6], r[7], r[8]) for r in wb["Ket_qua"].iter_rows(min_row=6, values_only=True) if r[0]}


def total_row(wb):
    return list(wb["Tong_hop"].iter_rows(values_only=True))[-1]


def publish(example, demo, users):
    adomain.publish(actor=users["duk.canbo"], campaign=example, org=demo["LD-DUK"])


def test_the_appraised_units_officer_sees_nothing_before_publication(example, demo, users, export):
    wb = export("capnuoc.canbo", "year_end", "DUK-CTN")
    rows = results(wb)
    assert rows["Hóa đơn điện tử"] == (None, None, None, None)
    assert rows["Đối thoại công nhân"] == (None, None, None, None)
    coverage = export("capnuoc.canbo", "coverage", "DUK-CTN")
    total = total_row(coverage)
    assert total[1] == "TỔNG CỘNG" and total[5] == 4  # registrations are his to see…
    assert set(total[10:]) == {UNPUBLISHED}  # …the classes are not
    assert all(
        r[5:] == (None, None, None, None)
        for r in coverage["Ket_qua"].iter_rows(min_row=6, values_only=True)
        if r[1] in ("Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng", "Nguyễn Văn An")
    )
    publish(example, demo, users)
    rows = results(export("capnuoc.canbo", "year_end", "DUK-CTN"))
    assert rows["Hóa đơn điện tử"] == (7.5, "Khá", 7.5, "Khá")
    assert rows["Đối thoại công nhân"][:2] == (6, "Đạt")
    assert UNPUBLISHED not in total_row(export("capnuoc.canbo", "coverage", "DUK-CTN"))


def test_the_appraising_level_sees_results_before_publication(example, demo, export):
    rows = results(export("duk.canbo", "year_end", "LD-DUK"))
    assert rows["Hóa đơn điện tử"] == (7.5, "Khá", 7.5, "Khá")
    total = total_row(export("duk.canbo", "coverage", "LD-DUK"))
    assert UNPUBLISHED not in total and total[10] == 2  # rated
    assert results(export("tinhuy.lanhdao", "year_end", "LD-DUK"))["Hóa đơn điện tử"][0] == 7.5  # the level above


def test_an_individual_cadre_cannot_start_a_level_export(example, demo, users, export):
    for kind in ("year_end", "coverage", "reminders"):
        assert export("nguyenvanan", kind, "DUK-CTN") == 403
    publish(example, demo, users)
    assert export("nguyenvanan", "year_end", "DUK-CTN") == 403  # a level's workbook is not his, published or not
    assert not Export.objects.filter(user__username="nguyenvanan").exists()


def test_the_job_checks_again(example, demo, users):
    """A job queued for someone who may not read the level (or no longer may) writes no file."""
    job = Export.objects.create(user=users["nguyenvanan"], campaign=example, org=demo["DUK-CTN"], kind="year_end")
    run_export.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == Export.Status.FAILED and not job.file


def test_the_registration_list_export_carries_no_result(example, login):
    r = login("capnuoc.canbo").get("/dot/DK-2023/dang-ky/xuat-excel/")
    values = {v for line in load_workbook(BytesIO(r.content))["Dang_ky"].iter_rows(values_only=True) for v in line}
    assert "Hóa đơn điện tử" in values and not values & {"Khá", "Đạt", "Không đạt", 7.5, 6, 4.75}
