"""The novelty check from the API (issue 18): /api/v1/novelty/?q=… and ?registration=…, scoped as the screens."""

import pytest

from sangtao.registrations.models import Registration
from tests.api.test_api import api
from tests.registrations.test_novelty_scores import submitted


@pytest.fixture
def regs(campaign, demo, users):
    own = submitted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], "Đỡ đầu hộ nghèo thoát nghèo bền vững")
    other = submitted(campaign, demo["LD-LDG"], users["capnuoc.canbo"], "Đảng viên đỡ đầu hộ nghèo ở thôn")
    for i in range(8):
        submitted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], f"Mô hình khác thứ {i}")
    return own, other


def test_login_required(client, regs):
    assert client.get("/api/v1/novelty/", {"q": "hộ nghèo"}).status_code in (401, 403)


def test_query_finds_twins_of_any_unit_but_ids_only_in_scope(regs):
    own, other = regs
    found = api("capnuoc.canbo").get("/api/v1/novelty/", {"q": "do dau ho ngheo", "limit": 3}).json()["results"]
    by_title = {r["title"]: r for r in found}
    assert set(by_title) >= {own.title, other.title}
    assert by_title[own.title]["id"] == own.pk
    assert by_title[other.title]["id"] is None  # another province's unit: title, unit, year and score only
    assert all(0 <= r["score"] <= 1 and r["percent"] == round(r["score"] * 100) for r in found)


def test_registration_check_is_scoped_and_shows_declared_replication(regs):
    own, other = regs
    Registration.objects.filter(pk=own.pk).update(replicates=other)
    res = api("capnuoc.canbo").get("/api/v1/novelty/", {"registration": own.pk}).json()["results"]
    assert res[0]["title"] == other.title and res[0]["declared_replication"] is True
    assert all(r["title"] != own.title for r in res)  # not itself
    assert api("lacduong.canbo").get("/api/v1/novelty/", {"registration": own.pk}).status_code == 404


def test_bad_parameters_answer_400(regs):
    client = api("capnuoc.canbo")
    assert client.get("/api/v1/novelty/", {"q": "a"}).json() == {"results": []}  # too short to compare yet
    assert client.get("/api/v1/novelty/", {"q": "hộ nghèo", "limit": "x"}).status_code == 400
    assert client.get("/api/v1/novelty/", {"registration": "x"}).status_code == 400


def test_a_number_parameter_sent_empty_is_refused(regs):
    """Schemathesis sent `?registration=` (and `?limit=`): an empty number is malformed, not absent."""
    client = api("capnuoc.canbo")
    for query in ("registration=", "limit=", "q=camera&registration=%20"):
        assert client.get(f"/api/v1/novelty/?{query}").status_code == 400, query
    assert client.get("/api/v1/novelty/?q=camera").status_code == 200
