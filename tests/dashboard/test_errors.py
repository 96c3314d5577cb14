"""Error pages are the app's own, in Vietnamese, with a way back — also under DEBUG (make run) for 404 and 405."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver

from sangtao.dashboard import errors
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(demo):
    return make_user("ctn.officer", "officer", demo["DUK-CTN"])


def _ours(r, heading):
    html = r.content.decode()
    assert heading in html, html[:500]
    assert 'href="/"' in html  # a way back home
    assert "Page not found" not in html and "Forbidden" not in html and "URLconf" not in html


@pytest.fixture
def officer_client(officer):
    """The officer logged in on a plain client: these requests are no form posts."""
    c = Client()
    c.force_login(officer)
    return c


DEBUG = pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])


@DEBUG
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        pytest.param("/khong-co-trang-nay/", 404, "Không tìm thấy trang này", id="no-such-address"),
        pytest.param("/dang-ky/999999/", 404, "Không tìm thấy trang này", id="a-views-own-404"),
        pytest.param("/to-chuc/nhap-excel/", 403, "Anh/chị không có quyền làm việc này", id="forbidden"),
    ],
)
def test_404_and_403_are_ours_also_under_debug(officer_client, debug, path, status, heading):
    with override_settings(DEBUG=debug):
        r = officer_client.get(path, HTTP_REFERER="http://testserver/dot/")
        assert r.status_code == status
        _ours(r, heading)
        assert 'href="http://testserver/dot/"' in r.content.decode()  # back to where the person came from


@DEBUG
def test_405_is_ours_and_keeps_allow(officer_client, debug):
    with override_settings(DEBUG=debug):
        r = officer_client.get("/thong-bao/da-doc-tat-ca/")
    assert r.status_code == 405 and r["Allow"] == "POST"
    assert "default-src 'self'" in r["Content-Security-Policy"]  # our page keeps the security headers
    _ours(r, "Địa chỉ này chỉ dùng để gửi biểu mẫu")


def test_api_keeps_its_json_answers(officer_client):
    r = officer_client.post("/api/v1/organizations/")
    assert r.status_code in (403, 405) and r["Content-Type"].startswith("application/json")


def test_csrf_failure_is_ours(officer):
    c = Client(enforce_csrf_checks=True)
    c.force_login(officer)
    r = c.post("/thong-bao/da-doc-tat-ca/")
    assert r.status_code == 403
    _ours(r, "Biểu mẫu đã hết hạn, chưa gửi được")


def test_500_is_ours_without_touching_the_database():

    assert get_resolver().resolve_error_handler(500) is errors.server_error
    r = errors.server_error(RequestFactory().get("/"))
    assert r.status_code == 500
    _ours(r, "Hệ thống gặp lỗi, chưa làm được việc này")
