"""The tallies kept on write equal the from-scratch computation after every kind of change, whichever way it was
written (domain functions, queryset updates, bulk inserts, deletes), and whichever scope is read first.

Each step changes something, then reads several scopes in a rotating order (so dirty marks on whole subtrees are
split and recomputed piece by piece) and compares every figure of every row, the total and the units still
missing with `compute_from_scratch`, which computes each organization's figures anew."""

import datetime as dt
import os
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from sangtao.appraisals.models import Appraisal, BonusJudgement, IndividualAppraisal, Rubric
from sangtao.campaigns.models import Campaign, CampaignLevel
from sangtao.coverage.domain import compute, compute_from_scratch, lock_campaign
from sangtao.coverage.models import Rollup, Tally, TallyDirty
from sangtao.coverage.tasks import refresh_tallies
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import Registration
from tests.appraisals.conftest import bands
from tests.coverage.test_coverage import at, example, reg  # noqa: F401

pytestmark = pytest.mark.django_db
SCOPES = ["LD", "LD-DUK", "DUK-CTN", "CTN-KT", "DUK-DL", "LD-VP"]


def check(campaign, demo, step, turn):
    order = SCOPES[turn % len(SCOPES) :] + SCOPES[: turn % len(SCOPES)]
    for code in order:
        org = Organization.objects.get(pk=demo[code].pk)
        campaign = Campaign.objects.get(pk=campaign.pk)
        kept, fresh = compute(campaign, org).as_dict(), compute_from_scratch(campaign, org).as_dict()
        assert kept == fresh, f"after {step}, scope {code}"


def test_tallies_follow_every_kind_of_change(example, demo, users):
    campaign, bloc = example, users["duk.canbo"]
    steps = []

    def step(name):
        def wrap(fn):
            steps.append((name, fn))
            return fn

        return wrap

    @step("a registration submitted through the domain")
    def _():
        reg(campaign, demo["DUK-LNBL"], bloc, "Mô hình mới", at(12, 3))

    @step("a first submission moved past the deadline by a queryset update")
    def _():
        Registration.objects.filter(campaign=campaign, subject_org=demo["CTN-KT"], person__isnull=True).update(
            first_submitted_at=at(25, 3)
        )

    @step("fields changed in bulk")
    def _():
        Registration.objects.filter(campaign=campaign).update(fields=["van_hoa_xa_hoi", "kinh_te"])

    @step("a registration deleted")
    def _():
        Registration.objects.filter(campaign=campaign, subject_org=demo["DUK-AGR"]).delete()

    @step("an appraisal's total changed in the database")
    def _():
        Appraisal.objects.filter(registration__subject_org=demo["DUK-DL"]).update(total=Decimal("9.25"))

    @step("an appraisal taken back to scoring")
    def _():
        Appraisal.objects.filter(registration__subject_org=demo["DUK-CTN"], registration__person__isnull=True).update(
            state=Appraisal.State.SCORING
        )

    @step("a bonus granted")
    def _():
        BonusJudgement.objects.create(
            campaign=campaign, subject_org=demo["DUK-CTN"], code="B2", granted=True, decided_by=bloc
        )
        Appraisal.objects.filter(registration__subject_org=demo["DUK-CTN"]).update(state=Appraisal.State.PUBLISHED)

    @step("an unregistered leader appraised on the three bases")
    def _():
        leader = Person.objects.filter(
            org=demo["DUK-DLV"], is_leader=True, active=True
        ).first() or Person.objects.create(
            code="LEAD-DLV", full_name="Lãnh đạo DLV", org=demo["DUK-DLV"], is_leader=True
        )
        IndividualAppraisal.objects.create(
            campaign=campaign,
            person=leader,
            appraising_org=demo["LD-DUK"],
            basis="commendation",
            description="Bằng khen",
            result=Decimal(8),
            classification="Tốt",
            created_by=bloc,
        )

    @step("a leader made, another unmade")
    def _():
        Person.objects.create(code="NEW-LEAD", full_name="Lãnh đạo mới", org=demo["CTN-KT"], is_leader=True)
        Person.objects.filter(org=demo["DUK-CTN"], is_leader=True).update(active=False)

    @step("an organization flagged as a private enterprise (its subtree excluded)")
    def _():
        Organization.objects.filter(pk=demo["DUK-CTN"].pk).update(private_enterprise=True)

    @step("the flag lifted again")
    def _():
        Organization.objects.filter(pk=demo["DUK-CTN"].pk).update(private_enterprise=False)

    @step("a bloc's deadline moved (its subtree's on time / late)")
    def _():
        CampaignLevel.objects.filter(campaign=campaign, org=demo["LD-DUK"]).update(
            registration_deadline=dt.date(2023, 3, 9)
        )

    @step("a level added with its own deadline")
    def _():
        CampaignLevel.objects.update_or_create(
            campaign=campaign, org=demo["DUK-CTN"], defaults={"registration_deadline": dt.date(2023, 3, 30)}
        )

    @step("an organization dissolved before the tree date")
    def _():
        Organization.objects.filter(pk=demo["DUK-LDP"].pk).update(valid_to=dt.date(2023, 1, 1))

    @step("a new organization created under a grassroots committee")
    def _():
        parent = Organization.objects.get(pk=demo["DUK-CTN"].pk)
        parent.add_child(code="CTN-MOI", name="Chi bộ mới", kind=parent.kind, valid_from=dt.date(2020, 1, 1))

    @step("registrations inserted in bulk")
    def _():
        new = Organization.objects.get(code="CTN-MOI")
        Registration.objects.bulk_create(
            [
                Registration(
                    campaign=campaign,
                    subject_kind="collective",
                    subject_org=new,
                    receiving_org=demo["DUK-CTN"],
                    title="Nhập hàng loạt",
                    content_areas=["product"],
                    fields=["xay_dung_dang"],
                    state="submitted",
                    first_submitted_at=at(1, 3),
                    last_submitted_at=at(1, 3),
                    created_by=bloc,
                )
            ]
        )

    @step("the tree date moved")
    def _():
        Campaign.objects.filter(pk=campaign.pk).update(tree_date=dt.date(2022, 12, 1))

    @step("the campaign's rubric bands edited in place")
    def _():
        rubric = Rubric.objects.get(campaign_uses__campaign=campaign, campaign_uses__subject_kind="collective")
        Rubric.objects.filter(pk=rubric.pk).update(bands=bands("9", "8", "6", "4", "0"))

    check(campaign, demo, "the worked example", 0)
    for turn, (name, fn) in enumerate(steps, start=1):
        fn()
        assert TallyDirty.objects.exists(), f"{name}: nothing marked dirty"
        check(campaign, demo, name, turn)


def test_a_campaign_read_for_the_first_time_has_every_tally(example, demo):
    Tally.objects.all().delete()
    Rollup.objects.all().delete()
    TallyDirty.objects.all().delete()
    assert compute(example, demo["LD"]).as_dict() == compute_from_scratch(example, demo["LD"]).as_dict()
    assert Tally.objects.filter(campaign=example).count() == Organization.objects.count()


def test_a_mark_on_the_whole_tree_is_split_not_lost(example, demo):
    TallyDirty.objects.all().delete()
    Campaign.objects.filter(pk=example.pk).update(tree_date=dt.date(2022, 12, 1))  # marks the root's subtree
    compute(example, demo["CTN-KT"])  # recomputes only this corner
    left = set(TallyDirty.objects.values_list("org_id", "subtree"))
    assert (demo["LD"].pk, False) in left and (demo["LD-VP"].pk, True) in left
    assert not any(oid == demo["CTN-KT"].pk for oid, _s in left)
    assert compute(example, demo["LD"]).as_dict() == compute_from_scratch(example, demo["LD"]).as_dict()
    assert not TallyDirty.objects.exists()


def test_operators_can_check_and_rebuild_from_the_command_line(example, demo):

    out = StringIO()
    call_command("coverage", example.code, "--check", stdout=out)
    assert "khớp" in out.getvalue()
    Tally.objects.filter(campaign=example, org=demo["CTN-KT"]).update(registered=99)  # edited behind our back
    Rollup.objects.filter(campaign=example).update(registered=99)
    with pytest.raises(CommandError, match="--rebuild"):
        call_command("coverage", example.code, "--check", stdout=StringIO(), stderr=StringIO())
    call_command("coverage", example.code, "--rebuild", "--check", stdout=out)
    assert compute(example, demo["LD"]).as_dict() == compute_from_scratch(example, demo["LD"]).as_dict()


def test_the_beat_task_clears_every_mark(example, demo):

    compute(example, demo["LD-DUK"])
    CampaignLevel.objects.filter(campaign=example, org=demo["LD"]).update(registration_deadline=dt.date(2023, 3, 1))
    assert TallyDirty.objects.exists()
    refresh_tallies()
    assert not TallyDirty.objects.exists()
    assert compute(example, demo["LD"]).as_dict() == compute_from_scratch(example, demo["LD"]).as_dict()


def test_a_page_leaves_big_recomputations_to_the_background(
    example, demo, login, settings, django_capture_on_commit_callbacks
):
    """A page recomputes small changes itself; a campaign's first read over more organizations than the limit is
    handed to the background task, and the page says its figures are being updated instead of making the user
    wait (a national tree takes about a minute)."""

    Tally.objects.all().delete()
    Rollup.objects.all().delete()
    TallyDirty.objects.all().delete()
    cache.clear()
    settings.SANGTAO_COVERAGE_INLINE_LIMIT = 5
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker and workers, as in production
    c = login("duk.canbo")
    url = reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk})
    with django_capture_on_commit_callbacks(execute=False) as queued:
        body = c.get(url).content.decode()
    assert "Số liệu đang được tính lại" in body and len(queued) == 1
    assert not Rollup.objects.exists()

    refresh_tallies(example.pk)  # what the queued message makes a worker do
    body = c.get(url).content.decode()
    assert "Số liệu đang được tính lại" not in body
    assert compute(example, demo["LD-DUK"]).as_dict() == compute_from_scratch(example, demo["LD-DUK"]).as_dict()
    reg(example, demo["DUK-LNBL"], users_bloc(), "Một mô hình nhỏ", at(12, 3))  # one organization: done in the page
    with django_capture_on_commit_callbacks(execute=False) as queued:
        body = c.get(url).content.decode()
    assert "Số liệu đang được tính lại" not in body and not queued
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker (development): the page does even big work itself
    Tally.objects.all().delete()
    Rollup.objects.all().delete()
    body = c.get(url).content.decode()
    assert "Số liệu đang được tính lại" not in body and Rollup.objects.exists()
    assert not TallyDirty.objects.filter(org_id=demo["DUK-LNBL"].pk).exists()


def users_bloc():

    return get_user_model().objects.get(username="duk.canbo")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks: PostgreSQL only (SQLite serializes writers itself)",
)
def test_a_long_refresh_blocks_neither_registrations_nor_pages(transactional_db, example, demo, users):
    """While one refresh of a campaign holds its lock (a national rebuild takes a minute), units keep registering
    (the lock does not conflict with the foreign-key checks of their inserts) and a page answers at once with
    the stored figures marked as being updated."""

    compute(example, demo["LD-DUK"])
    started, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            lock_campaign(example)  # what a refresh holds while it runs
            started.set()
            release.wait(20)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert started.wait(10)
    try:
        with connection.cursor() as c:
            c.execute("SET lock_timeout = '3s'")  # a blocked insert fails instead of hanging
        reg(example, demo["DUK-LNBL"], users["duk.canbo"], "Đăng ký trong lúc tính lại", at(12, 3))
        assert compute(example, demo["LD-DUK"], limit=100000).pending
    finally:
        release.set()
        holder.join()
        with connection.cursor() as c:
            c.execute("SET lock_timeout = 0")
    cov = compute(example, demo["LD-DUK"], limit=100000)
    assert not cov.pending and cov.as_dict() == compute_from_scratch(example, demo["LD-DUK"]).as_dict()
