"""Login, two-factor, lockout, idle timeout, and the audit of it all."""

import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from sangtao.accounts.models import User
from sangtao.common.models import AuditEvent
from sangtao.orgs.demo import DEMO_PASSWORD
from sangtao.orgs.models import Role
from tests.conftest import make_user, totp_now

ADMIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_login_with_password_for_officer(client, demo):
    r = client.post("/accounts/login/", {"login": "duk.canbo", "password": DEMO_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200
    ev = AuditEvent.objects.filter(action="auth.login").latest("id")
    assert ev.actor.username == "duk.canbo" and ev.ip == "127.0.0.1"


def test_admin_needs_totp_code_after_password(client, demo):
    r = client.post("/accounts/login/", {"login": "btctu.quantri", "password": DEMO_PASSWORD})
    assert r["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not logged in yet
    r = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert r.status_code == 200  # wrong code: stays on the form
    r = client.post("/accounts/2fa/authenticate/", {"code": totp_now(ADMIN_SECRET)})
    assert r.status_code == 302
    assert client.get("/").status_code == 200


def test_role_requiring_totp_is_sent_to_activation(client, demo):
    make_user("new.admin", Role.ADMIN, demo["LD-LDG"])  # no authenticator yet
    client.post("/accounts/login/", {"login": "new.admin", "password": DEMO_PASSWORD})
    r = client.get("/to-chuc/")
    assert r.status_code == 302 and r["Location"] == "/accounts/2fa/totp/activate/"
    r = client.get("/accounts/2fa/totp/activate/")  # allauth asks for the password again before enrolling
    assert r.status_code == 302 and r["Location"].startswith("/accounts/reauthenticate/")
    client.post(r["Location"], {"password": DEMO_PASSWORD})
    r = client.get("/accounts/2fa/totp/activate/")
    assert r.status_code == 200
    secret = r.context["form"].secret
    r = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert r.status_code == 302
    assert client.get("/to-chuc/").status_code == 200


def test_totp_requirement_is_configurable(client, demo, settings):
    settings.SANGTAO_MFA_REQUIRED_ROLES = []
    client.force_login(make_user("new.admin", Role.ADMIN, demo["LD-LDG"]))
    assert client.get("/to-chuc/").status_code == 200


def test_lockout_after_repeated_failures(client, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": "duk.canbo", "password": "sai-mat-khau"})
    r = client.post("/accounts/login/", {"login": "duk.canbo", "password": DEMO_PASSWORD})
    assert r.status_code == 429
    assert "tạm khóa" in r.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_admin_can_unlock_a_locked_user(client, demo, settings):

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": "duk.canbo", "password": "sai"})
    admin = User.objects.get(username="btctu.quantri")
    admin_client = client.__class__()
    admin_client.force_login(admin)
    target = User.objects.get(username="duk.canbo")
    assert admin_client.post(f"/quan-ly-tai-khoan/{target.pk}/go-khoa/").status_code == 302
    r = client.post("/accounts/login/", {"login": "duk.canbo", "password": DEMO_PASSWORD})
    assert r.status_code == 302


def test_idle_session_expires(client, demo, settings):
    settings.SANGTAO_IDLE_TIMEOUT_SECONDS = 600
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/accounts/login/", {"login": "duk.canbo", "password": DEMO_PASSWORD})
        assert client.get("/to-chuc/").status_code == 200
        traveller.shift(599)
        assert client.get("/to-chuc/").status_code == 200
        traveller.shift(601)
        r = client.get("/to-chuc/")
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_password_change(client, demo):
    client.post("/accounts/login/", {"login": "duk.canbo", "password": DEMO_PASSWORD})
    r = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEMO_PASSWORD, "password1": "MatKhauMoi@2026x", "password2": "MatKhauMoi@2026x"},
    )
    assert r.status_code == 302
    client.logout()
    assert client.post("/accounts/login/", {"login": "duk.canbo", "password": "MatKhauMoi@2026x"}).status_code == 302


def test_signup_is_closed(client, db):
    r = client.get("/accounts/signup/")
    assert r.status_code == 200 and 'name="password1"' not in r.content.decode()


def test_audit_events_are_append_only(demo):
    ev = AuditEvent.objects.first()
    ev.action = "changed"
    with pytest.raises(PermissionDenied):
        ev.save()
    with pytest.raises(PermissionDenied):
        ev.delete()


def test_admin_creates_account_only_inside_own_subtree(client, demo):

    ldg_admin = make_user("ldg.admin", Role.ADMIN, demo["LD-LDG"], totp_secret=ADMIN_SECRET)
    client.force_login(ldg_admin)
    data = {
        "username": "moi.canbo",
        "last_name": "Nguyễn Văn",
        "first_name": "Mới",
        "email": "",
        "password": "MatKhau@Moi2026",
        "role": Role.OFFICER,
        "org": "DUK-CTN",
        "person_code": "",
    }
    r = client.post("/quan-ly-tai-khoan/moi/", data)
    assert r.status_code == 200 and not User.objects.filter(username="moi.canbo").exists()
    assert "Không tìm thấy tổ chức" in r.content.decode()
    assert 'value="moi.canbo"' in r.content.decode()  # the form keeps what was typed
    data["org"] = "LDG-LAT"
    r = client.post("/quan-ly-tai-khoan/moi/", data)
    assert r.status_code == 302
    user = User.objects.get(username="moi.canbo")
    assert user.roles.get().org.code == "LDG-LAT"
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    # the LĐG admin does not see the DUK officer
    assert "duk.canbo" not in client.get("/quan-ly-tai-khoan/").content.decode()


def test_session_ends_eight_hours_after_login_however_active(client, demo, settings):
    """Rules A6: the 8-hour limit counts from login; activity every 10 minutes does not extend it."""
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/accounts/login/", {"login": "duk.canbo", "password": DEMO_PASSWORD})
        for _ in range(8 * 6 - 1):  # active every 10 minutes for 7 h 50 min
            traveller.shift(600)
            assert client.get("/to-chuc/").status_code == 200
        traveller.shift(601)
        r = client.get("/to-chuc/")
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
        assert client.get("/").status_code == 302  # really logged out, not just redirected once


def test_api_key_refused_while_required_totp_is_missing(demo, settings):
    """Rules A4: an appraiser or administrator without TOTP cannot get round it with an API key."""

    user = make_user("new.admin", Role.ADMIN, demo["LD-LDG"])  # no authenticator yet
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    r = api.get("/api/v1/organizations/")
    assert r.status_code == 403 and r["Content-Type"].startswith("application/json")
    assert "xác thực hai lớp" in r.json()["detail"]

    TOTP.activate(user, ADMIN_SECRET)
    assert api.get("/api/v1/organizations/").status_code == 200
    settings.SANGTAO_MFA_REQUIRED_ROLES = []  # a role no longer requiring TOTP: the key works without it
    officer = make_user("new.officer", Role.OFFICER, demo["LD-LDG"])
    key = Token.objects.create(user=officer).key
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/organizations/").status_code == 200


def test_direct_setup_ignores_forged_forwarded_for(client, demo, settings):
    """Without a trusted proxy (the default) the address is REMOTE_ADDR: a forged X-Forwarded-For changes nothing."""
    assert settings.SANGTAO_TRUSTED_PROXY_COUNT == 0
    for i in range(settings.AXES_FAILURE_LIMIT):  # a new forged address each time
        client.post(
            "/accounts/login/",
            {"login": "duk.canbo", "password": "sai"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}",
        )
    r = client.post(
        "/accounts/login/",
        {"login": "duk.canbo", "password": DEMO_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="10.9.9.200",
    )
    assert r.status_code == 429
    assert set(AuditEvent.objects.filter(action="auth.login_failed").values_list("ip", flat=True)) == {"198.51.100.7"}


def test_behind_one_proxy_users_are_throttled_by_their_own_address(demo, settings):
    """docs/deploy.md: nginx in front; every request reaches the app from the proxy's address. An attacker who
    locks a login from his machine does not lock out the owner at another machine, and cannot spoof past the proxy."""

    settings.SANGTAO_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker, owner = Client(), Client()
    for i in range(settings.AXES_FAILURE_LIMIT):  # the attacker forges a first address; the proxy appends his real one
        attacker.post(
            "/accounts/login/",
            {"login": "duk.canbo", "password": "sai"},
            **proxy,
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.5",
        )
    r = attacker.post(
        "/accounts/login/",
        {"login": "duk.canbo", "password": DEMO_PASSWORD},
        **proxy,
        HTTP_X_FORWARDED_FOR="10.9.9.200, 203.0.113.5",
    )
    assert r.status_code == 429  # the forged part is not believed
    r = owner.post(
        "/accounts/login/",
        {"login": "duk.canbo", "password": DEMO_PASSWORD},
        **proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert r.status_code == 302 and r["Location"] == "/"
    assert AuditEvent.objects.filter(action="auth.login").latest("id").ip == "203.0.113.9"
    assert set(AuditEvent.objects.filter(action="auth.login_failed").values_list("ip", flat=True)) == {"203.0.113.5"}


def _wrong_code(secret):
    """A code that is wrong for every step the tolerance accepts around now."""

    step = int(time.time()) // 30
    valid = {format_hotp_value(hotp_value(secret, step + d)) for d in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in valid)


def _guess_codes(client, username, secret, times):
    r = client.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})
    assert r["Location"] == "/accounts/2fa/authenticate/"
    for _ in range(times):
        r = client.post("/accounts/2fa/authenticate/", {"code": _wrong_code(secret)})
    return r


def test_totp_guessing_locks_the_account_for_the_cooloff(client, demo, settings):
    """40 wrong codes then the right one used to log in: now the limit of failed logins counts wrong codes too."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        r = _guess_codes(client, "btctu.quantri", ADMIN_SECRET, settings.AXES_FAILURE_LIMIT)
        assert r.status_code == 429 and "tạm khóa" in r.content.decode()
        r = client.post("/accounts/2fa/authenticate/", {"code": totp_now(ADMIN_SECRET)})
        assert r.status_code == 429  # the right code is refused while locked
        assert client.get("/").status_code == 302
        again = client.__class__()  # starting over with the password does not help
        assert again.post("/accounts/login/", {"login": "btctu.quantri", "password": DEMO_PASSWORD}).status_code == 429
        assert (
            AuditEvent.objects.filter(action="auth.login_failed", object_repr="btctu.quantri").count()
            >= settings.AXES_FAILURE_LIMIT
        )
        traveller.shift(settings.AXES_COOLOFF_TIME * 3600 + 60)
        fresh = client.__class__()
        assert (
            fresh.post("/accounts/login/", {"login": "btctu.quantri", "password": DEMO_PASSWORD})["Location"]
            == "/accounts/2fa/authenticate/"
        )
        assert fresh.post("/accounts/2fa/authenticate/", {"code": totp_now(ADMIN_SECRET)}).status_code == 302
        assert fresh.get("/").status_code == 200


def test_fewer_wrong_codes_than_the_limit_still_log_in(client, demo, settings):
    _guess_codes(client, "btctu.quantri", ADMIN_SECRET, settings.AXES_FAILURE_LIMIT - 1)
    assert client.post("/accounts/2fa/authenticate/", {"code": totp_now(ADMIN_SECRET)}).status_code == 302
    assert client.get("/").status_code == 200


def test_admin_lifts_a_totp_lockout(client, demo, settings):

    target = make_user("ldg.admin", Role.ADMIN, demo["LD-LDG"], totp_secret=ADMIN_SECRET)
    assert _guess_codes(client, "ldg.admin", ADMIN_SECRET, settings.AXES_FAILURE_LIMIT).status_code == 429
    admin_client = client.__class__()
    admin_client.force_login(User.objects.get(username="btctu.quantri"))
    assert admin_client.post(f"/quan-ly-tai-khoan/{target.pk}/go-khoa/").status_code == 302
    assert client.post("/accounts/2fa/authenticate/", {"code": totp_now(ADMIN_SECRET)}).status_code == 302
    assert client.get("/").status_code == 200


def test_metrics_behind_a_local_proxy_are_not_open_to_everyone(client, db, settings):
    """nginx on the same machine connects from 127.0.0.1; the loopback exemption of /metrics must look at the
    client behind it."""
    settings.SANGTAO_TRUSTED_PROXY_COUNT = 1
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


def test_totp_guessing_at_reauthentication_locks_too(client, demo, settings):
    """A borrowed session cannot guess the code that allauth asks again before sensitive changes."""
    client.force_login(get_user_model().objects.get(username="btctu.quantri"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        r = client.post("/accounts/2fa/reauthenticate/", {"code": _wrong_code(ADMIN_SECRET)})
    assert r.status_code == 429
    assert client.post("/accounts/2fa/reauthenticate/", {"code": totp_now(ADMIN_SECRET)}).status_code == 429
