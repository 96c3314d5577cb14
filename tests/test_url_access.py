"""Every URL pattern is tried anonymously and by a user of an unrelated organization; none may grant
access (Zulip's URL coverage idea). A new URL without an entry in CASES fails this test."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from sangtao.appraisals import domain as adomain
from sangtao.appraisals.models import ResultCorrection
from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Attachment
from sangtao.coverage import upward as cupward
from sangtao.coverage.models import Export
from sangtao.orgs.models import ImportJob, Organization, Person, Role, RoleAssignment
from sangtao.registrations import domain as rdomain
from sangtao.registrations.models import RegistrationAttachment
from sangtao.reports import domain as repdomain
from tests.appraisals.conftest import commended
from tests.conftest import make_user
from tests.support import open_campaign, register

# URL names that are public on purpose (login, logout, language switch, allauth's own flows).
PUBLIC_PREFIXES = ("account_", "mfa_", "set_language", "health_")  # health_*: tests/test_ops.py


def all_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from all_patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def kwargs_for(name, objs):
    """Arguments pointing at objects of the DUK subtree (what the outsider must not reach)."""
    org, person, user, role, job = objs["org"], objs["person"], objs["user"], objs["role"], objs["job"]
    campaign, doc, att, inc = objs["campaign"], objs["doc"], objs["attachment"], objs["incoming"]
    reg = objs["registration"]
    table = {
        "home": {},
        "profile": {},
        "orgs:tree": {},
        "orgs:people_search": {},
        "orgs:audit_log": {},
        "orgs:import": {},
        "orgs:import_template": {},
        "orgs:import_status": {"pk": job.pk},
        "orgs:detail": {"pk": org.pk},
        "orgs:children": {"pk": org.pk},
        "orgs:edit": {"pk": org.pk},
        "orgs:add_child": {"pk": org.pk},
        "orgs:move": {"pk": org.pk},
        "orgs:merge": {"pk": org.pk},
        "orgs:split": {"pk": org.pk},
        "orgs:close": {"pk": org.pk},
        "orgs:history": {"pk": org.pk},
        "orgs:export": {"pk": org.pk},
        "orgs:person_add": {"org_pk": org.pk},
        "orgs:person": {"pk": person.pk},
        "orgs:person_edit": {"pk": person.pk},
        "accounts:user_list": {},
        "accounts:user_create": {},
        "accounts:user_detail": {"pk": user.pk},
        "accounts:role_remove": {"pk": user.pk, "role_pk": role.pk},
        "accounts:user_toggle_active": {"pk": user.pk},
        "accounts:user_set_password": {"pk": user.pk},
        "accounts:user_unlock": {"pk": user.pk},
        "accounts:user_reset_mfa": {"pk": user.pk},
        "campaigns:list": {},
        "campaigns:open": {},
        "campaigns:home": {"code": campaign.code},
        "campaigns:edit": {"code": campaign.code},
        "campaigns:level": {"code": campaign.code, "org_pk": org.pk},
        "campaigns:cascade": {"code": campaign.code, "org_pk": org.pk},
        "campaigns:letter_new": {"code": campaign.code, "org_pk": org.pk},
        "campaigns:document": {"pk": doc.pk},
        "campaigns:document_issue": {"pk": doc.pk},
        "campaigns:document_docx": {"pk": doc.pk},
        "campaigns:document_pdf": {"pk": doc.pk},
        "campaigns:document_signed_upload": {"pk": doc.pk},
        "campaigns:document_back_to_draft": {"pk": doc.pk},
        "campaigns:attachment_upload": {"pk": doc.pk},
        "campaigns:attachment": {"pk": att.pk},
        "campaigns:inbox": {},
        "campaigns:acknowledge": {"pk": inc.pk},
        "campaigns:letter_template": {},
        "registrations:list": {"code": campaign.code},
        "registrations:export": {"code": campaign.code},
        "registrations:create": {"code": campaign.code},
        "registrations:level_status": {"code": campaign.code, "org_pk": org.pk},
        "registrations:submit_in_writing": {"code": campaign.code, "org_pk": org.pk},
        "registrations:written_confirm": {"pk": doc.pk},
        "registrations:similar": {},
        "registrations:stock_phrases": {},
        "registrations:detail": {"pk": reg.pk},
        "registrations:edit": {"pk": reg.pk},
        "registrations:delete": {"pk": reg.pk},
        "registrations:not_new": {"pk": reg.pk},
        "registrations:compare": {"pk": reg.pk},
        "registrations:side_by_side": {"pk": reg.pk, "other_pk": reg.pk},
        "registrations:action": {"pk": reg.pk, "action": "accept"},
        "registrations:attachment_upload": {"pk": reg.pk},
        "registrations:attachment": {"pk": objs["reg_attachment"].pk},
        "reports:list": {"code": campaign.code},
        "reports:outline": {"code": campaign.code},
        "reports:for_registration": {"reg_pk": reg.pk},
        "reports:edit": {"reg_pk": reg.pk},
        "reports:detail": {"pk": objs["report"].pk},
        "reports:side_by_side": {"pk": objs["report"].pk},
        "reports:evidence_upload": {"pk": objs["report"].pk},
        "reports:action": {"pk": objs["report"].pk, "action": "accept"},
        "reports:evidence": {"pk": objs["evidence"].pk},
        "reports:evidence_delete": {"pk": objs["evidence"].pk},
        "appraisals:queue": {"code": campaign.code},
        "appraisals:results": {"code": campaign.code},
        "appraisals:bonus": {"code": campaign.code},
        "appraisals:publish": {"code": campaign.code, "org_pk": objs["appraisal"].appraising_org_id},
        "appraisals:unregistered": {"code": campaign.code},
        "appraisals:quality": {"code": campaign.code},
        "appraisals:campaign_rubrics": {"code": campaign.code},
        "appraisals:open": {"reg_pk": reg.pk},
        "appraisals:detail": {"pk": objs["appraisal"].pk},
        "appraisals:calc": {"pk": objs["appraisal"].pk},
        "appraisals:sheet": {"pk": objs["appraisal"].pk},
        "appraisals:consensus": {"pk": objs["appraisal"].pk},
        "appraisals:sign": {"pk": objs["appraisal"].pk},
        "appraisals:reappraise": {"pk": objs["appraisal"].pk},
        "appraisals:unregistered_evidence": {"pk": objs["individual"].pk},
        "appraisals:rubrics": {},
        "appraisals:rubric_new": {"pk": objs["appraisal"].rubric_id},
        "appraisals:correction_new": {"code": campaign.code},
        "appraisals:correction_sign": {"pk": objs["correction"].pk},
        "appraisals:correction_publish": {"pk": objs["correction"].pk},
        "coverage:home": {"code": campaign.code},
        "coverage:page": {"code": campaign.code, "org_pk": org.pk},
        "coverage:job_start": {"code": campaign.code, "org_pk": org.pk, "kind": "coverage"},
        "coverage:reminders": {"code": campaign.code, "org_pk": org.pk},
        "coverage:upward_draft": {"code": campaign.code, "org_pk": org.pk},
        "coverage:upward_confirm": {"pk": objs["upward"].document_id},
        "coverage:upward_refresh": {"pk": objs["upward"].document_id},
        "coverage:upward": {"pk": objs["upward"].pk},
        "coverage:upward_decide": {"pk": objs["upward"].pk, "action": "accept"},
        "coverage:job": {"pk": objs["export"].pk},
        "coverage:download": {"pk": objs["export"].pk},
        "api_key": {},
        "api:api-root": {},
        "api:schema": {},
        "exchange:import": {},
        "exchange:template": {},
        "exchange:status": {"pk": job.pk},
        "exchange:export": {"code": campaign.code},
        "api:organization-list": {},
        "api:organization-detail": {"code": org.code},
        "api:person-list": {},
        "api:person-detail": {"code": person.code},
        "api:campaign-list": {},
        "api:campaign-detail": {"code": campaign.code},
        "api:campaign-coverage": {"code": campaign.code},
        "api:registration-list": {},
        "api:registration-detail": {"pk": reg.pk},
        "api:report-list": {},
        "api:report-detail": {"pk": objs["report"].pk},
        "api:appraisal-list": {},
        "api:appraisal-detail": {"pk": objs["appraisal"].pk},
        "api:novelty": {},
        "notifications:list": {},
        "notifications:read_all": {},
        "notifications:preferences": {},
        "notifications:open": {"pk": user.pk},
        "help": {},
        "help_image": {"name": "tong-hop-khoi.png"},
        "signatures:certificates": {},
        "signatures:trust_roots": {},
        "signatures:check": {},
        # the cycle's papers (issue 17)
        "appraisals:paper_minutes": {"pk": objs["appraisal"].pk},
        "appraisals:paper_sheet": {"pk": objs["appraisal"].pk, "sheet_pk": 1},
        "appraisals:paper_notice": {"code": campaign.code, "org_pk": objs["appraisal"].appraising_org_id},
        "appraisals:paper_session": {"code": campaign.code, "org_pk": objs["appraisal"].appraising_org_id},
        "reports:paper": {"pk": objs["report"].pk},
        "reports:return_paper": {"pk": objs["report"].pk},
        "registrations:return_paper": {"pk": reg.pk},
        "coverage:reminder_letter": {"code": campaign.code, "org_pk": org.pk},
        "coverage:registration_list": {"code": campaign.code, "org_pk": org.pk},
    }
    return table.get(name)


# Pages every logged-in user may open, which show only the user's own scope.
OWN_SCOPE_PAGES = {
    "home",
    "profile",
    "orgs:tree",
    "orgs:people_search",
    "campaigns:list",
    "campaigns:inbox",
    "registrations:list",
    "registrations:export",
    "reports:list",
    "appraisals:queue",
    "appraisals:results",
    "appraisals:quality",
    "notifications:list",
    "notifications:preferences",
    "help",
    "api:api-root",
    "api:organization-list",
    "api:person-list",
    "api:campaign-list",
    "api:campaign-detail",
    "api:registration-list",
    "api:report-list",
    "api:appraisal-list",
}
# The novelty check shows similar submitted models of any unit, by design (docs/rules.md, R6).
PUBLIC_TO_USERS = {
    "registrations:similar",
    "help_image",
    "api:schema",
    "api:novelty",
}  # the guide's screenshots: demo data only
# Pages that redirect a logged-in user to their own place (a campaign's home: the user's own level).
REDIRECTS_TO_OWN = {"campaigns:home", "coverage:home"}


@pytest.fixture
def objs(demo):

    owner = make_user("owner.admin", Role.ADMIN, demo["LD-DUK"], totp_secret="JBSWY3DPEHPK3PXP")
    user = make_user("duk.somebody", Role.OFFICER, demo["DUK-CTN"])
    job = ImportJob.objects.create(user=owner, file_name="x.xlsx", data=b"", effective_date="2024-01-01")

    campaign = open_campaign(2023, code="DK-T", name="Thử")
    draft = cdomain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["DUK-CTN"])
    issued = cdomain.issue_document(
        actor=None, document=cdomain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["DUK-CTN"])
    )
    att = Attachment(document=draft, original_name="hd.pdf", content_type="application/pdf", size=9)
    att.file.save("hd.pdf", ContentFile(b"%PDF-1.4\n"), save=True)

    reg = register(campaign, demo["DUK-CTN"], owner, "Mô hình bí mật CTN-KT")

    ratt = RegistrationAttachment(
        registration=reg, original_name="a.pdf", content_type="application/pdf", size=9, uploaded_by=owner
    )
    ratt.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    rdomain.submit(actor=owner, registration=reg)
    rdomain.accept(actor=make_user("duk.receiver", Role.OFFICER, demo["LD-DUK"]), registration=reg)

    report = repdomain.start_report(actor=owner, registration=reg)
    evidence = repdomain.add_evidence(
        actor=owner, report=report, claim="section:done", upload=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n")
    )
    report = repdomain.save_draft(
        actor=owner,
        report=report,
        sections={"done": "x" * 90, "novelty": "y" * 90, "reviews": "z" * 50},
        results={r.indicator_id: {"achieved": 1} for r in report.results.all()},
    )
    report = repdomain.submit(actor=owner, report=report)

    duk_appraiser = make_user("duk.appraiser", Role.APPRAISER, demo["LD-DUK"])
    appraisal = adomain.open_appraisal(
        actor=duk_appraiser, registration=reg, members=[duk_appraiser], chair=duk_appraiser
    )
    adomain.save_sheet(
        actor=duk_appraiser,
        appraisal=appraisal,
        submit=True,
        raw=dict.fromkeys(("TC1", "TC2", "TC3", "TC4"), ("1", "Nhận xét đủ dài cho tiêu chí này.")),
    )
    appraisal = adomain.sign_off(actor=duk_appraiser, appraisal=appraisal)

    correction = ResultCorrection.objects.create(
        campaign=campaign,
        subject_org=demo["DUK-CTN"],
        number=2,
        appraising_org=demo["LD-DUK"],
        reason="Đính chính thử",
        proposed_by=duk_appraiser,
    )
    individual = commended(
        campaign, duk_appraiser, Person.objects.get(code="DV-0021"), upload=SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n")
    )

    draft = cupward.draft_report(actor=owner, campaign=campaign, org=demo["DUK-CTN"], signer_name="Nguyễn Văn An")
    up = cupward.submit(actor=owner, document=draft)
    export = Export.objects.create(
        user=owner, campaign=campaign, org=demo["DUK-CTN"], kind="coverage", status="done", file_name="x.xlsx"
    )
    export.file.save("x.xlsx", ContentFile(b"PK"), save=True)
    return {
        "correction": correction,
        "upward": up,
        "export": export,
        "appraisal": appraisal,
        "individual": individual,
        "report": report,
        "evidence": evidence,
        "reg_attachment": ratt,
        "registration": reg,
        "org": demo["DUK-CTN"],
        "person": Person.objects.get(code="DV-0020"),
        "user": user,
        "role": RoleAssignment.objects.get(user=user),
        "job": job,
        "campaign": campaign,
        "doc": draft,
        "attachment": att,
        "incoming": issued.deliveries.first(),
    }


def _urls(objs):

    out = []
    missing = []
    for name, _p in all_patterns():
        if name.startswith(PUBLIC_PREFIXES):
            continue
        kwargs = kwargs_for(name, objs)
        if kwargs is None:
            missing.append(name)
            continue
        out.append((name, reverse(name, kwargs=kwargs)))
    assert not missing, f"URL patterns without an access test: {missing}"
    return out


def test_anonymous_is_sent_to_login_everywhere(client, objs):
    for name, url in _urls(objs):
        for method in ("get", "post"):
            r = getattr(client, method)(url)
            if name.startswith("api:"):
                assert r.status_code in (401, 403), (name, method, r.status_code)  # the API answers, not redirects
                continue
            assert r.status_code in (302, 405), (name, method, r.status_code)
            if r.status_code == 302:
                assert r["Location"].startswith("/accounts/login/"), (name, r["Location"])


def _export_lists_nothing(content: bytes) -> bool:
    """The registration list workbook (title block, headings, then one row a model, then the total) lists no model:
    the secret title is nowhere in it and its total says 0."""

    cells = [str(v) for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True) for v in row if v]
    assert not any("CTN-KT" in c for c in cells), cells
    return "Tổng cộng: 0 đăng ký" in cells


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICER, Role.APPRAISER, Role.VIEWER, Role.INDIVIDUAL])
def test_user_of_unrelated_organization_is_refused(client, objs, demo, role):
    outsider = make_user(f"outsider.{role}", role, demo["LD-LDG"], totp_secret="JBSWY3DPEHPK3PXP")
    client.force_login(outsider)
    before = Organization.objects.count(), Person.objects.count()
    for name, url in _urls(objs):
        for method in ("get", "post"):
            r = getattr(client, method)(url, {"day": "01/01/2024", "new_parent": "LD-LDG", "target": "LD-LDG"})
            if name == "registrations:export" and method == "get":
                assert r.status_code == 200
                assert _export_lists_nothing(r.content)
                continue
            if name == "api_key":
                assert r.status_code in (302, 405)  # one's own API key
                continue
            if name.startswith("api:") and method == "post":
                assert r.status_code in (403, 405), (name, r.status_code)  # read-only API (and CSRF for sessions)
                continue
            if name in ("notifications:list", "notifications:read_all", "notifications:preferences"):
                assert r.status_code in (200, 302, 405)  # one's own notifications (a POST marks them read)
                continue
            if name == "appraisals:unregistered" and role == Role.APPRAISER:
                # An appraiser's own form: only people their level evaluates are offered; a POST names nobody.
                assert r.status_code == 200 and "Nguyễn Văn An" not in r.content.decode()
                continue
            if name in OWN_SCOPE_PAGES and method == "get":
                assert r.status_code == 200
                assert "Công ty TNHH MTV Cấp thoát nước" not in r.content.decode(), name
                assert "CTN-KT" not in r.content.decode(), name
                continue
            if name in PUBLIC_TO_USERS:
                assert r.status_code in (200, 405)
                continue
            if name in REDIRECTS_TO_OWN and method == "get":
                assert r.status_code == 302 and f"/cap/{objs['org'].pk}/" not in r["Location"], (name, r["Location"])
                continue
            if name == "campaigns:open" and role == Role.ADMIN:
                assert r.status_code in (200, 405)  # an admin may open a campaign for their own subtree
                continue
            if name == "orgs:import" and method == "get" and role == Role.ADMIN:
                assert r.status_code == 200  # the upload form itself; the import checks the scope of every row
                continue
            if name == "orgs:import" and method == "post" and role == Role.ADMIN:
                assert r.status_code == 200 and "form" in r.context  # no file: the form is shown again
                continue
            if name == "exchange:import" and role == Role.ADMIN:
                assert r.status_code == 200  # the upload form (GET), or shown again without a file (POST)
                continue
            if name == "exchange:template" and role == Role.ADMIN:
                assert r.status_code in (200, 405)
                continue
            if name == "orgs:import_template" and role == Role.ADMIN:
                assert r.status_code in (200, 405)
                continue
            if name == "signatures:check" or (name == "signatures:certificates" and role == Role.ADMIN):
                # one's own checks / the certificates of one's own organization; a POST without a file re-shows the form
                assert r.status_code == 200 and "Cấp thoát nước" not in r.content.decode(), (name, method)
                continue
            if name in ("accounts:user_list", "accounts:user_create") and role == Role.ADMIN:
                assert r.status_code in (200, 405)  # own list / form re-shown with errors
                if method == "get" and name == "accounts:user_list":
                    assert "duk.somebody" not in r.content.decode()
                continue
            assert r.status_code in (403, 404, 405), (role, name, method, r.status_code)
    assert (Organization.objects.count(), Person.objects.count()) == before
    outsider_user = objs["user"]
    outsider_user.refresh_from_db()
    assert outsider_user.is_active


# Registration, report and appraisal pages and API endpoints (issue 15, item 3): an individual cadre of the very
# unit whose model it is ("cá nhân" at DUK-CTN) sees nothing of a model that is not their own — lists, exports,
# details, files, actions. And the unit's own officer sees nothing of its appraisal before publication (item 1).
MODEL_PAGES = ("registrations:", "reports:", "appraisals:", "api:registration-", "api:report-", "api:appraisal-")


def _model_urls(objs):
    return [(name, url) for name, url in _urls(objs) if name.startswith(MODEL_PAGES)]


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if response.streaming or ("text" not in kind and "json" not in kind):
        return ""
    return response.content.decode()


def test_individual_cadre_of_the_same_unit_sees_nothing_of_its_models(client, objs, demo):
    cadre = make_user("ctn.canhan", Role.INDIVIDUAL, demo["DUK-CTN"])
    client.force_login(cadre)
    for name, url in _model_urls(objs):
        for method in ("get", "post"):
            r = getattr(client, method)(url)
            if r.status_code == 200:
                if name == "registrations:export":
                    assert _export_lists_nothing(r.content)
                    continue
                assert "CTN-KT" not in _text(r), (name, method)
                # level_status: the unit's own level, counts per subordinate only (no titles, no people)
                allowed = OWN_SCOPE_PAGES | PUBLIC_TO_USERS | {"appraisals:unregistered", "registrations:level_status"}
                assert name in allowed, (name, method)
                continue
            assert r.status_code in (302, 403, 404, 405), (name, method, r.status_code)
            if r.status_code == 302:  # a form that sends one back to one's own list, having done nothing
                assert "CTN-KT" not in client.get(r["Location"]).content.decode(), (name, method)
    reg = objs["registration"]
    reg.refresh_from_db()
    assert reg.state in {"results_reported", "appraised"}


def test_the_appraised_units_officer_sees_no_score_before_publication(client, objs, demo):
    officer = make_user("ctn.officer", Role.OFFICER, demo["DUK-CTN"])
    client.force_login(officer)
    ap = objs["appraisal"]
    assert ap.state == "signed" and ap.classification
    for name, url in _model_urls(objs):
        r = client.get(url)
        if r.status_code == 200:
            body = _text(r)
            assert f'"classification":"{ap.classification}"' not in body.replace(" ", ""), name
            assert f"— {ap.classification}<" not in body, name
            assert '"total":' not in body.replace(" ", "") or '"total":null' in body.replace(" ", ""), name
