"""The recovery-codes pages of two-factor setup read in Vietnamese (allauth ships them in English)."""

import re
import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_recovery_codes_pages_are_vietnamese(demo, client):

    user = make_user("x.admin", "admin", demo["LD"], totp_secret="JBSWY3DPEHPK3PXP")
    RecoveryCodes.activate(user)
    client.force_login(user)
    session = client.session  # just re-entered the password (allauth asks before showing codes)
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session.save()
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Còn 10 trên 10 mã dự phòng chưa dùng" in text and "Tải các mã về máy" in text
    for english in (
        "Recovery Codes",
        "recovery codes available",
        "Unused codes",
        "Download codes",
        "Generate new codes",
    ):
        assert english not in text
    page = client.get("/accounts/2fa/recovery-codes/generate/").content.decode()
    assert "Các mã cũ sẽ không dùng được nữa." in page and "Are you sure" not in page
