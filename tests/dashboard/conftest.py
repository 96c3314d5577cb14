import pytest

from sangtao.appraisals.demo import load_demo
from tests.support import users_by_name


@pytest.fixture
def full_demo(db):
    """The whole demo year (province, campaign DK-2027, registrations, reports, a signed appraisal)."""

    load_demo()
    return users_by_name()
