"""Issue 15, item 1: nothing of an appraisal (scores, class, notes, bonus) reaches the appraised unit, its
people, or anyone below the appraising level before the appraising level publishes — through every page,
tried over HTTP as the unit's officer, an individual cadre of the unit, an officer of the unit who also
holds a role at the appraising level, and the appraising level itself; before and after publication."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.urls import reverse

from sangtao.appraisals import domain, rules
from sangtao.appraisals.models import Appraisal
from sangtao.notifications.models import Notification
from sangtao.orgs.models import Person, Role, RoleAssignment
from tests.appraisals.conftest import accepted, appraise_alone, commended, score
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
MARKS = {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"}  # 7,5 Khá
SECRET = "Căn cứ chấm TC1"  # every note written by `score` starts so


@pytest.fixture
def world(campaign, demo, users):
    # An officer of the appraised unit who is also an officer at the appraising level (two roles, one person).
    both = make_user("ctn.kiemnhiem", Role.OFFICER, demo["DUK-CTN"])
    RoleAssignment.objects.create(user=both, org=demo["LD-DUK"], role=Role.OFFICER)
    reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Hóa đơn điện tử")
    ap = appraise_alone(reg, users["duk.thamdinh"], MARKS)
    return reg, ap


def pages(campaign, reg, ap):
    code = campaign.code
    return [
        reverse("appraisals:detail", kwargs={"pk": ap.pk}),
        reverse("appraisals:results", kwargs={"code": code}),
        reverse("appraisals:queue", kwargs={"code": code}),
        reverse("appraisals:quality", kwargs={"code": code}),
        reverse("registrations:detail", kwargs={"pk": reg.pk}),
    ]


QUALITY_EMPTY = "Chưa có thẩm định đã ký duyệt trong phạm vi."


def leaked(client, urls) -> list[str]:
    """The pages that show any of the result: its total, its class, a note, or (on the quality page, whose
    header names every class) a row of figures counting it."""
    out = []
    for url in urls:
        r = client.get(url)
        assert r.status_code in (200, 403, 404), (url, r.status_code)  # an answer, not a detour (two-factor, login)
        body = r.content.decode() if r.status_code == 200 else ""
        if "chat-luong" in url:
            shown = bool(body) and QUALITY_EMPTY not in body
        else:
            shown = "7,5" in body or "Khá" in body or SECRET in body
        if shown:
            out.append(url)
    return out


APPRAISED = ["capnuoc.canbo", "nguyenvanan", "ctn.kiemnhiem"]


def test_nothing_reaches_the_appraised_before_publication(world, campaign, demo, login):
    reg, ap = world
    urls = pages(campaign, reg, ap)
    for username in APPRAISED:
        assert leaked(login(username), urls) == [], username
    # The appraising level sees everything (its quality page too).
    assert set(leaked(login("duk.canbo"), urls)) >= set(urls[:4])
    # The level's officers are told the result awaits publication; the one of the unit is not.

    told = set(Notification.objects.filter(event="appraisal.signed").values_list("user__username", flat=True))
    assert told == {"duk.canbo"}
    assert not Notification.objects.filter(user__username__in=APPRAISED, event__startswith="appraisal.").exists()
    # The officer with two roles cannot publish what he may not see: the button is not offered him, and a
    # direct request is refused (another officer of the level publishes).
    both = login("ctn.kiemnhiem")
    assert "cong-bo" not in both.get(urls[1]).content.decode()
    r = both.post(
        reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk}), follow=True
    )
    assert "một cán bộ khác của cấp công bố" in r.content.decode()
    assert Appraisal.objects.get(pk=ap.pk).state == Appraisal.State.SIGNED


def test_after_publication_the_unit_and_its_people_see_the_result(world, campaign, demo, login):
    reg, ap = world
    urls = pages(campaign, reg, ap)
    r = login("duk.canbo").post(
        reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk})
    )
    assert r.status_code == 302
    for username in ["capnuoc.canbo", "ctn.kiemnhiem"]:
        client = login(username)
        assert client.get(urls[0]).status_code == 200, username
        assert "7,5" in client.get(urls[1]).content.decode(), username
    # An individual cadre of the unit reads only his own models' results (rules R12), published or not.
    assert leaked(login("nguyenvanan"), urls) == []


def test_a_reappraisal_stays_hidden_from_the_lower_level_until_the_upper_level_publishes(
    world, campaign, demo, users, login
):
    _reg, ap = world
    login("duk.canbo").post(reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk}))
    province = make_user("tinh.thamdinh", Role.APPRAISER, demo["LD"])
    new = domain.reappraise(
        actor=province,
        appraisal=Appraisal.objects.get(pk=ap.pk),
        org=demo["LD"],
        reason="Đơn vị đề nghị phúc tra",
        members=[province],
        chair=province,
    )
    score(new, province, {"TC1": "2", "TC2": "4", "TC3": "2", "TC4": "1"})  # 9 Xuất sắc
    domain.sign_off(actor=province, appraisal=new)
    for username in ["capnuoc.canbo", "duk.canbo", "duk.thamdinh"]:
        client = login(username)
        old_page = client.get(reverse("appraisals:detail", kwargs={"pk": ap.pk})).content.decode()
        assert "7,5" in old_page and "Xuất sắc" not in old_page, username  # the published version only
        assert client.get(reverse("appraisals:detail", kwargs={"pk": new.pk})).status_code == 404, username
        results = client.get(reverse("appraisals:results", kwargs={"code": campaign.code})).content.decode()
        assert "Xuất sắc" not in results and ">9<" not in results, username
    assert (
        "Xuất sắc" in login("tinhuy.lanhdao").get(reverse("appraisals:detail", kwargs={"pk": new.pk})).content.decode()
    )


def test_the_filter_matches_the_predicate_for_every_user_and_state(world, campaign, demo, users):
    _reg, signed = world
    scoring = domain.open_appraisal(
        actor=users["duk.thamdinh"],
        members=[users["duk.thamdinh"]],
        chair=users["duk.thamdinh"],
        registration=accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], "Mô hình hai"),
    )
    dl = make_user("dl.canbo", Role.OFFICER, demo["DUK-DL"])
    published = appraise_alone(
        accepted(campaign, demo["DUK-DL"], dl, users["duk.canbo"], "Mô hình ba"), users["duk.thamdinh"], MARKS
    )
    Appraisal.objects.filter(pk=published.pk).update(state=Appraisal.State.PUBLISHED)
    aps = Appraisal.objects.select_related("registration__person", "registration__subject_org", "appraising_org")
    checked = 0
    for pk in get_user_model().objects.values_list("pk", flat=True):
        user = get_user_model().objects.get(pk=pk)  # fresh scopes
        by_rule = {a.pk for a in aps if rules.can_see_result(user, a)}
        by_filter = set(Appraisal.objects.filter(rules.visible_results_q(user)).values_list("pk", flat=True))
        assert by_rule == by_filter, user.username
        checked += bool(by_rule)
    assert checked >= 3
    assert {signed.pk, scoring.pk} & set(
        Appraisal.objects.filter(rules.visible_results_q(users["capnuoc.canbo"])).values_list("pk", flat=True)
    ) == set()


def test_an_individual_appraised_without_a_registration_does_not_see_his_result_before_publication(
    campaign, demo, users, login
):

    an = Person.objects.get(code="DV-0020")  # nguyenvanan, evaluated by the bloc; also one of its appraisers
    RoleAssignment.objects.create(user=an.user, org=demo["LD-DUK"], role=Role.APPRAISER)
    TOTP.activate(an.user, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")  # the appraiser role requires two-factor
    commended(campaign, users["duk.thamdinh"], an)
    url = reverse("appraisals:unregistered", kwargs={"code": campaign.code})
    assert "8,75" in login("duk.thamdinh").get(url).content.decode()
    results = reverse("appraisals:results", kwargs={"code": campaign.code})
    for page in (url, results):
        r = login("nguyenvanan").get(page)
        assert r.status_code == 200 and "8,75" not in r.content.decode(), page
    login("duk.canbo").post(reverse("appraisals:publish", kwargs={"code": campaign.code, "org_pk": demo["LD-DUK"].pk}))
    assert "8,75" in login("nguyenvanan").get(results).content.decode()
