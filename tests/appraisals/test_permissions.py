"""The permission matrix (SPEC §6 I.4, §7): role × relation to the subject × appraisal state × action, every
expected answer generated from the one policy table below, compared with what the app answers."""

import itertools

import pytest
from django.contrib.auth import get_user_model

from sangtao.appraisals import domain
from sangtao.appraisals.models import Appraisal
from tests.appraisals.conftest import accepted, score
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ROLES = ["admin", "officer", "appraiser", "viewer", "individual"]
# Where a user of each relation sits, for the collective model of Cấp nước (DUK-CTN), whose competent level
# (the receiving level) is its parent, the Đảng bộ Khối (LD-DUK).
RELATIONS = {"own": "DUK-CTN", "parent": "LD-DUK", "ancestor": "LD", "sibling": "DUK-DL", "unrelated": "LD-LDG"}
STATES = ["scoring", "signed", "published"]
ACTIONS = ["view", "score", "sign", "publish", "reappraise"]
READERS = {"admin", "officer", "appraiser", "viewer"}

# The policy table: for each action, who may, in which states.
POLICY = {
    "view": lambda role, rel, state: (
        (rel in ("parent", "ancestor") and role in READERS)
        or (rel == "own" and state == "published" and role != "individual")
    ),  # an individual cadre: only his own (R12)
    "score": lambda role, rel, state: role == "appraiser" and rel == "parent" and state == "scoring",
    "sign": lambda role, rel, state: role == "appraiser" and rel == "parent" and state == "scoring",
    "publish": lambda role, rel, state: role in ("officer", "admin") and rel == "parent",
    "reappraise": lambda role, rel, state: role in ("appraiser", "admin") and rel == "ancestor" and state != "scoring",
}


@pytest.fixture
def world(campaign, demo, users):
    people = {
        (role, rel): make_user(f"m.{role}.{rel}", role, demo[code])
        for role, (rel, code) in itertools.product(ROLES, RELATIONS.items())
    }
    appraiser = users["duk.thamdinh"]
    aps = {}
    for state in STATES:
        reg = accepted(campaign, demo["DUK-CTN"], users["capnuoc.canbo"], users["duk.canbo"], f"Mô hình {state}")
        ap = domain.open_appraisal(actor=appraiser, registration=reg, members=[appraiser], chair=appraiser)
        if state != "scoring":
            score(ap, appraiser, {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"})
            ap = domain.sign_off(actor=appraiser, appraisal=ap)
        if state == "published":
            Appraisal.objects.filter(pk=ap.pk).update(state="published")
        # Every user sits on every council: membership alone must not let anyone score.
        ap.members.add(*people.values())
        aps[state] = ap
    return people, aps


def answer(user, ap, action):
    ap = Appraisal.objects.select_related(
        "registration", "registration__person", "registration__subject_org", "appraising_org"
    ).get(pk=ap.pk)
    if action == "sign":
        ap.chair_id = user.pk  # as if the user chaired: the chair alone is not enough either
    if action == "publish":
        return user.has_perm("appraisals.publish", ap.appraising_org)
    return user.has_perm(f"appraisals.{action}", ap)


def test_permission_matrix_has_zero_mismatches(world):
    people, aps = world
    mismatches, cases = [], 0
    for (role, rel), person in people.items():
        user = get_user_model().objects.get(pk=person.pk)  # fresh scopes
        for state, ap in aps.items():
            for action in ACTIONS:
                cases += 1
                expected, got = POLICY[action](role, rel, state), answer(user, ap, action)
                if expected != got:
                    mismatches.append((role, rel, state, action, expected, got))
    assert cases == len(ROLES) * len(RELATIONS) * len(STATES) * len(ACTIONS) == 375
    assert mismatches == []


def test_the_policy_is_not_trivial():
    allowed = sum(POLICY[a](r, rel, s) for a, r, rel, s in itertools.product(ACTIONS, ROLES, RELATIONS, STATES))
    assert 30 < allowed < 200
