"""Registration screens: list (filters, Excel), create/edit with indicators, detail with the workflow
actions, versions and their comparison, similar models side by side, and the live novelty check."""

from __future__ import annotations

import difflib
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Min, Prefetch
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from sangtao.campaigns.access import get_campaign
from sangtao.campaigns.domain import Cascade, is_late
from sangtao.campaigns.models import Document
from sangtao.campaigns.rules import ACTING_ROLES
from sangtao.common import actions, audit, formtoken, params, xlsx
from sangtao.common.ops import replica_allowed
from sangtao.common.templatetags.vn import vn_number
from sangtao.common.text import fold
from sangtao.common.uploads import read_checked
from sangtao.common.views import readable, stored_file, workbook
from sangtao.orgs.domain import is_excluded
from sangtao.orgs.models import Organization, Person
from sangtao.orgs.rules import reaches, scopes
from sangtao.orgs.views import get_visible_org
from sangtao.signatures import domain as signatures

from . import domain, novelty, papers
from .forms import FilterForm, IndicatorFormSet, ReasonForm, RegistrationForm
from .models import ContentArea, Field, Indicator, Registration, RegistrationAttachment
from .rules import visible_q
from .workflow import EDITABLE, TRANSITIONS, State

SIMILAR_FLAG = 0.6  # a registration this close to an earlier one is flagged in lists [product rule]


# What every page of a registration shows of it, fetched with it — and with its report or appraisal, through
# their `registration` (…_VIA).
REGISTRATION_RELATED = ("campaign", "campaign__root", "subject_org", "person", "person__user", "receiving_org")
REGISTRATION_RELATED_VIA = tuple(f"registration__{name}" for name in REGISTRATION_RELATED)


def _get(user, pk, act: str | None = None) -> Registration:
    """The registration the user may read (404 otherwise) and, when named, `act` on (403 otherwise)."""
    return readable(
        user,
        Registration.objects.select_related(*REGISTRATION_RELATED, "created_by"),
        pk,
        read="registrations.read",
        act=act,
    )


registration_for = _get  # the registration a user may read, or 404 (for the papers' views)

WORKFLOW = actions.Workflow(
    TRANSITIONS,
    perms={"registrant": "registrations.register", "receiver": "registrations.receive"},
    domain=domain,
    arg="registration",
)


def filtered(user, campaign, params):
    form = FilterForm(params or None)
    qs = (
        Registration.objects.filter(campaign=campaign)
        .filter(visible_q(user))
        .select_related("subject_org", "person", "receiving_org")
    )
    if form.is_valid():
        d = form.cleaned_data
        if d["state"]:
            qs = qs.filter(state=d["state"])
        if d["field"]:
            qs = (
                qs.filter(fields__contains=[d["field"]])
                if _json_contains()
                else qs.filter(fields__icontains=f'"{d["field"]}"')
            )
        if d["kind"]:
            qs = qs.filter(subject_kind=d["kind"])
        if d["late"] == "late":
            qs = qs.filter(late=True)
        elif d["late"] == "on_time":
            qs = qs.filter(late=False, first_submitted_at__isnull=False)
        if d["flag"] == "not_new":
            qs = qs.filter(not_new=True)
        elif d["flag"] == "similar":
            qs = qs.filter(similar_score__gte=SIMILAR_FLAG)
        if d["q"]:
            qs = qs.filter(search_key__contains=fold(d["q"]))
        qs = qs.order_by(d["sort"] or "-updated_at", "-id")
    return form, qs.distinct()


def _json_contains() -> bool:

    return connection.vendor == "postgresql"


@replica_allowed
@login_required
@require_safe
def registration_list(request, code):
    campaign = get_campaign(request.user, code)
    form, qs = filtered(request.user, campaign, request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registrations/list.html",
        {"campaign": campaign, "form": form, "page": page, "my_subjects": _my_subjects(request.user, campaign)},
    )


def _my_subjects(user, campaign):
    """Where the user may register: collectives they act for (inside the campaign), and themselves."""

    orgs = [
        s
        for s in scopes(user)
        if s.role in ACTING_ROLES and s.path.startswith(campaign.root.path) and s.org_id != campaign.root_id
    ]
    person = Person.objects.filter(user=user, active=True).select_related("org").first()
    return {"orgs": orgs, "person": person if person and person.org.path.startswith(campaign.root.path) else None}


@login_required
@require_safe
def registration_export(request, code):

    campaign = get_campaign(request.user, code)
    _form, qs = filtered(request.user, campaign, request.GET)
    qs = qs.prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("order")))
    wb = xlsx.new_workbook()  # every title, name and indicator is written as text, never as a formula
    ws = wb.active
    ws.title = "Dang_ky"
    issuer = next((s.org_name for s in _scopes_for_export(request.user, campaign)), campaign.root.name)
    xlsx.print_sheet(
        ws,
        issuer=issuer,
        title=f"Danh sách đăng ký — {campaign.name}",
        as_of=timezone.localdate(),
        columns=[
            ("TT", 5),
            ("Tên mô hình, cách làm", 45),
            ("Chủ thể", 10),
            ("Đơn vị", 35),
            ("Cá nhân", 22),
            ("Lĩnh vực", 25),
            ("Chỉ tiêu", 40),
            ("Trạng thái", 16),
            ("Gửi lần đầu", 16),
            ("Nộp muộn", 9),
            ("Chưa có tính mới", 12),
        ],
    )
    n = 0
    for n, r in enumerate(qs.iterator(chunk_size=500), start=1):
        first = timezone.localtime(r.first_submitted_at).replace(tzinfo=None) if r.first_submitted_at else None
        ws.append(
            xlsx.formatted(
                ws,
                [
                    n,
                    r.title,
                    r.get_subject_kind_display(),
                    r.subject_org.name,
                    r.person.full_name if r.person else "",
                    "; ".join(r.field_labels()),
                    "; ".join(f"{ind.name}: {vn_number(ind.target)} {ind.unit}" for ind in r.indicators.all()),
                    r.get_state_display(),
                    first,
                    "x" if r.late else "",
                    "x" if r.not_new else "",
                ],
                {8: xlsx.DATETIME},
            )
        )
    ws.append([None, _("Tổng cộng: %(n)d đăng ký") % {"n": n}])
    return workbook(xlsx.to_bytes(wb), f"dang-ky-{campaign.code}.xlsx")


def _scopes_for_export(user, campaign):
    """The user's organizations inside the campaign, highest first: the first is the list's issuing body."""

    return sorted((s for s in scopes(user) if s.path.startswith(campaign.root.path)), key=lambda s: len(s.path))


def _indicator_initial(reg):
    if reg is None:
        return []
    return [{"name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target} for i in reg.indicators.all()]


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, code=None, pk=None):
    if pk is not None:
        reg = _get(request.user, pk, act="registrations.register")
        campaign, subject_org, person = reg.campaign, reg.subject_org, reg.person
        if reg.state not in EDITABLE:
            messages.error(request, _("Đăng ký ở trạng thái “%(s)s” không sửa được.") % {"s": reg.get_state_display()})
            return redirect("registrations:detail", pk=reg.pk)
    else:
        reg = None
        campaign = get_campaign(request.user, code)
        person = None
        if request.GET.get("ca_nhan") or request.POST.get("ca_nhan"):
            person = get_object_or_404(
                Person.objects.select_related("org"),
                pk=params.pk(request.GET.get("ca_nhan") or request.POST.get("ca_nhan")),
            )
            subject_org = person.org
            probe = Registration(subject_org=subject_org, person=person)
        else:
            subject_org = get_object_or_404(
                Organization, pk=params.pk(request.GET.get("to_chuc") or request.POST.get("to_chuc"))
            )
            probe = Registration(subject_org=subject_org)
        if not request.user.has_perm("registrations.register", probe):
            raise PermissionDenied
    form = RegistrationForm(request.POST or None, instance=reg, initial={"version": reg.version if reg else None})
    indicators = IndicatorFormSet(request.POST or None, prefix="ind", initial=_indicator_initial(reg))
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        rows = [f.cleaned_data for f in indicators if f.cleaned_data.get("name")]
        try:
            with transaction.atomic():
                # A new registration is created once per form, however often it is sent (double click, resend).
                submission = formtoken.claim(request.POST.get("form_token", ""), request.user) if reg is None else None
                saved = domain.save_draft(
                    actor=request.user,
                    campaign=campaign,
                    subject_org=subject_org,
                    person=person,
                    registration=reg,
                    expected_version=form.cleaned_data.get("version"),
                    indicators=rows,
                    **{k: form.cleaned_data[k] for k in domain.FIELDS},
                )
                formtoken.done(submission, reverse("registrations:detail", kwargs={"pk": saved.pk}))
        except formtoken.Duplicate as dup:
            messages.info(request, _("Biểu mẫu này đã được gửi; không tạo đăng ký thứ hai."))
            return redirect(dup.result_url or reverse("registrations:list", kwargs={"code": campaign.code}))
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            if "submit" in request.POST:
                if not actions.attempt(request, lambda: domain.submit(actor=request.user, registration=saved)):
                    return redirect("registrations:edit", pk=saved.pk)
                messages.success(request, _("Đã gửi đăng ký."))
            else:
                messages.success(request, _("Đã lưu dự thảo."))
            return redirect("registrations:detail", pk=saved.pk)
    subject = person.full_name if person else subject_org.name
    return render(
        request,
        "registrations/form.html",
        {
            "form_token": formtoken.for_form(request),
            "form": form,
            "indicators": indicators,
            "reg": reg,
            "campaign": campaign,
            "subject": subject,
            "subject_org": subject_org,
            "person": person,
        },
    )


@login_required
@require_safe
def registration_detail(request, pk):
    reg = _get(request.user, pk)
    user = request.user
    can_receive = user.has_perm("registrations.receive", reg)
    # At the receiving level but one of its authors (rules R5): say why there is no button, and who acts.
    author_at_receiver = (
        not can_receive and reg.state == State.SUBMITTED and reaches(user, reg.receiving_org, ACTING_ROLES)
    )
    matches = novelty.similar_to(reg)
    return render(
        request,
        "registrations/detail.html",
        {
            "reg": reg,
            "indicators": reg.indicators.all(),
            "versions": reg.versions.select_related("actor"),
            "actions": WORKFLOW.available(user, reg),
            "matches": matches,
            "can_edit": reg.state in EDITABLE and user.has_perm("registrations.register", reg),
            "can_receive": can_receive,
            "reason_form": ReasonForm(),
            "author_at_receiver": author_at_receiver,
            "attachments": reg.attachments.all(),
            # Upward references resolved at run time (the appraisal app sits above this one).
            "appraisal": _visible_appraisal(user, reg),
            "can_open_appraisal": user.has_perm("appraisals.open", reg)
            and reg.state in {State.ACCEPTED, State.IN_PROGRESS, State.RESULTS_REPORTED},
            "can_write_report": reg.state in {State.ACCEPTED, State.IN_PROGRESS, State.RESULTS_REPORTED}
            and user.has_perm("registrations.register", reg),
            "papers": papers.registration_papers(user, reg),
        },
    )


def _visible_appraisal(user, reg):

    appraisal = apps.get_model("appraisals", "Appraisal").objects.filter(registration=reg, is_current=True).first()
    return appraisal if appraisal and user.has_perm("appraisals.view", appraisal) else None


registration_action = WORKFLOW.view(_get, to="registrations:detail")


@login_required
@require_POST
def registration_not_new(request, pk):
    reg = _get(request.user, pk, act="registrations.receive")
    not_new = request.POST.get("not_new") == "1"
    return actions.run(
        request,
        lambda: domain.mark_not_new(
            actor=request.user, registration=reg, not_new=not_new, **actions.posted(request, "reason")
        ),
        to=reverse("registrations:detail", kwargs={"pk": reg.pk}),
    )


@login_required
@require_POST
def registration_delete(request, pk):
    reg = _get(request.user, pk, act="registrations.register")
    code = reg.campaign.code
    try:
        domain.delete_draft(actor=request.user, registration=reg)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("registrations:detail", pk=pk)
    messages.success(request, _("Đã xóa dự thảo."))
    return redirect("registrations:list", code=code)


@login_required
@require_safe
def registration_compare(request, pk):
    """Two versions side by side, with the changed words marked."""
    reg = _get(request.user, pk)
    versions = list(reg.versions.select_related("actor"))
    if len(versions) < 1:
        raise Http404
    by_number = {v.number: v for v in versions}
    try:
        a = by_number[int(request.GET.get("a", versions[0].number))]
        b = by_number[int(request.GET.get("b", versions[-1].number))]
    except (KeyError, ValueError):
        raise Http404 from None
    labels = {
        "title": _("Tên mô hình"),
        "novelty": _("Điểm mới"),
        "method": _("Cách thức thực hiện"),
        "theme_link": _("Gắn với nghị quyết, chủ đề năm"),
        "fields": _("Lĩnh vực"),
        "content_areas": _("Nội dung"),
        "indicators": _("Chỉ tiêu"),
    }
    rows = []
    for key, label in labels.items():
        left, right = _as_text(a.snapshot.get(key)), _as_text(b.snapshot.get(key))
        rows.append(
            {
                "label": label,
                "left": left,
                "right": right,
                "changed": left != right,
                "diff": _word_diff(left, right) if left != right else None,
            }
        )
    return render(
        request, "registrations/compare.html", {"reg": reg, "a": a, "b": b, "rows": rows, "versions": versions}
    )


def _as_text(value) -> str:

    def num(text):
        try:
            return str(vn_number(Decimal(text)))
        except (InvalidOperation, TypeError):
            return "—"

    labels = {**dict(Field.choices), **dict(ContentArea.choices)}
    if isinstance(value, list):
        parts = []
        for v in value:
            if isinstance(v, dict):
                parts.append(f"{v.get('name')}: {num(v.get('baseline'))} → {num(v.get('target'))} {v.get('unit')}")
            else:
                parts.append(str(labels.get(v, v)))
        return "\n".join(parts)
    return str(value or "")


def _word_diff(left: str, right: str):
    a, b = left.split(), right.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("del", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("add", " ".join(b[j1:j2])))
    return out


@login_required
@require_safe
def registration_side_by_side(request, pk, other_pk):
    reg = _get(request.user, pk)
    other = get_object_or_404(Registration.objects.select_related("campaign", "subject_org", "person"), pk=other_pk)
    if other.state == State.DRAFT:
        raise Http404  # drafts are private to their authors
    match = next((m for m in novelty.similar_to(reg, limit=50) if m.registration.pk == other.pk), None)
    if match is None and not request.user.has_perm("registrations.read", other):
        raise Http404  # another unit's model is shown only as a similar match of one's own
    return render(
        request,
        "registrations/side_by_side.html",
        {
            "reg": reg,
            "other": other,
            "score": match.percent if match else None,
            "shared": novelty.explain(reg, other),
            "can_receive": request.user.has_perm("registrations.receive", reg),
        },
    )


@login_required
@require_POST
def similar_live(request):
    """HTMX: while the title and the novelty are typed, the most similar submitted models."""
    text = f"{request.POST.get('title', '')}\n{request.POST.get('title', '')}\n{request.POST.get('novelty', '')}"
    exclude = request.POST.get("reg")
    matches = (
        novelty.similar(text, exclude=int(exclude) if exclude and exclude.isdigit() else None, limit=5)
        if len(text.strip()) >= 8
        else []
    )
    return render(request, "registrations/_similar.html", {"matches": matches, "live": True})


@login_required
@require_safe
def level_status(request, code, org_pk):
    """Who has registered under a level: for each direct subordinate, its own (collective) registration —
    on time, late or missing, by the deadline that applies to it — and the registrations in its subtree."""

    campaign = get_campaign(request.user, code)
    org = get_visible_org(request.user, org_pk)
    if not org.path.startswith(campaign.root.path):
        raise Http404
    children = list(
        Organization.objects.active()
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .order_by("kind__order", "name")
    )
    submitted = Registration.objects.filter(campaign=campaign, first_submitted_at__isnull=False)
    own = dict(
        submitted.filter(subject_kind=Registration.SubjectKind.COLLECTIVE, subject_org__in=children)
        .values("subject_org")
        .annotate(first=Min("first_submitted_at"))
        .values_list("subject_org", "first")
    )
    length = Organization.steplen * (org.depth + 1)
    in_subtree = dict(
        submitted.filter(subject_org__path__startswith=org.path, subject_org__depth__gt=org.depth)
        .annotate(prefix=Substr("subject_org__path", 1, length))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("prefix", "n")
    )
    deadline = Cascade(campaign).for_subordinates(org).deadline
    parent_excluded = is_excluded(org)
    rows = []
    for child in children:
        first = own.get(child.pk)
        excluded = parent_excluded or child.flagged_excluded
        status = (
            "excluded"
            if excluded
            else ("missing" if first is None else ("late" if is_late(first, deadline) else "on_time"))
        )
        rows.append({"org": child, "status": status, "first": first, "count": in_subtree.get(child.path, 0)})
    summary = {k: sum(1 for r in rows if r["status"] == k) for k in ("on_time", "late", "missing")}
    return render(
        request,
        "registrations/_level_status.html",
        {"campaign": campaign, "org": org, "rows": rows, "deadline": deadline, "summary": summary},
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit_in_writing(request, code, org_pk):
    """A committee sends its registrations (its own and its leaders') in writing, as one letter."""

    campaign = get_campaign(request.user, code)
    org = get_visible_org(request.user, org_pk)
    if not request.user.has_perm("campaigns.act_for", org):
        raise PermissionDenied
    # The unit's own registrations, and personal ones only where the officer wrote them: a leader's personal
    # draft is his until he sends it (rules R6; issue 17: the letter sent another person's draft).
    candidates = [
        r
        for r in Registration.objects.filter(campaign=campaign, subject_org=org, state__in=EDITABLE)
        .select_related("person")
        .order_by("subject_kind", "person__full_name", "title")
        if r.person_id is None or r.created_by_id == request.user.pk
    ]
    selected = {int(x) for x in request.POST.getlist("reg") if x.isdigit()}
    errors = []
    signer = request.POST.get("signer_name", "")
    if not signer:
        leader = Person.objects.filter(org=org, is_leader=True, active=True, position__icontains="Bí thư").first()
        signer = leader.full_name if leader else ""
    if request.method == "POST":
        chosen = [r for r in candidates if r.pk in selected]
        if not signer.strip():
            errors.append(_("Ghi họ tên người ký."))
        else:
            try:
                doc = domain.draft_written_letter(
                    actor=request.user, campaign=campaign, org=org, registrations=chosen, signer_name=signer
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.info(
                    request,
                    _(
                        "Đã lập dự thảo công văn đăng ký (%(n)d mô hình). Kiểm tra, sửa, xem trước rồi "
                        "bấm “Xác nhận và gửi đăng ký”."
                    )
                    % {"n": len(chosen)},
                )
                return redirect("campaigns:document", pk=doc.pk)
    return render(
        request,
        "registrations/submit_in_writing.html",
        {
            "campaign": campaign,
            "org": org,
            "candidates": candidates,
            "selected": selected,  # nothing pre-ticked
            "errors": errors,
            "signer": signer,
        },
    )


@login_required
@require_POST
def written_confirm(request, pk):
    """The clerk confirms the draft written registration: its registrations are submitted and it is issued."""

    doc = get_object_or_404(
        Document.objects.select_related("issuer"), pk=pk, purpose=Document.Purpose.WRITTEN_REGISTRATION
    )
    if not request.user.has_perm("campaigns.act_for", doc.issuer):
        raise Http404 if not request.user.has_perm("campaigns.read_level", doc.issuer) else PermissionDenied
    return actions.run(
        request,
        lambda: domain.issue_written_letter(actor=request.user, letter=doc),
        success=lambda issued: (
            _("Đã gửi %(n)d đăng ký bằng văn bản số %(r)s.")
            % {"n": Registration.objects.filter(letter=issued).count(), "r": issued.reference}
        ),
        to=reverse("campaigns:document", kwargs={"pk": doc.pk}),
    )


ATTACHMENT_TYPES = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}
ATTACHMENT_MAX = 20 * 1024 * 1024


@login_required
@require_POST
def attachment_upload(request, pk):
    """Files are checked by content (common.uploads.sniff), stored under generated names, and never
    served directly: only through `attachment_download`, which checks permission."""

    reg = _get(request.user, pk)
    if not request.user.has_perm("registrations.register", reg) or reg.state not in EDITABLE:
        raise PermissionDenied
    upload = request.FILES.get("file")
    try:
        data, content_type, stored_name = read_checked(upload, ATTACHMENT_TYPES, ATTACHMENT_MAX)
        with formtoken.once(request) as made:  # a double click attaches the file once
            att = RegistrationAttachment(
                registration=reg,
                original_name=upload.name[:255],
                content_type=content_type,
                size=len(data),
                uploaded_by=request.user,
            )
            att.file.save(stored_name, ContentFile(data), save=True)
            signatures.verify_upload(name=att.file.name, data=data, actor=request.user)  # chữ ký số (issue 20)
            audit.record("registration.attach", obj=reg, changes={"file": att.original_name, "size": att.size})
            made(reverse("registrations:detail", kwargs={"pk": reg.pk}))
    except formtoken.Duplicate:
        messages.info(request, _("Tệp này đã được đính kèm; không đính kèm lần thứ hai."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Đã đính kèm “%(f)s”.") % {"f": att.original_name})
    return redirect("registrations:detail", pk=reg.pk)


@login_required
@require_safe
def attachment_download(request, pk):

    att = get_object_or_404(RegistrationAttachment.objects.select_related("registration"), pk=pk)
    _get(request.user, att.registration_id)
    return stored_file(att.file, content_type=att.content_type, filename=att.original_name)
