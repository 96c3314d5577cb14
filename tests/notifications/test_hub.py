"""The notification hub: one call writes the in-app notice and e-mails it (at once or in a daily digest), never
twice for one event; the page, the unread count in the header, mark read, and each person's e-mail choice."""

import datetime as dt
import re
import zoneinfo
from string import Formatter

import pytest
import time_machine
from django.core import mail

from sangtao.notifications import domain, tasks
from sangtao.notifications.events import EVENTS
from sangtao.notifications.models import Notification, Preference
from sangtao.notifications.testing import assert_not_notified, assert_notified
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def people(demo):
    mai = make_user("mai", "officer", demo["LD-DUK"])
    mai.email = "mai@duk.vn"
    mai.save()
    an = make_user("an", "officer", demo["DUK-CTN"])
    an.email = "an@capnuoc.vn"
    an.save()
    return mai, an


def test_one_event_reaches_each_person_once_in_app_and_by_email(people, django_capture_on_commit_callbacks):
    mai, an = people
    with django_capture_on_commit_callbacks(execute=True):
        first = domain.notify(
            "registration.submitted",
            recipients=[mai, an, mai],
            key="reg1v1",
            url="/dang-ky/1/",
            context={"title": "Hóa đơn điện tử", "org": "Công ty Cấp thoát nước"},
        )
        again = domain.notify(
            "registration.submitted",
            recipients=[mai, an],
            key="reg1v1",
            url="/dang-ky/1/",
            context={"title": "Hóa đơn điện tử", "org": "Công ty Cấp thoát nước"},
        )
    assert len(first) == 2 and again == []
    assert Notification.objects.filter(user=mai).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["an@capnuoc.vn", "mai@duk.vn"]
    assert "Hóa đơn điện tử" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/dang-ky/1/" in mail.outbox[0].body  # a link one can click in the e-mail
    assert_notified(mai, "registration.submitted", contains="Công ty Cấp thoát nước")
    assert_not_notified(mai, "registration.returned")
    tasks.send_immediate([n.pk for n in first])  # a redelivered task sends nothing more
    assert len(mail.outbox) == 2


def test_unknown_event_is_refused(people):
    with pytest.raises(KeyError):
        domain.notify("no.such.event", recipients=[people[0]], key="x")


def test_daily_digest_is_one_email_a_day_listing_the_days_items(people, django_capture_on_commit_callbacks):
    mai, _an = people
    domain.set_email_mode(user=mai, mode=Preference.Email.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(dt.datetime(2027, 3, 10, 9, 0, tzinfo=HCM), tick=False):
            domain.notify(
                "registration.submitted", recipients=[mai], key="a", context={"title": "Mô hình A", "org": "X"}
            )
        with time_machine.travel(dt.datetime(2027, 3, 10, 14, 0, tzinfo=HCM), tick=False):
            domain.notify("report.submitted", recipients=[mai], key="b", context={"title": "Mô hình B", "org": "Y"})
    assert mail.outbox == []  # nothing sent one by one
    with time_machine.travel(dt.datetime(2027, 3, 10, 17, 0, tzinfo=HCM), tick=False):
        assert tasks.send_digests() == 1
        assert tasks.send_digests() == 0  # the beat ran twice: still one e-mail that day
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Mô hình A" in body and "Mô hình B" in body and "10/03/2027" in mail.outbox[0].subject
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(dt.datetime(2027, 3, 11, 8, 0, tzinfo=HCM), tick=False),
    ):
        domain.notify("registration.accepted", recipients=[mai], key="c", context={"title": "Mô hình C", "org": "Z"})
    with time_machine.travel(dt.datetime(2027, 3, 11, 17, 0, tzinfo=HCM), tick=False):
        assert tasks.send_digests() == 1
    assert len(mail.outbox) == 2
    second = mail.outbox[1].body
    assert "Mô hình C" in second and "Mô hình A" not in second and "11/03/2027" in mail.outbox[1].subject


def test_no_email_when_the_person_chose_in_app_only(people, django_capture_on_commit_callbacks):
    mai, _an = people
    domain.set_email_mode(user=mai, mode=Preference.Email.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        domain.notify("registration.accepted", recipients=[mai], key="c", context={"title": "T", "org": "O"})
    assert mail.outbox == [] and Notification.objects.filter(user=mai).count() == 1


def test_page_unread_count_open_and_mark_all_read(people, login):
    mai, an = people
    domain.notify(
        "registration.submitted", recipients=[mai], key="1", url="/dot/", context={"title": "Một", "org": "O"}
    )
    domain.notify(
        "registration.returned",
        recipients=[mai],
        key="2",
        context={"title": "Hai", "org": "O", "reason": "Thiếu chỉ tiêu"},
    )
    domain.notify(
        "registration.returned", recipients=[an], key="3", context={"title": "Của An", "org": "O", "reason": "-"}
    )
    c = login("mai")
    home = c.get("/").content.decode()
    link = re.search(r'<a href="([^"]+)">Thông báo <span class="badge">2</span>', home)
    assert link and link.group(1) == "/thong-bao/"
    page = c.get("/thong-bao/").content.decode()
    assert "Đăng ký bị trả lại: Hai" in page and "Thiếu chỉ tiêu" in page and "Của An" not in page
    item = Notification.objects.get(user=mai, key__endswith=":1")
    r = c.post(f"/thong-bao/{item.pk}/mo/")
    assert r.status_code == 302 and r["Location"] == "/dot/"
    assert Notification.objects.get(pk=item.pk).read_at is not None
    other = Notification.objects.get(user=an)
    assert c.post(f"/thong-bao/{other.pk}/mo/").status_code == 404  # not hers
    c.post("/thong-bao/da-doc-tat-ca/")
    assert domain.unread_count(mai) == 0 and domain.unread_count(an) == 1
    assert 'class="badge"' not in c.get("/thong-bao/").content.decode()


def test_each_person_chooses_immediate_or_digest(people, login):
    c = login("mai")
    page = c.get("/thong-bao/cai-dat/").content.decode()
    assert "Một thư tổng hợp mỗi ngày" in page
    assert c.post("/thong-bao/cai-dat/", {"email": "digest"}).status_code == 302
    assert domain.email_mode(people[0]) == Preference.Email.DIGEST
    assert domain.email_mode(people[1]) == Preference.Email.IMMEDIATE
    assert c.post("/thong-bao/cai-dat/", {"email": "bogus"}).status_code == 200
    assert 'href="/thong-bao/cai-dat/"' in c.get("/").content.decode()  # the menu links to it


def test_every_event_of_the_catalogue_renders_in_vietnamese():

    for kind, spec in EVENTS.items():
        fields = {f for text in (str(spec.subject), str(spec.body)) for _l, f, _s, _c in Formatter().parse(text) if f}
        subject, body = domain.render(kind, {f: f"<{f}>" for f in fields})
        assert subject and body and str(spec.audience), kind
        assert not re.search(r"\b(the|and|was|has)\b", subject + " " + body), kind  # Vietnamese, not English
