"""One-time form tokens against double submission (see `FormSubmission`)."""

import uuid

from django.db import IntegrityError, transaction

from .models import FormSubmission


def new() -> str:
    return uuid.uuid4().hex


class Duplicate(Exception):
    def __init__(self, result_url: str = ""):
        super().__init__(result_url)
        self.result_url = result_url


def claim(token: str, user):
    """Record the token inside the caller's transaction; raise Duplicate when it was already used."""
    if not token or len(token) > 64:
        return None  # forms rendered before tokens existed still work (without the protection)
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        previous = FormSubmission.objects.filter(token=token, user=user).first()
        raise Duplicate(previous.result_url if previous else "") from None


def done(submission, url: str):
    if submission is not None:
        FormSubmission.objects.filter(pk=submission.pk).update(result_url=url)
