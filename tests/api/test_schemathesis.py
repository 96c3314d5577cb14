"""Schemathesis against the served OpenAPI schema: every operation, generated inputs (including invalid ones),
through the WSGI app with a real API key — zero server errors, every response as the schema says."""

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth

from sangtao.wsgi import application
from tests.conftest import make_user


@pytest.mark.django_db
def test_every_operation_follows_its_schema(demo):

    user = make_user("api.reader", "viewer", demo["LD"])
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    raw = Client(HTTP_AUTHORIZATION=headers["Authorization"]).get("/api/v1/schema/")
    schema = schemathesis.openapi.from_dict(yaml.safe_load(raw.content))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 14  # 13 + the novelty check (/api/v1/novelty/)
    checked = []
    # Calling the WSGI app directly (as a real client would) must not close the test's database connection at
    # the end of each request, as Django's test client also arranges.

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _run(operations, application, headers, checked)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert len(checked) == 14


def _run(operations, application, headers, checked):

    for operation in operations:
        # Valid inputs, and inputs that break the schema (negative): the latter must be refused, not served.
        @given(case=st.one_of(operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE)))
        @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(app=application, headers=headers)
            assert response.status_code < 500, (case.method, case.formatted_path, response.status_code)
            assert response.status_code in (200, 400, 404), (case.formatted_path, response.status_code)
            # `ignored_auth` replays with a broken session cookie while the key is still sent: the schema lists
            # cookie and key as alternatives, so that is no finding. Missing and wrong keys: tests/api/test_api.py.
            case.validate_response(response, excluded_checks=[ignored_auth])

        check()
        checked.append(operation.label)
