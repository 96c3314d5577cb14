"""Deterministic synthetic data for the coverage benchmark (SPEC §9 shapes, PERFORMANCE.md):

    nation:   1 root, 34 provinces, ~4,500 committees, ~54,000 grassroots, ~244,000 cells  (~300,000 orgs)
    province: 1 root (the province), 128 committees, ~1,700 grassroots, ~8,000 cells          (~10,000 orgs)

5% of grassroots organizations are excluded (village cells / private enterprises, with their subtrees); one
leader per organization (individual subjects ≈ collectives); ~90% of subjects register (a few late), 15% of them a
second model; ~85% of registrations are appraised with HD 09 criterion totals; the root and every province/committee cascade
deadlines. Everything is drawn from a seeded random generator, so two runs build the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from sangtao.appraisals.domain import rubric_for
from sangtao.appraisals.models import Appraisal
from sangtao.campaigns.models import Campaign, CampaignLevel
from sangtao.orgs.models import Organization, OrgKind, Person
from sangtao.registrations.models import Registration

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
START = dt.date(2020, 1, 1)
HN = dt.timezone(dt.timedelta(hours=7))


def key(n: int) -> str:
    out = ""
    for _ in range(5):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


SHAPES = {
    # children per level: (min, max) below root, province, committee, grassroots
    "nation": [(34, 34), (120, 146), (8, 16), (3, 6)],
    "province": [(128, 128), (10, 16), (3, 6)],
}


def build(scale: str, seed: int = 2023, progress=print) -> Campaign:
    rnd = random.Random(seed)
    kinds = {k.code: k for k in OrgKind.objects.all()}
    kind_cycle = [
        kinds.get(c) or next(iter(kinds.values()))
        for c in (
            ["tren_co_so", "dang_bo_co_so", "chi_bo"]
            if scale == "province"
            else ["tren_co_so", "tren_co_so", "dang_bo_co_so", "chi_bo"]
        )
    ]
    shape = SHAPES[scale]
    orgs: list[Organization] = []
    root = Organization(
        path=key(0),
        depth=1,
        numchild=0,
        code="R",
        name="Gốc" if scale == "nation" else "Tỉnh mẫu",
        kind=kind_cycle[0],
        valid_from=START,
        search_key="goc",
    )
    orgs.append(root)
    frontier = [root]
    excluded_level = len(shape) - 1  # grassroots organizations (parents of cells) may be excluded
    for level, (lo, hi) in enumerate(shape):
        nxt = []
        for parent in frontier:
            n = rnd.randint(lo, hi)
            parent.numchild = n
            for i in range(n):
                code = f"{parent.code}.{i}"
                flag = level == excluded_level and rnd.random() < 0.05
                child = Organization(
                    path=parent.path + key(i + 1),
                    depth=parent.depth + 1,
                    numchild=0,
                    code=code,
                    name=f"Tổ chức {code}",
                    kind=kind_cycle[min(level, len(kind_cycle) - 1)],
                    valid_from=START,
                    search_key=code.lower(),
                    private_enterprise=flag and rnd.random() < 0.5,
                    in_village=flag,
                )
                if child.private_enterprise:
                    child.in_village = False
                orgs.append(child)
                nxt.append(child)
        frontier = nxt
    progress(f"{len(orgs):,} organizations")
    with transaction.atomic():
        Organization.objects.bulk_create(orgs, batch_size=5000)
    ids = dict(Organization.objects.values_list("path", "id"))
    for o in orgs:
        o.id = ids[o.path]
    user = get_user_model().objects.get_or_create(username="bench")[0]
    campaign = Campaign.objects.create(
        code=f"BENCH-{scale}",
        name=f"Bench {scale}",
        year=2027,
        root=root,
        legal_bases="-",
        guidance="-",
        registration_deadline=dt.date(2027, 3, 24),
        results_deadline=dt.date(2027, 11, 30),
        tree_date=dt.date(2027, 1, 1),
    )
    # Every organization with children below it cascades a deadline (a few days earlier at each level).
    levels = [
        CampaignLevel(campaign=campaign, org=o, registration_deadline=dt.date(2027, 3, 24 - o.depth * 2))
        for o in orgs
        if o.numchild
    ]
    CampaignLevel.objects.bulk_create(levels, batch_size=5000)
    excluded_prefixes = {o.path for o in orgs if o.in_village or o.private_enterprise}

    def excluded(o):
        return any(o.path[: 5 * k] in excluded_prefixes for k in range(1, o.depth + 1))

    people, regs = [], []
    leaders = {}
    for o in orgs:
        if o.depth == 1:
            continue
        people.append(
            Person(
                code=f"P{o.code}",
                full_name=f"Lãnh đạo {o.code}",
                org_id=o.id,
                is_leader=True,
                search_key=f"p{o.code}".lower(),
            )
        )
    with transaction.atomic():
        Person.objects.bulk_create(people, batch_size=5000)
    for pid, org_id in Person.objects.values_list("id", "org_id"):
        leaders[org_id] = pid
    progress(f"{len(people):,} leaders")
    deadline = dt.datetime(2027, 3, 10, 9, 0, tzinfo=HN)
    for o in orgs:
        if o.depth == 1 or excluded(o):
            continue
        parent_id = ids[o.path[:-5]]
        for person_id, receiver in ((None, parent_id), (leaders[o.id], parent_id)):
            if rnd.random() >= 0.9:
                continue
            when = deadline + dt.timedelta(
                days=rnd.choice([-20, -10, -5, -1, 0, 0, 1, 3]) if rnd.random() < 0.3 else -rnd.randint(1, 40)
            )
            for n in range(2 if rnd.random() < 0.15 else 1):  # some subjects register a second model
                at = when + dt.timedelta(days=3 * n)
                regs.append(
                    Registration(
                        campaign=campaign,
                        subject_kind="individual" if person_id else "collective",
                        subject_org_id=o.id,
                        person_id=person_id,
                        receiving_org_id=receiver,
                        title=f"Mô hình {o.code} ({n + 1})",
                        content_areas=["product"],
                        fields=[rnd.choice(["kinh_te", "van_hoa_xa_hoi", "cai_cach_chuyen_doi_so", "xay_dung_dang"])],
                        state="appraised",
                        first_submitted_at=at,
                        last_submitted_at=at,
                        created_by=user,
                        search_key=o.code.lower(),
                    )
                )
    with transaction.atomic():
        Registration.objects.bulk_create(regs, batch_size=5000)
    progress(f"{len(regs):,} registrations")
    rubric_c, rubric_i = rubric_for(campaign, "collective"), rubric_for(campaign, "individual")
    aps = []
    now = timezone.now()
    for rid, kind, receiver in Registration.objects.filter(campaign=campaign).values_list(
        "id", "subject_kind", "receiving_org_id"
    ):
        if rnd.random() >= 0.86:
            continue
        total = Decimal(rnd.randint(12, 40)) / 4  # 3 .. 10
        total = min(total, Decimal(9))
        aps.append(
            Appraisal(
                registration_id=rid,
                number=1,
                appraising_org_id=receiver,
                state="published",
                rubric=rubric_c if kind == "collective" else rubric_i,
                chair=user,
                created_by=user,
                total=total,
                classification="",
                signed_at=now,
                published_at=now,
            )
        )
    with transaction.atomic():
        Appraisal.objects.bulk_create(aps, batch_size=5000)
    progress(f"{len(aps):,} appraisals")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    return campaign
