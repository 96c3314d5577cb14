import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def full_demo(db):
    """The whole demo year (province, campaign DK-2027, registrations, reports, a signed appraisal)."""
    from sangtao.appraisals.demo import load_demo

    load_demo()
    return {u.username: u for u in get_user_model().objects.all()}
