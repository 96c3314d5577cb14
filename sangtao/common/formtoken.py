"""One-time form tokens against double submission (see `FormSubmission`).

A create form carries a token the server signed when it drew the page. `claim` is the one place that enforces it:
a POST without a token, with one the server never issued, or with one already used creates nothing. A view
calls `claim` inside the transaction that creates the record, and draws the form with `for_form(request)`.
"""

import re
import uuid
from contextlib import contextmanager

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

FIELD = "form_token"
SIGNER = signing.Signer(salt="sangtao.common.formtoken")


def new() -> str:
    return SIGNER.sign(uuid.uuid4().hex)


def nonce(token: str) -> str | None:
    """The token's one-time part when the server issued it, else None."""
    if not token or len(token) > 128:
        return None
    try:
        value = SIGNER.unsign(token)
    except signing.BadSignature:
        return None
    return value if len(value) == 32 else None


def for_form(request) -> str:
    """The token to draw a form with: the one it was sent with (a refused form shown again, so that resending it
    is still one submission), or a fresh one when there was none or it was not valid."""
    posted = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return posted if nonce(posted) else new()


class Duplicate(Exception):
    def __init__(self, result_url: str = ""):
        super().__init__(result_url)
        self.result_url = result_url


class Invalid(ValidationError):
    """No valid token: the view shows the form again (with what was typed and `for_form`'s fresh token)."""

    def __init__(self):
        super().__init__(
            _(
                "Biểu mẫu này không còn hợp lệ (thiếu mã biểu mẫu hoặc mã đã hỏng), nên chưa tạo gì. "
                "Nội dung bạn nhập vẫn còn bên dưới; hãy kiểm tra rồi gửi lại."
            ),
            code="form_token",
        )


def claim(token: str, user):
    """Record the token inside the caller's transaction; raise Invalid when it is missing or was not issued by
    the server, Duplicate when it was already used."""
    key = nonce(token)
    if key is None:
        raise Invalid
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=key, user=user)
    except IntegrityError:
        previous = FormSubmission.objects.filter(token=key, user=user).first()
        raise Duplicate(previous.result_url if previous else "") from None


def done(submission, url: str):
    if submission is not None:
        FormSubmission.objects.filter(pk=submission.pk).update(result_url=url)


@contextmanager
def once(request):
    """Make something once per form, in one transaction with the token's claim:

        with formtoken.once(request) as made:
            thing = domain.create_…(…)
            made(url_of(thing))

    Raises Invalid (a ValidationError: show it as the form's error, with what was typed and `for_form`'s token)
    or Duplicate (the form was already sent: redirect to what it made). An error inside the block rolls back the
    claim too, so the same form can be corrected and sent again."""
    urls = []
    with transaction.atomic():
        submission = claim(request.POST.get(FIELD, ""), request.user)
        yield urls.append
        done(submission, urls[-1] if urls else "")


TOKEN_IN_PAGE = re.compile(rf'name="{FIELD}" value="([^"]+)"')


def token_in(html: str) -> str | None:
    """The one-time token of the form a page draws, or None when it draws none (an error page, the login page after
    the session was lost) — for programs that fill our forms over HTTP (scripts/load.py, scripts/smoke.py, tests)."""
    found = TOKEN_IN_PAGE.search(html)
    return found.group(1) if found else None
