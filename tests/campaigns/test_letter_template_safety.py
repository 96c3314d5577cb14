"""Issue 15 item 6: the letter template reaches only plain values — never a model, a method or a relation."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from sangtao.campaigns import domain
from sangtao.campaigns.models import Document, LetterTemplate
from tests.support import open_campaign

D = dt.date
ATTACK = "{% for ra in issuer.role_assignments.all %}{{ ra.user.password }}|{{ ra.user.username }}{% endfor %}"
VARIANTS = [
    ATTACK,
    "{{ issuer.role_assignments.all.0.user.password }}",
    "{% load static %}{% static 'x' %}",
    "{% include 'base.html' %}",
    "{{ settings.SECRET_KEY }}",
    "{{ settings }}",
    "{{ committee.upper }}",  # attribute access on a plain value
    "{{ campaign.year.real }}",
    "{{ campaign.legal_basis_list.0.upper }}",
    "{{ campaign.root.name }}",
    "{% for b in campaign.legal_basis_list %}{{ b.split }}{% endfor %}",
    "{% if issuer.code %}x{% endif %}",
    "{{ committee|default:issuer.code }}",
    "{% url 'campaigns:list' %}",
    "{% debug %}",
]


@pytest.fixture
def campaign(demo):
    return open_campaign(
        2030, legal_bases="Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị", theme="Năm chuyển đổi số"
    )


@pytest.mark.parametrize("body", VARIANTS)
def test_the_form_refuses_anything_outside_the_placeholders(login, campaign, body):
    admin = login("btctu.quantri")
    before = domain.letter_template().body
    r = admin.post("/mau-cong-van/", {"name": "Mẫu", "subject": "đăng ký năm {{ campaign.year }}", "body": body})
    html = r.content.decode()
    assert r.status_code == 200
    assert "không được phép" in html
    assert "campaign.legal_basis_list" in html and "target_registered" in html  # the error lists what is allowed
    assert LetterTemplate.objects.get(code="cascade").body == before


def test_subject_is_checked_too(login, campaign):
    r = login("btctu.quantri").post("/mau-cong-van/", {"name": "Mẫu", "subject": "{{ issuer.code }}", "body": "x"})
    assert r.status_code == 200 and "issuer.code" in r.content.decode()


def test_a_template_stored_before_the_check_leaks_nothing_into_a_draft(login, campaign, demo):
    """The exact attack, already in the database (saved before templates were checked): the officer's draft
    holds no password hash, TOTP secret or username — the built-in template is used instead."""
    tpl = domain.letter_template()
    LetterTemplate.objects.filter(pk=tpl.pk).update(
        body=ATTACK
        + "{% for ra in issuer.role_assignments.all %}{{ ra.user.authenticator_set.all.0.data }}{% endfor %}",
        subject="{{ issuer.role_assignments.all.0.user.password }}",
    )
    officer = login("duk.canbo")
    r = officer.post(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/cong-van/")
    assert r.status_code == 302
    doc = Document.objects.filter(issuer=demo["LD-DUK"]).latest("pk")
    page = officer.get(f"/van-ban/{doc.pk}/").content.decode()
    users = get_user_model().objects.filter(roles__org=demo["LD-DUK"])
    hashes = [u.password for u in users]
    secrets = [a.data.get("secret") for a in Authenticator.objects.filter(user__in=users) if a.data.get("secret")]
    assert hashes
    for text in (doc.body, doc.subject, page):
        assert not any(h in text for h in hashes + secrets)
        assert "$" not in doc.body + doc.subject
    assert doc.subject == "đăng ký mô hình mới, cách làm sáng tạo năm 2030"
    assert "trước ngày 15/03/2030" in doc.body or "trước ngày 24/03/2030" in doc.body


def test_allowed_placeholders_loops_and_filters_render(login, campaign, demo):
    admin = login("btctu.quantri")
    body = (
        "{% for b in campaign.legal_basis_list %}- Căn cứ {{ b }} ({{ forloop.counter }}).\n{% endfor %}"
        "{{ committee|upper }} đề nghị trước ngày {{ deadline }}{% if campaign.theme %}; chủ đề "
        "“{{ campaign.theme }}”{% endif %}; {{ target_registered }}% / {{ target_rated }}%; "
        "báo cáo trước {{ results_deadline|date:'d/m/Y' }}."
    )
    r = admin.post("/mau-cong-van/", {"name": "Mẫu", "subject": "đăng ký năm {{ campaign.year }}", "body": body})
    assert r.status_code == 302, r.content.decode()
    officer = login("duk.canbo")
    officer.post(f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/cong-van/")
    doc = Document.objects.filter(issuer=demo["LD-DUK"]).latest("pk")
    assert doc.body == (
        "- Căn cứ Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị (1).\n"
        "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI DOANH NGHIỆP TỈNH đề nghị trước ngày 24/03/2030; chủ đề "
        "“Năm chuyển đổi số”; 90% / 25%; báo cáo trước 30/11/2030."
    )
    assert doc.subject == "đăng ký năm 2030"


def test_text_is_not_html_escaped(login, campaign, demo):
    admin = login("btctu.quantri")
    r = admin.post(
        "/mau-cong-van/",
        {"name": "Mẫu", "subject": "năm {{ campaign.year }}", "body": 'Ban Tuyên giáo & Dân vận "{{ committee }}"'},
    )
    assert r.status_code == 302
    doc = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    assert doc.body == 'Ban Tuyên giáo & Dân vận "Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh"'
