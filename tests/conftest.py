import datetime as dt
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from hypothesis import settings as hypothesis_settings

from sangtao.common import confirm, formtoken
from sangtao.orgs.demo import DEMO_PASSWORD, load_demo
from sangtao.orgs.models import Organization, OrgKind, Role, RoleAssignment

# Property tests check outcomes, not speed (bench/ measures speed): on a 2-core CI box running the suite beside
# other work, hypothesis' default 200 ms deadline per example fails a correct test now and then.
hypothesis_settings.register_profile("sangtao", deadline=None)
hypothesis_settings.load_profile("sangtao")


@pytest.fixture
def demo(db):
    load_demo()
    return {o.code: o for o in Organization.objects.all()}


@pytest.fixture
def demo_live(transactional_db, live_server):
    """The demo tree behind a live server (browser tests, concurrent requests): committed, so other threads see it."""
    load_demo()
    return live_server


@pytest.fixture
def kinds(db):
    return {k.code: k for k in OrgKind.objects.all()}


def make_user(username, role, org, *, totp_secret=None, superuser=False):
    user = get_user_model().objects.create_user(username=username, password=DEMO_PASSWORD, is_superuser=superuser)
    if org is not None:
        RoleAssignment.objects.create(user=user, org=org, role=role)
    if totp_secret:
        TOTP.activate(user, totp_secret)
    return user


def totp_now(secret: str) -> str:

    if time.time() % 30 > 27:  # about to roll over: wait for the next code rather than race the boundary
        time.sleep(30 - time.time() % 30 + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def user_factory(db):
    return make_user


class FormClient(Client):
    """A test client that sends a create form's one-time token (`form_token`) when the test did not, as a browser
    sends the one the page drew the form with: the token is mandatory (sangtao/common/formtoken.py). A test
    that means to leave it out, or to send one twice, passes `form_token` itself or uses the plain `client`.
    It also confirms irreversible acts (`xac_nhan=1`, sangtao/common/confirm.py) as a person does on the preview
    page; tests of the preview itself use the plain `client` (tests/appraisals/test_confirm.py)."""

    def post(self, path, data=None, *args, **kwargs):

        if data is None:
            data = {}
        if isinstance(data, dict):
            data = {formtoken.FIELD: formtoken.new(), confirm.FIELD: "1", **data}
        return super().post(path, data, *args, **kwargs)


@pytest.fixture
def login(db):
    """A new logged-in test client per call, so two users can act in one test."""

    def _login(username):
        c = FormClient()
        c.force_login(get_user_model().objects.get(username=username))
        return c

    return _login


@pytest.fixture
def day():
    return dt.date


ROLE = Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """TOTP codes are marked used in the cache; each test starts with an empty one."""

    cache.clear()
    yield
    cache.clear()
