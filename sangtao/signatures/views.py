"""Pages for signatures: an organization's signing certificate, the province's trust roots, and a page
where anyone checks the signatures of a PDF."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sangtao.common.uploads import read_checked
from sangtao.documents import signing

from . import domain, rules
from .forms import CertificateUploadForm, CheckForm, TrustRootForm
from .models import SigningCertificate, TrustRoot, Verification

MAX_P12 = 1 * 2**20
MAX_PDF = 50 * 2**20


@login_required
@require_http_methods(["GET", "POST"])
def certificates(request):
    orgs = rules.certificate_orgs(request.user)
    if not orgs:
        raise PermissionDenied
    form = CertificateUploadForm(organizations=orgs)
    if request.method == "POST" and "disable" in request.POST:
        cert = get_object_or_404(SigningCertificate, pk=request.POST.get("disable"), organization__in=orgs)
        domain.revoke_certificate(actor=request.user, certificate=cert)
        messages.success(request, _("Đã ngừng dùng chứng thư số “%(c)s”.") % {"c": cert.common_name})
        return redirect("signatures:certificates")
    if request.method == "POST":
        form = CertificateUploadForm(request.POST, request.FILES, organizations=orgs)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            org = next(o for o in orgs if o.pk == form.cleaned_data["organization"])
            try:
                cert = domain.upload_certificate(
                    actor=request.user,
                    organization=org,
                    data=upload.read(MAX_P12 + 1),
                    passphrase=form.cleaned_data["passphrase"],
                )
            except signing.SigningError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(
                    request,
                    _("Đã lưu chứng thư số “%(c)s” cho %(o)s; văn bản ban hành từ nay được ký số bằng chứng thư này.")
                    % {"c": cert.common_name, "o": org.name},
                )
                return redirect("signatures:certificates")
    listed = SigningCertificate.objects.filter(organization__in=orgs).select_related("organization", "uploaded_by")
    return render(
        request,
        "signatures/certificates.html",
        {"form": form, "certificates": listed, "manages_roots": rules.manages_trust_roots(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def trust_roots(request):
    if not rules.manages_trust_roots(request.user):
        raise PermissionDenied
    form = TrustRootForm()
    if request.method == "POST" and "remove" in request.POST:
        root = get_object_or_404(TrustRoot, pk=request.POST.get("remove"))
        domain.remove_trust_root(actor=request.user, root=root)
        messages.success(request, _("Đã gỡ chứng thư gốc “%(s)s”.") % {"s": root.subject})
        return redirect("signatures:trust_roots")
    if request.method == "POST":
        form = TrustRootForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                added = domain.add_trust_root(actor=request.user, data=form.cleaned_data["file"].read(MAX_P12))
            except signing.SigningError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("Đã thêm %(n)d chứng thư gốc.") % {"n": len(added)})
                return redirect("signatures:trust_roots")
    folder = [signing.certificate_info(c) for c in domain.folder_roots()]
    return render(
        request,
        "signatures/trust_roots.html",
        {
            "form": form,
            "roots": TrustRoot.objects.all(),
            "folder": folder,
            "folder_path": domain.setting("SANGTAO_TRUST_ROOTS_DIR"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    """Kiểm tra chữ ký số: upload any PDF, see its badge; the user's own checks are listed."""
    form = CheckForm()
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data, _type, _name = read_checked(upload, {".pdf"}, MAX_PDF)
            except ValidationError as exc:
                form.add_error("file", exc.messages[0])
            else:
                name = default_storage.save(f"signatures/kiem-tra/{uuid.uuid4().hex}.pdf", ContentFile(data))
                record = domain.record_verification(
                    name=name, data=data, actor=request.user, original_name=upload.name, uploaded_by=request.user
                )
                messages.info(
                    request, _("Đã kiểm tra “%(f)s”: %(s)s.") % {"f": upload.name, "s": record.get_status_display()}
                )
                return redirect("signatures:check")
    mine = Verification.objects.filter(uploaded_by=request.user)[:30]
    return render(request, "signatures/check.html", {"form": form, "checks": mine})
