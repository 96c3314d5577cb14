"""Issue 15, item 13: every form that creates something is protected against double submission, not only the
registration form. Sent twice with the same one-time token it makes one thing; sent without a token (or with one
the server never signed) it makes nothing and says why. The plain `client` is used so that no token is added."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sangtao.appraisals.models import Rubric
from sangtao.common import formtoken
from sangtao.registrations.models import RegistrationAttachment
from tests.registrations.conftest import campaign, draft, users  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plain_client(user):
    c = Client()
    c.force_login(user)
    return c


def token_in(page: str) -> str:

    m = re.search(r'name="form_token" value="([^"]+)"', page)
    assert m, "the form carries no one-time token"
    return m.group(1)


def test_rubric_version_is_made_once_per_form(users):
    c = plain_client(users["btctu.quantri"])
    c.get(reverse("appraisals:rubrics"))  # the default rubrics
    base = Rubric.objects.get(code="HD09-TT")
    url = reverse("appraisals:rubric_new", kwargs={"pk": base.pk})
    page = c.get(url)
    values = page.context["values"]
    before = Rubric.objects.count()

    refused = c.post(url, values)  # no token: nothing made, the typed text kept
    assert refused.status_code == 200 and Rubric.objects.count() == before
    assert "không còn hợp lệ" in refused.content.decode() and values["criteria"] in refused.content.decode()
    forged = c.post(url, {**values, "form_token": "0" * 32})
    assert forged.status_code == 200 and Rubric.objects.count() == before

    token = token_in(page.content.decode())
    first = c.post(url, {**values, "form_token": token})
    second = c.post(url, {**values, "form_token": token})  # the double click
    assert first.status_code == second.status_code == 302
    assert Rubric.objects.count() == before + 1


def test_attachment_is_attached_once_per_form(campaign, demo, users):
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    c = plain_client(users["capnuoc.canbo"])
    detail = c.get(reverse("registrations:detail", kwargs={"pk": reg.pk})).content.decode()
    url = reverse("registrations:attachment_upload", kwargs={"pk": reg.pk})

    def send(**extra):

        return c.post(url, {"file": SimpleUploadedFile("ke-hoach.pdf", PDF, "application/pdf"), **extra})

    send()
    send(form_token=formtoken.new()[:-3] + "abc")
    assert not RegistrationAttachment.objects.filter(registration=reg).exists()
    token = token_in(detail)
    send(form_token=token)
    send(form_token=token)
    assert RegistrationAttachment.objects.filter(registration=reg).count() == 1
    # The next form drawn has a new token: a second, different file can be attached.
    send(form_token=token_in(c.get(reverse("registrations:detail", kwargs={"pk": reg.pk})).content.decode()))
    assert RegistrationAttachment.objects.filter(registration=reg).count() == 2
