"""Campaign screens: list, open, the page of each level (deadline, days left, its subordinates), the
cascade form, letters (draft, edit, issue, download) and the inbox of incoming documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sangtao.common import actions, audit, confirm
from sangtao.common.uploads import read_checked
from sangtao.documents import render as doc_render
from sangtao.orgs.domain import is_excluded
from sangtao.orgs.models import Organization
from sangtao.orgs.rules import READ_ROLES, scopes
from sangtao.orgs.views import managed_orgs
from sangtao.signatures import domain as signature_domain
from sangtao.signatures import views as signature_views

from . import domain, forms, papers
from .access import get_campaign, level_org, visible_campaigns
from .models import Attachment, Campaign, CampaignLevel, Document, IncomingDocument
from .rules import ACTING_ROLES

ATTACHMENT_TYPES = {".pdf", ".docx", ".xlsx"}
ATTACHMENT_MAX = 20 * 1024 * 1024


def _through_form(form, call):
    """Do the domain `call()` for a valid form and answer its result; a refusal becomes the form's errors, kept on
    the page with what was typed (answer None)."""
    try:
        return call()
    except ValidationError as exc:
        for m in exc.messages:
            form.add_error(None, m)
        return None


@login_required
@require_safe
def campaign_list(request):
    campaigns = visible_campaigns(request.user).select_related("root").order_by("-year", "code")
    return render(
        request,
        "campaigns/list.html",
        {"campaigns": campaigns, "can_open": request.user.has_perm("campaigns.open", None)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_open(request):
    if not request.user.has_perm("campaigns.open", None):
        raise PermissionDenied
    queryset = managed_orgs(request.user).filter(valid_to__isnull=True)
    today = timezone.localdate()
    initial = {
        "year": today.year,
        "legal_bases": (
            "Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị về chủ trương khuyến khích và bảo vệ cán bộ năng động, "
            "sáng tạo vì lợi ích chung"
        ),
        "target_registered": 90,
        "target_rated": 25,
    }
    mine = [s for s in scopes(request.user) if s.role == "admin"]
    if mine:
        initial["root"] = Organization.objects.filter(pk=mine[0].org_id).values_list("code", flat=True).first()
    form = forms.CampaignForm(request.POST or None, queryset=queryset, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("campaigns.open", data["root"]):
            raise PermissionDenied
        campaign = _through_form(form, lambda: domain.open_campaign(actor=request.user, **dict(data.items())))
        if campaign:
            messages.success(request, _("Đã mở đợt “%(c)s”.") % {"c": campaign.name})
            return redirect("campaigns:level", code=campaign.code, org_pk=campaign.root_id)
    return render(
        request, "campaigns/form.html", {"form": form, "title": _("Mở đợt đăng ký mới"), "org_codes": queryset}
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, code):
    campaign = get_campaign(request.user, code)
    if not request.user.has_perm("campaigns.open", campaign.root):
        raise PermissionDenied
    form = forms.CampaignEditForm(request.POST or None, instance=Campaign.objects.get(pk=campaign.pk))
    if (
        request.method == "POST"
        and form.is_valid()
        and _through_form(
            form, lambda: domain.update_campaign(actor=request.user, campaign=campaign, **form.cleaned_data)
        )
    ):
        messages.success(request, _("Đã lưu đợt."))
        return redirect("campaigns:level", code=campaign.code, org_pk=campaign.root_id)
    return render(
        request,
        "campaigns/form.html",
        {"form": form, "title": _("Sửa đợt “%(c)s”") % {"c": campaign.name}, "campaign": campaign},
    )


@login_required
@require_safe
def campaign_home(request, code):
    """The level of the campaign the user works at: their own organization, or the root if above it."""
    campaign = get_campaign(request.user, code)
    if not request.user.is_superuser and not any(s.role in READ_ROLES for s in scopes(request.user)):
        return redirect("registrations:list", code=code)  # an individual cadre: their own models, no level page
    for s in scopes(request.user):
        if s.path.startswith(campaign.root.path):
            return redirect("campaigns:level", code=code, org_pk=s.org_id)
    return redirect("campaigns:level", code=code, org_pk=campaign.root_id)


def _level(user, code, org_pk, perm):
    """The campaign and one of its levels the user may see (else 404), if the user holds `perm` there (else 403)."""
    campaign = get_campaign(user, code)
    org = level_org(user, campaign, org_pk)
    if not user.has_perm(perm, org):
        raise PermissionDenied
    return campaign, org


@login_required
@require_safe
def level_page(request, code, org_pk):
    campaign, org = _level(request.user, code, org_pk, "campaigns.read_level")
    state = domain.Cascade(campaign)
    is_root = org.pk == campaign.root_id
    applicable = state.applicable(org)
    given = state.for_subordinates(org)
    own_deadline = campaign.registration_deadline if is_root else applicable.deadline
    org_excluded = is_excluded(org)
    children = list(
        Organization.objects.active()
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .select_related("kind")
        .order_by("kind__order", "name")
    )
    docs = list(Document.objects.filter(campaign=campaign, issuer=org).select_related("issuer").order_by("-created_at"))
    # a reader of the level sees what it issued; drafts and letters awaiting a signature are its officers' own
    # (their pages answer 404 to anyone else), and a paper with unpublished results only those who may see them
    drafts_too = request.user.has_perm("campaigns.act_for", org)
    docs = papers.readable(request.user, [d for d in docs if drafts_too or d.status == Document.Status.ISSUED])
    issued = [d for d in docs if d.status == Document.Status.ISSUED]
    deliveries = {}
    if issued:
        for inc in IncomingDocument.objects.filter(document__in=issued, recipient__in=children).order_by("received_on"):
            deliveries[inc.recipient_id] = inc
    rows = []
    for child in children:
        level = state.level(child)
        rows.append(
            {
                "org": child,
                "excluded": org_excluded or child.flagged_excluded,
                "level": level,
                "deadline": given.deadline,
                "delivery": deliveries.get(child.pk),
                "has_children": child.numchild > 0,
            }
        )
    ancestors = [a for a in Organization.objects.get_ancestors(org) if a.path.startswith(campaign.root.path)]
    return render(
        request,
        "campaigns/level.html",
        {
            "campaign": campaign,
            "org": org,
            "is_root": is_root,
            "applicable": applicable,
            "given": given,
            "own_deadline": own_deadline,
            "days_left": domain.days_left(own_deadline),
            "level": state.level(org),
            "rows": rows,
            "docs": docs,
            "ancestors": ancestors,
            "excluded": org_excluded,
            "can_act": request.user.has_perm("campaigns.act_for", org) and campaign.status == Campaign.Status.OPEN,
            "cascade_form": forms.CascadeForm(instance=state.level(org) or CampaignLevel()) if not is_root else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def level_cascade(request, code, org_pk):
    campaign, org = _level(request.user, code, org_pk, "campaigns.act_for")
    if org.pk == campaign.root_id:  # the root's terms are the campaign's own (campaign_edit)
        raise PermissionDenied
    if request.method == "GET":  # the form's address reopened after an error: back to the level's page
        return redirect("campaigns:level", code=code, org_pk=org.pk)
    existing = CampaignLevel.objects.filter(campaign=campaign, org=org).first()
    form = forms.CascadeForm(request.POST, instance=existing or CampaignLevel())
    if form.is_valid() and _through_form(
        form, lambda: domain.cascade(actor=request.user, campaign=campaign, org=org, **form.cleaned_data)
    ):
        messages.success(request, _("Đã lưu hạn và chỉ tiêu giao cho các cấp trực thuộc."))
        return redirect("campaigns:level", code=code, org_pk=org.pk)
    state = domain.Cascade(campaign)
    return render(
        request,
        "campaigns/cascade_form.html",
        {"campaign": campaign, "org": org, "form": form, "applicable": state.applicable(org)},
    )


# --- letters ---------------------------------------------------------------------------------------------


def _document_for(user, pk, *, act=False) -> Document:
    doc = get_object_or_404(Document.objects.select_related("issuer", "campaign"), pk=pk)
    if not papers.may_read(user, doc):  # e.g. a biên bản before publication, for one who is appraised (P11)
        raise Http404
    if user.has_perm("campaigns.act_for", doc.issuer):
        return doc
    if act:
        raise PermissionDenied if user.has_perm("campaigns.read_level", doc.issuer) else Http404
    if user.has_perm("campaigns.read_level", doc.issuer) and doc.status == Document.Status.ISSUED:
        return doc
    if doc.status == Document.Status.ISSUED:
        recipients = Organization.objects.filter(inbox__document=doc)
        if any(user.has_perm("campaigns.read_level", r) for r in recipients):
            return doc
    raise Http404


@login_required
@require_POST
def letter_new(request, code, org_pk):
    campaign, org = _level(request.user, code, org_pk, "campaigns.act_for")
    earlier = [
        d.reference if d.number else _("một dự thảo")
        for d in Document.objects.filter(campaign=campaign, issuer=org, kind=Document.Kind.CV, source="", purpose="")
    ]
    doc = domain.draft_cascade_letter(actor=request.user, campaign=campaign, org=org)
    messages.info(request, _("Đã tạo dự thảo công văn từ mẫu; hãy kiểm tra rồi ban hành."))
    if earlier:  # a second letter is allowed (a correction, a reminder), but should be meant
        messages.warning(
            request,
            _("Cấp này đã có công văn triển khai của đợt (%(l)s); dự thảo vừa tạo là công văn thứ hai.")
            % {"l": ", ".join(earlier)},
        )
    return redirect("campaigns:document", pk=doc.pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request, pk):
    doc = _document_for(request.user, pk)
    can_act = request.user.has_perm("campaigns.act_for", doc.issuer)
    form = None
    if doc.status == Document.Status.DRAFT and can_act:
        # its subordinates, and whoever it already goes to (a written registration goes up, to the parent)
        below = Q(path__startswith=doc.issuer.path, depth=doc.issuer.depth + 1)
        recipients_qs = (
            Organization.objects.active().filter(below | Q(pk__in=doc.recipients.values("pk"))).order_by("name")
        )
        form = forms.DocumentForm(
            request.POST or None,
            instance=doc,
            recipients_queryset=recipients_qs,
            token_signing=papers.issue_step(doc) is None,
        )
        if request.method == "POST" and form.is_valid():
            before = {
                f: str(getattr(doc, f)) for f in ("subject", "salutation", "body", "signer_name", "token_signing")
            }
            form.save()
            audit.record(
                "document.edit",
                actor=request.user,
                obj=doc,
                changes=audit.diff(before, {f: str(getattr(doc, f)) for f in before}),
            )
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("campaigns:document", pk=doc.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "campaigns/document.html",
        {
            "doc": doc,
            "form": form,
            "can_act": can_act,
            "preview": doc_render.context(doc),
            "issue_step": papers.issue_step(doc),
            "attachments": doc.attachments.all(),
            "attachment_form": forms.AttachmentForm() if form else None,
            "awaiting": doc.status == Document.Status.AWAITING_SIGNATURE,
            "pending_recipients": doc.recipients.order_by("name")
            if can_act and doc.status == Document.Status.AWAITING_SIGNATURE
            else [],
            "deliveries": doc.deliveries.select_related("recipient", "acknowledged_by").order_by("recipient__name")
            if can_act
            else [],
        },
    )


@login_required
@require_POST
def document_issue(request, pk):
    doc = _document_for(request.user, pk, act=True)
    step = papers.issue_step(doc)
    if step:  # issued with the other app's work (its registrations, the upward report), by that app's step
        messages.error(request, _("Văn bản này được ban hành bằng nút “%(b)s”.") % {"b": step.label})
        return redirect("campaigns:document", pk=pk)
    if not confirm.confirmed(request):  # what goes out, before it is numbered and sent (issue 16)
        recipients = [o.name for o in doc.recipients.all()]
        # “Kính gửi” is one place a line (an editor's list “- A,”): read as a list, not the names run together
        addressed = [line.strip().lstrip("-").strip().rstrip(",.;").strip() for line in doc.salutation.splitlines()]
        rows = [
            (_("Loại văn bản"), doc.get_kind_display()),
            (_("Trích yếu"), doc.subject),
            (_("Kính gửi"), "; ".join(a for a in addressed if a) or "—"),
            (
                (
                    _("Gửi vào hộp văn bản đến của"),
                    _("%(n)d nơi: %(l)s") % {"n": len(recipients), "l": "; ".join(recipients)},
                )
                if recipients
                else (_("Gửi đến"), _("Không gửi nơi nào: văn bản lưu tại cơ quan ban hành."))
            ),
            (_("Thẩm quyền ký, người ký"), f"{doc.get_signature_display()} — {doc.signer_title} {doc.signer_name}"),
        ]
        if doc.token_signing:
            rows.append((_("Ký số"), _("%(n)s ký bằng USB token của mình") % {"n": doc.signer_name}))
            lead = _(
                "Văn bản sẽ được cấp số và khóa nội dung, rồi chờ người ký ký số bằng USB token: chỉ gửi đến các nơi "
                "nhận khi bản đã ký được tải lên và được chấp nhận. Bản PDF dự thảo xem ở trang văn bản."
            )
        else:
            cert = signature_domain.signing_certificate(doc.issuer)
            rows.append(
                (
                    _("Ký số"),
                    _("Bằng chứng thư số của cơ quan: %(c)s") % {"c": cert.common_name}
                    if cert
                    else _(
                        "Không ký số: cơ quan chưa cài chứng thư số (muốn ký bằng USB token: đánh dấu ô đó và lưu "
                        "dự thảo trước)"
                    ),
                )
            )
            lead = (
                _("Văn bản sẽ được cấp số, khóa nội dung và gửi đến các nơi nhận. Bản PDF dự thảo xem ở trang văn bản.")
                if recipients
                else _(
                    "Văn bản sẽ được cấp số, khóa nội dung và lưu tại cơ quan (không gửi nơi nào). Bản PDF dự thảo "
                    "xem ở trang văn bản."
                )
            )
        # rules D19: a letter waiting for its token signature may still go back to a draft; an issued one never
        warning = (
            _(
                "Văn bản chờ ký số còn có thể trở lại dự thảo (bỏ số đã cấp) để sửa, khi chưa có bản ký số được chấp "
                "nhận; khi bản ký số được chấp nhận, văn bản được ban hành, gửi đi và không sửa được nữa — muốn thay "
                "đổi phải ban hành văn bản mới."
            )
            if doc.token_signing
            else _("Sau khi ban hành (đã gửi), văn bản không sửa được; muốn thay đổi phải ban hành văn bản mới.")
        )
        return confirm.preview(
            request,
            title=_("Ban hành văn bản"),
            rows=rows,
            text=doc.body,
            lead=lead,
            action=_("Cấp số, chờ ký số") if doc.token_signing else _("Ban hành"),
            back=reverse("campaigns:document", kwargs={"pk": doc.pk}),
            warning=warning,
            problems=domain.issue_problems(doc),
        )
    try:
        doc = domain.issue_document(actor=request.user, document=doc)
    except ValidationError as exc:
        actions.refused(request, exc)
    else:
        _issued_message(request, doc)
    return redirect("campaigns:document", pk=pk)


def _issued_message(request, doc: Document) -> None:
    if doc.status == Document.Status.AWAITING_SIGNATURE:
        messages.info(
            request,
            _(
                "Đã cấp số %(r)s. Văn bản chờ ký số: tải bản PDF, ký bằng USB token rồi tải lên bản đã ký; chỉ khi "
                "đó văn bản mới được gửi đi."
            )
            % {"r": doc.reference},
        )
    elif doc.token_signing:
        record = signature_domain.verifications_for([doc.pdf_file.name]).get(doc.pdf_file.name)
        sent = doc.deliveries.count()
        signer = record.signer if record else doc.signer_name
        messages.success(
            request,
            _("Đã nhận bản ký số của %(s)s: văn bản số %(r)s đã ban hành và gửi đến %(n)d nơi.")
            % {"s": signer, "r": doc.reference, "n": sent}
            if sent
            else _("Đã nhận bản ký số của %(s)s: đã ban hành %(r)s; văn bản lưu tại cơ quan, không gửi nơi nào.")
            % {"s": signer, "r": doc.reference},
        )
    else:
        sent = doc.deliveries.count()
        messages.success(
            request,
            _("Đã ban hành văn bản số %(r)s và gửi đến %(n)d nơi.") % {"r": doc.reference, "n": sent}
            if sent
            else _("Đã ban hành %(r)s; văn bản lưu tại cơ quan, không gửi nơi nào.") % {"r": doc.reference},
        )


def _download(data_or_file, filename, content_type):
    if hasattr(data_or_file, "open"):
        response = FileResponse(data_or_file.open("rb"), content_type=content_type)
    else:
        response = HttpResponse(data_or_file, content_type=content_type)
    response["Content-Disposition"] = doc_render.attachment_header(filename)  # “ĐUK”: RFC 5987 filename*
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filename(doc, ext):
    return doc_render.file_stem(doc) + ext


@login_required
@require_safe
def document_docx(request, pk):
    doc = _document_for(request.user, pk)
    data = doc.docx_file or doc_render.docx_bytes(doc)
    return _download(
        data, _filename(doc, ".docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


@login_required
@require_safe
def document_pdf(request, pk):
    doc = _document_for(request.user, pk)
    data = doc.pdf_file or doc_render.pdf_bytes(doc)
    return _download(data, _filename(doc, ".pdf"), "application/pdf")


@login_required
@require_POST
def attachment_upload(request, pk):
    doc = _document_for(request.user, pk, act=True)
    if doc.status != Document.Status.DRAFT:
        raise PermissionDenied
    upload = request.FILES.get("file")
    try:
        data, content_type, stored_name = read_checked(upload, ATTACHMENT_TYPES, ATTACHMENT_MAX)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        att = Attachment(document=doc, original_name=upload.name[:255], content_type=content_type, size=len(data))
        att.file.save(stored_name, ContentFile(data), save=True)
        signature_domain.verify_upload(name=att.file.name, data=data, actor=request.user)
        audit.record(
            "document.attach", actor=request.user, obj=doc, changes={"file": att.original_name, "size": att.size}
        )
        messages.success(request, _("Đã đính kèm “%(f)s”.") % {"f": att.original_name})
    return redirect("campaigns:document", pk=pk)


@login_required
@require_POST
def document_signed_upload(request, pk):
    """Chờ ký số: the PDF signed with the signer's USB token is uploaded; accepted, the letter goes out (issue 20;
    the checks are `signatures.domain.accept_personal_signature`). Refused, it still waits and the page says why."""
    doc = _document_for(request.user, pk, act=True)
    if doc.status != Document.Status.AWAITING_SIGNATURE:
        raise PermissionDenied
    try:
        data, _type, _name = read_checked(request.FILES.get("file"), {".pdf"}, signature_views.MAX_PDF)
        doc = domain.accept_token_signature(actor=request.user, document=doc, signed=data)
    except ValidationError as exc:
        messages.error(request, _("Chưa nhận bản đã ký — văn bản vẫn chờ ký số. Lý do: %(e)s") % {"e": exc.messages[0]})
    else:
        _issued_message(request, doc)
    return redirect("campaigns:document", pk=pk)


@login_required
@require_POST
def document_back_to_draft(request, pk):
    """“Trở lại dự thảo”: a letter waiting for its token signature is edited again; its number is released."""
    doc = _document_for(request.user, pk, act=True)
    return actions.run(
        request,
        lambda: domain.back_to_draft(actor=request.user, document=doc),
        success=_("Văn bản trở lại dự thảo; số %(r)s được bỏ, khi ban hành lại văn bản nhận số mới.")
        % {"r": doc.reference},
        to=("campaigns:document", doc.pk),
    )


@login_required
@require_safe
def attachment_download(request, pk):
    att = get_object_or_404(Attachment.objects.select_related("document"), pk=pk)
    _document_for(request.user, att.document_id)
    return _download(att.file, att.original_name, att.content_type)


# --- inbox -----------------------------------------------------------------------------------------------


@login_required
@require_safe
def inbox(request):
    orgs = [s.org_id for s in scopes(request.user) if s.role in READ_ROLES]
    qs = (
        IncomingDocument.objects.filter(recipient_id__in=orgs)
        .select_related("document", "document__issuer", "recipient", "acknowledged_by")
        .order_by("acknowledged_at", "-received_on", "-number")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    acting = {s.org_id for s in scopes(request.user) if s.role in ACTING_ROLES}
    return render(request, "campaigns/inbox.html", {"page": page, "acting": acting})


@login_required
@require_POST
def inbox_acknowledge(request, pk):
    incoming = get_object_or_404(IncomingDocument.objects.select_related("recipient", "document"), pk=pk)
    if not request.user.has_perm("campaigns.read_level", incoming.recipient):
        raise Http404
    if not request.user.has_perm("campaigns.act_for", incoming.recipient):
        raise PermissionDenied
    domain.acknowledge(actor=request.user, incoming=incoming)
    messages.success(request, _("Đã xác nhận nhận văn bản %(r)s.") % {"r": incoming.document.reference})
    return redirect("campaigns:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def letter_template_edit(request):
    """The province board edits the body template every level's cascade letter starts from."""
    roots = [s for s in scopes(request.user) if s.role == "admin" and len(s.path) == Organization.steplen]
    if not (roots or request.user.is_superuser):
        raise PermissionDenied
    tpl = domain.letter_template()
    form = forms.LetterTemplateForm(request.POST or None, instance=tpl)
    if request.method == "POST" and form.is_valid():
        before = {"subject": tpl.subject, "body": tpl.body}
        form.save()
        audit.record(
            "letter_template.update",
            actor=request.user,
            obj=tpl,
            changes=audit.diff(before, {"subject": tpl.subject, "body": tpl.body}),
        )
        messages.success(
            request, _("Đã lưu mẫu công văn. Các dự thảo mới sẽ dùng mẫu này; văn bản đã ban hành không đổi.")
        )
        return redirect("campaigns:letter_template")
    return render(
        request, "campaigns/letter_template.html", {"form": form, "allowed": forms.LetterTemplateForm.allowed_text()}
    )
