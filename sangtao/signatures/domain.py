"""The actions on signatures: keep an organization's certificate (encrypted at rest), install a trust
root, sign what an organization issues, accept a copy a person signed with their own token, and check and
record every PDF that enters the app. Signing and verifying themselves are `sangtao.documents.signing`."""

from __future__ import annotations

import base64
import hashlib
import os
import unicodedata
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from sangtao.common import audit
from sangtao.documents import signing

from .models import SigningCertificate, TrustRoot, Verification

MAX_PDF_CHECKED = 50 * 2**20
MAX_PKCS12 = (
    2**20
)  # a PKCS#12 with a key and its chain is a few kilobytes  # larger files are recorded as not checked rather than parsed
CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def setting(name: str, default: str = "") -> str:
    """A signature setting: Django settings first, then the environment (docs/configuration.md)."""
    return str(getattr(settings, name, None) or os.environ.get(name) or default)


# --- encryption at rest -------------------------------------------------------------------------------


def _fernet() -> Fernet:
    """Fernet with a key derived (HKDF-SHA256) from SANGTAO_SIGNING_KEY, or from SECRET_KEY without it."""
    secret = setting("SANGTAO_SIGNING_KEY") or settings.SECRET_KEY
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"sangtao-signatures", info=b"signing-certificate-at-rest"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _decrypt(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken:
        raise signing.SigningError(
            _("Không giải mã được chứng thư số đã lưu (khóa SANGTAO_SIGNING_KEY đã đổi?). Hãy tải lại chứng thư.")
        ) from None


# --- certificates and trust roots ---------------------------------------------------------------------


@transaction.atomic
def upload_certificate(*, actor, organization, data: bytes, passphrase: str) -> SigningCertificate:
    """The organization's new signing certificate (PKCS#12); the previous one stops being used."""
    if len(data) > MAX_PKCS12:
        raise signing.SigningError(_("Tệp chứng thư số quá lớn."))
    identity = signing.load_identity(data, passphrase)
    info = identity.certificate
    f = _fernet()
    SigningCertificate.objects.select_for_update().filter(organization=organization, active=True).update(active=False)
    cert = SigningCertificate.objects.create(
        organization=organization,
        pkcs12_encrypted=f.encrypt(data),
        passphrase_encrypted=f.encrypt(passphrase.encode()),
        common_name=info.common_name[:300],
        organization_name=info.organization[:300],
        email=info.email[:254],
        issuer=info.issuer[:300],
        serial=info.serial[:80],
        fingerprint=info.fingerprint,
        not_before=info.not_before,
        not_after=info.not_after,
        uploaded_by=actor,
    )
    audit.record(
        "signature.certificate_upload",
        actor=actor,
        obj=cert,
        changes={
            "organization": str(organization),
            "holder": info.common_name,
            "valid_to": info.not_after,
            "serial": info.serial,
        },
    )
    return cert


@transaction.atomic
def revoke_certificate(*, actor, certificate: SigningCertificate) -> None:
    """Stop signing with this certificate (issued letters are then left unsigned until a new one comes)."""
    SigningCertificate.objects.filter(pk=certificate.pk).update(active=False)
    audit.record("signature.certificate_disable", actor=actor, obj=certificate)


def signing_certificate(organization) -> SigningCertificate | None:
    """The certificate documents issued by `organization` are signed with on the server, if it has one."""
    return SigningCertificate.objects.filter(organization=organization, active=True).first()


def identity_for(organization) -> signing.SigningIdentity | None:
    cert = signing_certificate(organization)
    if cert is None:
        return None
    return signing.load_identity(_decrypt(cert.pkcs12_encrypted), _decrypt(cert.passphrase_encrypted).decode())


@transaction.atomic
def add_trust_root(*, actor, data: bytes) -> list[TrustRoot]:
    added = []
    for cert in signing.load_certificates(data):
        info = signing.certificate_info(cert)
        root, created = TrustRoot.objects.get_or_create(
            fingerprint=info.fingerprint,
            defaults={
                "der": cert.dump(),
                "subject": (info.common_name or info.organization)[:300],
                "not_after": info.not_after,
                "uploaded_by": actor,
            },
        )
        if created:
            audit.record("signature.trust_root_add", actor=actor, obj=root, changes={"fingerprint": info.fingerprint})
            added.append(root)
    return added


@transaction.atomic
def remove_trust_root(*, actor, root: TrustRoot) -> None:
    audit.record("signature.trust_root_remove", actor=actor, obj=root, changes={"fingerprint": root.fingerprint})
    root.delete()


def folder_roots() -> list:
    """The certificates the operator put in SANGTAO_TRUST_ROOTS_DIR (.pem/.crt/.cer/.der); unreadable files skipped."""
    folder = setting("SANGTAO_TRUST_ROOTS_DIR")
    if not folder or not Path(folder).is_dir():
        return []
    certs = []
    for path in sorted(Path(folder).iterdir()):
        if path.suffix.lower() in CERT_SUFFIXES and path.is_file():
            try:
                certs.extend(signing.load_certificates(path.read_bytes()))
            except signing.SigningError:
                continue
    return certs


def trust_roots() -> list:
    return folder_roots() + [asn1_x509.Certificate.load(bytes(r.der)) for r in TrustRoot.objects.all()]


# --- checking what comes in ---------------------------------------------------------------------------


# --- the file in words (the audit trail) --------------------------------------------------------------


def _folder(field) -> str:
    """The fixed folder a FileField stores under: “registrations/” of “registrations/%Y/” (“” if none)."""
    upload_to = field.upload_to
    return upload_to.split("%", 1)[0] if isinstance(upload_to, str) and "/" in upload_to else ""


def file_owner(name: str) -> tuple[models.Model | None, models.FileField | None]:
    """The row holding the stored file `name`, and its field: looked for only in the FileFields storing under the
    name's folder (one query, two for a letter's .docx and PDF); (None, None) for a file no row holds."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField) or getattr(field, "model", None) is not model:
                continue
            folder = _folder(field)
            if folder and name.startswith(folder):
                row = model._default_manager.filter(**{field.name: name}).first()
                if row is not None:
                    return row, field
    return None, None


def _named(row: models.Model) -> str:
    """A row as a clerk names it: its kind, then its own name in quotes (“đăng ký mô hình “Hóa đơn điện tử””)."""
    kind = str(row._meta.verbose_name)
    kind = kind[:1].lower() + kind[1:]
    text = str(row)
    return kind if not text or text.startswith(f"{type(row).__name__} object") else f"{kind} “{text}”"


def file_words(name: str, *, owner=None, field=None, original_name: str = "") -> str:
    """The file the audit trail speaks of, in words (its storage name stays a technical detail): the name it was
    uploaded under and what it is attached to — “bien-ban.pdf” (kèm đăng ký mô hình “Hóa đơn điện tử”) —, or
    the PDF of a letter — Bản PDF của văn bản đi “12-CV/ĐUK — …”."""
    if owner is None and not original_name:
        owner, field = file_owner(name)
    ext = Path(name).suffix.lstrip(".").upper() or _("tệp")
    if owner is None and original_name:  # a file uploaded on the “Kiểm tra chữ ký số” page
        return _("“%(f)s” (tải lên để kiểm tra chữ ký số)") % {"f": original_name}
    if owner is None:
        return _("Một tệp %(ext)s đã lưu") % {"ext": ext}
    given = getattr(owner, "original_name", "") or (getattr(owner, f"{field.name}_name", "") if field else "")
    if not given:  # a file the app made for the row (a letter's PDF)
        return _("Bản %(ext)s của %(of)s") % {"ext": ext, "of": _named(owner)}
    parent = next(
        (
            getattr(owner, f.name)
            for f in owner._meta.concrete_fields
            if f.many_to_one and f.remote_field.on_delete is models.CASCADE
        ),
        owner,
    )  # an attachment's row is kept with what it is attached to (deleted with it)
    return _("“%(f)s” (kèm %(of)s)") % {"f": given, "of": _named(parent)}


@transaction.atomic
def record_verification(
    *, name: str, data: bytes, actor=None, original_name: str = "", uploaded_by=None, owner=None, field=None
) -> Verification:
    """Check a stored PDF's signatures and keep the result under its storage name (listings read it). The audit
    trail names the file in words (`file_words`; `owner` and `field`: the row holding it, when the caller has
    it) and keeps the storage name as a technical detail."""
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_PDF_CHECKED:
        result = signing.Verification(status=signing.UNREADABLE, error=_("Tệp quá lớn để kiểm tra chữ ký."))
    else:
        result = signing.verify_pdf(data, trust_roots=trust_roots())
    main = result.main
    record, _created = Verification.objects.update_or_create(
        path=name,
        sha256=digest,
        defaults={
            "status": result.status,
            "signer": (main.signer if main else "")[:300],
            "organization": (main.organization if main else "")[:300],
            "email": (main.email if main else "")[:254],
            "signed_at": main.signing_time if main else None,
            "stamp_mismatch": result.stamp_mismatch,
            "details": result.as_dict(),
            "uploaded_by": uploaded_by,
            "original_name": original_name[:255],
        },
    )
    changes = {"status": record.status}
    if record.signer:
        changes["signer"] = record.signer
    audit.record(
        "signature.verify",
        actor=actor,
        obj=record,
        object_repr=file_words(name, owner=owner, field=field, original_name=original_name),
        changes={**changes, "path": name},
    )
    return record


def verify_stored(field_file, *, actor=None) -> Verification | None:
    """Check a file just saved in a FileField (PDFs only; other files have no signature to check)."""
    if not field_file or not field_file.name.lower().endswith(".pdf"):
        return None
    return record_verification(
        name=field_file.name, data=_read(field_file), actor=actor, owner=field_file.instance, field=field_file.field
    )


# --- signing what we issue ----------------------------------------------------------------------------


def _timestamper():
    url = setting("SANGTAO_TSA_URL")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url)


def sign_stored_pdf(field_file, *, organization, actor=None) -> Verification | None:
    """Sign an issued PDF in place with the organization's certificate, when it has one, and record the
    check. Without a certificate the file stays as it is (and is recorded as unsigned). A certificate that
    cannot sign (expired, undecryptable) raises ValidationError, so the issuing is refused with the reason."""
    try:
        identity = identity_for(organization)
    except signing.SigningError as exc:
        raise ValidationError(_("Không ký số được: %(e)s") % {"e": exc}) from None
    if identity is not None:
        signed = signing.sign_pdf(
            _read(field_file),
            identity,
            timestamper=_timestamper(),
            font_path=setting("SANGTAO_SIGNATURE_FONT", signing.DEFAULT_FONT),
        )
        unsigned = field_file.name
        _replace(field_file, signed)
        field_file.storage.delete(unsigned)  # generated moments ago in this issuing; only the signed copy is kept
        audit.record(
            "signature.sign",
            actor=actor,
            obj=field_file.instance,
            changes={"path": field_file.name, "certificate": identity.certificate.serial},
        )
    return verify_stored(field_file, actor=actor)


def verify_upload(*, name: str, data: bytes, actor=None) -> Verification | None:
    """Check a file just accepted by an upload (only PDFs carry signatures we check)."""
    if not name.lower().endswith(".pdf"):
        return None
    return record_verification(name=name, data=data, actor=actor)


def _read(field_file) -> bytes:
    """The stored bytes (from the storage, not the FieldFile's cached file object, which may be closed)."""
    with field_file.storage.open(field_file.name, "rb") as stored:
        return stored.read()


def _replace(field_file, data: bytes) -> None:
    """Store new content for a FileField (a new name; the row is updated without touching other fields)."""
    instance, field_name = field_file.instance, field_file.field.name
    field_file.save(Path(field_file.name).name, ContentFile(data), save=False)
    type(instance).objects.filter(pk=instance.pk).update(**{field_name: field_file.name})


# --- a copy signed with a personal token --------------------------------------------------------------


def _fold(text: str) -> str:
    """A name compared as people read it: case, spacing, Unicode form and — since some CAs write names without
    them — diacritics (“Đ” as “D”) do not count."""
    text = unicodedata.normalize("NFKD", (text or "").replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).casefold().split())


def is_signer(check: signing.SignatureCheck, signer_name: str) -> bool:
    """The certificate is the named signer's: its holder (common name) is the document's “Họ tên người ký”."""
    return bool(_fold(signer_name)) and _fold(check.signer) == _fold(signer_name)


def _not_the_signed_copy(original: bytes, signed: bytes, result) -> str:
    """Why an upload is not the issued PDF with a signature over the whole of it, in the words a clerk can act on."""
    if signed == original or not result.signatures:
        return _("Tệp tải lên chưa có chữ ký số: hãy ký bản PDF cần ký bằng USB token rồi tải lên bản đã ký.")
    if result.signatures[-1].status == signing.MODIFIED:
        return _(
            "Tệp có phần thêm vào sau khi ký (ghi chú, chữ, trang…): hãy tải lên đúng tệp phần mềm ký số vừa tạo, "
            "không mở và lưu lại bằng phần mềm khác."
        )
    if result.signatures[-1].status == signing.INVALID:
        return _("Chữ ký không hợp lệ: nội dung tệp đã bị thay đổi sau khi ký.")
    return _(
        "Tệp đã ký không phải bản PDF cần ký của văn bản này (nội dung khác): hãy tải lại bản cần ký, ký và tải lên."
    )


def accept_personal_signature(*, actor, field_file, signed: bytes, signer_name: str) -> Verification:
    """Replace a numbered PDF not yet sent by the copy its signer signed with their own token — only when the
    signed revision covers exactly the bytes we rendered, and the last signature is valid, by a certificate
    chaining to an installed trust root, valid now, and held by `signer_name`. Raises SigningError with the
    reason otherwise (and then changes nothing)."""
    original = _read(field_file)
    result = signing.verify_pdf(signed, trust_roots=trust_roots())
    if not signing.covers_original(original, signed):
        raise signing.SigningError(_not_the_signed_copy(original, signed, result))
    last = result.signatures[-1]
    if last.status != signing.TRUSTED:
        problems = "; ".join(last.problems) or last.status
        raise signing.SigningError(_("Chữ ký chưa được chấp nhận: %(p)s") % {"p": problems})
    if not is_signer(last, signer_name):
        raise signing.SigningError(
            _("Chứng thư số là của “%(s)s” (%(e)s), không phải của người ký văn bản (%(n)s).")
            % {"s": last.signer, "e": last.email or "—", "n": signer_name}
        )
    _replace(field_file, signed)
    audit.record(
        "signature.personal_sign",
        actor=actor,
        obj=field_file.instance,
        changes={
            "path": field_file.name,
            "signer": last.signer,
            "serial": last.certificate.serial if last.certificate else "",
        },
    )
    return record_verification(
        name=field_file.name, data=signed, actor=actor, owner=field_file.instance, field=field_file.field
    )


# --- the badges of a page -----------------------------------------------------------------------------


def verifications_for(names) -> dict[str, Verification]:
    """The latest stored check of each of these storage names, in one query (a page's badges)."""
    names = {str(n) for n in names if n}
    found: dict[str, Verification] = {}
    if names:
        for record in Verification.objects.filter(path__in=names).order_by("path", "-checked_at", "-pk"):
            found.setdefault(record.path, record)
    return found
