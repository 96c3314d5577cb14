"""`manage.py novelty --check / --rebuild / --query` (issue 18)."""

import io

import pytest
from django.core.management import CommandError, call_command

from sangtao.registrations.models import NoveltyPosting, Registration
from tests.registrations.test_novelty_scores import submitted


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("novelty", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def corpus(campaign, demo, users):
    officer, org = users["capnuoc.canbo"], demo["DUK-CTN"]
    return [
        submitted(campaign, org, officer, title, "Điểm mới của đơn vị.")
        for title in (
            "Đỡ đầu hộ nghèo thoát nghèo bền vững",
            "Nạo vét hồ chứa nước phục vụ tưới tiêu",
            "Chi bộ sinh hoạt chuyên đề gắn với chuyển đổi số",
            "Camera an ninh tại khu dân cư",
        )
    ]


def test_check_passes_on_a_consistent_index_and_fails_with_exit_1_on_a_difference(corpus):
    out, _err = run("--check")
    assert "khớp" in out
    Registration.objects.filter(pk=corpus[0].pk).update(title="Tên sửa ngoài ứng dụng")  # no re-indexing
    with pytest.raises(CommandError) as failed:
        run("--check")
    assert failed.value.returncode == 1
    NoveltyPosting.objects.filter(registration=corpus[1]).first().delete()
    with pytest.raises(CommandError):
        run("--check")


def test_rebuild_shows_progress_and_makes_check_pass(corpus):
    Registration.objects.filter(pk=corpus[0].pk).update(title="Bản đồ số lưới điện trung thế")
    out, err = run("--rebuild")
    assert "4 mô hình" in out
    assert "[" + "#" * 30 + "] 4/4" in err
    assert "khớp" in run("--check")[0]
    out, _err = run("--query", "ban do so luoi dien")  # and the lookup answers from the rebuilt index
    assert out.splitlines()[0].split()[1] == f"#{corpus[0].pk}"


def test_query_lists_the_twin_first_with_its_percentage(corpus):
    out, _err = run("--query", "Đảng viên đỡ đầu hộ nghèo", "--limit", "2")
    lines = out.splitlines()
    assert len(lines) == 2
    assert f"#{corpus[0].pk}" in lines[0] and "Đỡ đầu hộ nghèo" in lines[0]
    assert lines[0].strip().split("%")[0].isdigit()


def test_no_option_is_an_error():
    with pytest.raises(CommandError):
        run()
