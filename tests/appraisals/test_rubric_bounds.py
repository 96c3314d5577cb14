"""Issue 15, item 10: a rubric's numbers are bounded decimals. `cap=1e999999` was saved as `inf` and every rubric
page then answered 500; the same for bands and bonus points. Now the form refuses with a Vietnamese message
naming the number, keeps what was typed, and the rubric pages keep working."""

import pytest
from django.urls import reverse

from sangtao.appraisals.models import Rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(login, users):
    c = login("btctu.quantri")
    c.get(reverse("appraisals:rubrics"))  # creates the default rubrics
    base = Rubric.objects.get(code="HD09-TT")
    url = reverse("appraisals:rubric_new", kwargs={"pk": base.pk})
    return c, url, c.get(url).context["values"]


BAD = [
    ("cap", lambda _f: "1e999999", "Điểm trần phải là số lớn hơn 0 đến 100"),
    ("cap", lambda _f: "NaN", "Điểm trần phải là số"),
    ("step", lambda _f: "0,125", "Bước điểm phải là số lớn hơn 0 đến 10, tối đa 2 chữ số thập phân"),
    (
        "bands",
        lambda f: f["bands"].replace("Khá | 7", "Khá | 1e999999"),
        "Ngưỡng của mức “Khá” phải là số từ 0 đến 100",
    ),
    (
        "bands",
        lambda f: f["bands"].replace("Khá | 7", "Khá | Infinity"),
        "Xếp loại, dòng 3: “Infinity” không phải là số.",
    ),
    (
        "bonuses",
        lambda f: f["bonuses"].replace("TH_A | 0,5", "TH_A | 1e999999"),
        "Điểm thưởng TH_A phải là số lớn hơn 0",
    ),
    ("bonuses", lambda f: f["bonuses"].replace("TH_A | 0,5", "TH_A | -0,5"), "Điểm thưởng TH_A phải là số lớn hơn 0"),
    ("criteria", lambda f: f["criteria"].replace("TC1 | 2", "TC1 | 1e999999"), "Điểm tối đa của TC1 phải là số"),
]


@pytest.mark.parametrize(("field", "typed", "message"), BAD)
def test_an_unbounded_number_is_refused_with_a_message_and_the_pages_keep_working(editor, field, typed, message):
    c, url, form = editor
    before = Rubric.objects.count()
    data = {**form, field: typed(form)}
    r = c.post(url, data)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert r.context["values"][field] == data[field]  # what was typed stays
    assert Rubric.objects.count() == before
    assert c.get(reverse("appraisals:rubrics")).status_code == 200
    assert c.get(url).status_code == 200


def test_bounded_numbers_are_saved(editor):
    c, url, form = editor
    r = c.post(url, {**form, "cap": "10", "step": "0,25", "bands": form["bands"].replace("Khá | 7", "Khá | 6,75")})
    assert r.status_code == 302
    assert {"label": "Khá", "min": "6.75"} in Rubric.objects.get(code="HD09-TT", version=2).bands
