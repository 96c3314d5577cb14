"""Digital signatures on PDFs (ký số), with pyHanko: sign an issued letter with an organization's
certificate (PAdES, a visible stamp “Email: … · Cơ quan: … · Ngày ký: 23.02.2023 16:10:00 +07:00”, an
RFC 3161 timestamp when a TSA is given), check that a personally signed copy covers exactly the bytes we
issued, and verify any PDF against the trust roots the operator installed.

A service: plain bytes in, plain results out; it knows no domain app and reads no setting. Nothing is
fetched from the network while verifying (revocation is checked soft-fail from what the file embeds, and
the result says so). Trust comes from the certificate, never from the stamp's picture: a stamp whose
text names another organization or e-mail than the certificate is flagged.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import logging
import re
import unicodedata
import zoneinfo
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.utils.translation import gettext as _

VN_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
STAMP_BOX = (302, 8, 552, 52)  # in the bottom margin (20 mm) of the last page, right-aligned with the text (points)
FIELD_PREFIX = "ChuKySo"

# Statuses, worst first (the result of a file is the worst of its signatures).
INVALID = "invalid"  # the signed bytes were changed, or the signature is broken
MODIFIED = "modified"  # intact, but the file was changed by an incremental update after signing
EXPIRED = "expired"  # the signer's certificate was not valid at the time that counts
UNTRUSTED = "valid_untrusted"  # intact, but no chain to an installed trust root
TRUSTED = "valid_trusted"
UNSIGNED = "unsigned"
UNREADABLE = "unreadable"  # not a PDF a reader can parse (or too large to check): no verdict on any signature
SEVERITY = {INVALID: 0, MODIFIED: 1, EXPIRED: 2, UNTRUSTED: 3, TRUSTED: 4}


def _outside_event_loop(fn):
    """pyHanko's synchronous calls use asyncio.run(), which refuses to run inside a running event loop (an ASGI
    worker, Playwright's sync API in tests); there, the call runs in a short-lived thread of its own."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is None:  # called outside the except block, so pyHanko's own errors carry no stray context
            return fn(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(fn, *args, **kwargs).result()

    return wrapper


class SigningError(Exception):
    """A certificate that cannot sign, or a signature we refuse; the message is for the user."""


@dataclass(frozen=True)
class CertificateInfo:
    common_name: str
    organization: str
    email: str
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    fingerprint: str  # SHA-256 of the DER, hex


@dataclass(frozen=True)
class SigningIdentity:
    """An organization's key and certificate, loaded from its PKCS#12 file."""

    pkcs12: bytes
    passphrase: str
    certificate: CertificateInfo

    def signer(self):
        from pyhanko.sign import signers

        signer = signers.SimpleSigner.load_pkcs12_data(
            self.pkcs12, other_certs=None, passphrase=self.passphrase.encode() or None
        )
        if signer is None:  # pragma: no cover - load_identity checked it already
            raise SigningError(_("Không đọc được tệp chứng thư số."))
        return signer


@dataclass
class SignatureCheck:
    """One embedded signature, verified."""

    status: str
    signer: str = ""
    organization: str = ""
    email: str = ""
    signing_time: dt.datetime | None = None
    timestamped: bool = False
    covers_whole_file: bool = False
    stamp_text: str = ""
    stamp_mismatch: str = ""  # why the visible stamp disagrees with the certificate, or ""
    problems: list[str] = field(default_factory=list)
    technical: str = ""  # pyHanko's own summary and AdES sub-indication, for whoever supports the users
    certificate: CertificateInfo | None = None


@dataclass
class Verification:
    """What a PDF carries: its worst signature's status, and each signature's details."""

    status: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    revocation_note: str = ""
    error: str = ""

    @property
    def main(self) -> SignatureCheck | None:
        """The signature whose status the file gets (the worst; the latest among equals)."""
        if not self.signatures:
            return None
        return min(reversed(self.signatures), key=lambda s: SEVERITY[s.status])

    @property
    def stamp_mismatch(self) -> bool:
        return any(s.stamp_mismatch for s in self.signatures)

    def as_dict(self) -> dict:
        """JSON-ready (dates as ISO 8601), for storing the result."""

        def conv(value):
            if isinstance(value, dt.datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, list):
                return [conv(v) for v in value]
            return value

        return conv(
            {
                "status": self.status,
                "signatures": [asdict(s) for s in self.signatures],
                "revocation_note": self.revocation_note,
                "error": self.error,
            }
        )


# --- certificates -------------------------------------------------------------------------------------


def certificate_info(cert: asn1_x509.Certificate) -> CertificateInfo:
    subject = cert.subject.native
    emails = [n.native for n in (cert.subject_alt_name_value or []) if n.name == "rfc822_name"]
    email = subject.get("email_address") or (emails[0] if emails else "")
    issuer = cert.issuer.native
    return CertificateInfo(
        common_name=_first(subject.get("common_name")),
        organization=_first(subject.get("organization_name")),
        email=_first(email),
        issuer=_first(issuer.get("organization_name") or issuer.get("common_name")),
        serial=format(cert.serial_number, "X"),
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        fingerprint=cert.sha256.hex(),
    )


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value or "")


def load_identity(data: bytes, passphrase: str, *, now: dt.datetime | None = None) -> SigningIdentity:
    """Open a PKCS#12 file (.p12/.pfx) and check it can sign now; raises SigningError."""
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, passphrase.encode() or None)
    except ValueError:
        raise SigningError(_("Không mở được tệp chứng thư số: sai mật khẩu hoặc không phải tệp PKCS#12.")) from None
    if key is None or cert is None:
        raise SigningError(_("Tệp chứng thư số không có khóa bí mật hoặc chứng thư."))

    info = certificate_info(asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)))
    now = now or dt.datetime.now(dt.UTC)
    if not info.not_before <= now <= info.not_after:
        raise SigningError(
            _("Chứng thư số không còn hiệu lực (hiệu lực %(a)s – %(b)s).")
            % {
                "a": f"{info.not_before.astimezone(VN_TZ):%d/%m/%Y}",
                "b": f"{info.not_after.astimezone(VN_TZ):%d/%m/%Y}",
            }
        )
    return SigningIdentity(pkcs12=data, passphrase=passphrase, certificate=info)


def load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Certificates in a PEM (one or several) or DER file; raises SigningError."""
    try:
        ders = [der for _t, _h, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        certs = [asn1_x509.Certificate.load(der) for der in ders]
        for cert in certs:
            cert.native  # noqa: B018 - parse everything now, so a broken file fails here and not when verifying
    except (ValueError, TypeError, OSError):
        certs = []
    if not certs:
        raise SigningError(_("Không đọc được chứng thư (cần tệp .cer/.crt/.pem)."))
    return certs


# --- signing ------------------------------------------------------------------------------------------


def stamp_text(*, email: str, organization: str, when: dt.datetime, sep: str = " · ") -> str:
    """“Email: btctu@lamdong.gov.vn · Cơ quan: Tỉnh ủy Lâm Đồng · Ngày ký: 23.02.2023 16:10:00 +07:00”."""
    local = when.astimezone(VN_TZ)
    offset = local.strftime("%z")
    return sep.join(
        [f"Email: {email}", f"Cơ quan: {organization}", f"Ngày ký: {local:%d.%m.%Y %H:%M:%S} {offset[:3]}:{offset[3:]}"]
    )


@_outside_event_loop
def sign_pdf(
    data: bytes,
    identity: SigningIdentity,
    *,
    when: dt.datetime | None = None,
    timestamper=None,
    tsa_url: str = "",
    font_path: str = DEFAULT_FONT,
    organization: str = "",
    email: str = "",
) -> bytes:
    """A PAdES signature over the whole file, with the visible stamp on the last page. The stamp shows the
    certificate's organization and e-mail (the arguments override them only to test the mismatch check)."""

    from pyhanko.pdf_utils import text as pdf_text
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.stamp import TextStampStyle

    # fontTools warns on every subset that it drops Liberation's FFTM table (a FontForge timestamp): harmless
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    when = (when or dt.datetime.now(dt.UTC)).astimezone(VN_TZ)
    cert = identity.certificate
    text = stamp_text(
        email=email or cert.email,
        organization=organization or cert.organization or cert.common_name,
        when=when,
        sep="\n",
    )
    if timestamper is None and tsa_url:
        timestamper = HTTPTimeStamper(tsa_url)
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    name = f"{FIELD_PREFIX}{len(writer.prev.embedded_signatures) + 1}"
    style = TextStampStyle(
        stamp_text="%(text)s",
        border_width=1,
        text_box_style=pdf_text.TextBoxStyle(font=_font_factory(str(Path(font_path)), 8), font_size=8),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=cert.common_name or None,
        location=None,
        reason=None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=identity.signer(),
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(name, on_page=-1, box=STAMP_BOX),
    )
    out = BytesIO()
    pdf_signer.sign_pdf(writer, output=out, appearance_text_params={"text": text})
    return out.getvalue()


def _font_factory(path: str, size: int):
    """pyHanko's embedded-font engine, with the font's /W widths scaled to 1/1000 em as PDF wants: pyHanko 0.38
    writes them in the font's own units, and Liberation has 2048 per em, so readers spread the stamp's letters
    twice too wide."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class ScaledWidths(GlyphAccumulator):
        def prepare_write(self):
            if self.units_per_em != 1000:
                self._glyphs = {
                    gid: (cid, round(width * 1000 / self.units_per_em)) for gid, (cid, width) in self._glyphs.items()
                }
                self.units_per_em = 1000
            super().prepare_write()

    class Factory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            engine = super().create_font_engine(writer, obj_stream)
            engine.__class__ = ScaledWidths
            return engine

    return Factory(path, font_size=size)


# --- verifying ----------------------------------------------------------------------------------------


@_outside_event_loop
def verify_pdf(
    data: bytes, *, trust_roots: list[asn1_x509.Certificate] | tuple = (), now: dt.datetime | None = None
) -> Verification:
    """Every signature of a PDF checked against the given roots, offline. Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001 - any parse failure of an outside file is "unreadable", not a 500
        return Verification(status=UNREADABLE, error=_("Không đọc được tệp PDF."))
    if not embedded:
        return Verification(status=UNSIGNED)
    checks = []
    for sig in embedded:
        context = ValidationContext(
            trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail", moment=now
        )
        checks.append(_check_one(sig, context, now))
    result = Verification(
        status=INVALID,
        signatures=checks,
        revocation_note=_(
            "Chưa kiểm tra thu hồi chứng thư: không truy cập mạng, chỉ dùng dữ liệu thu hồi có sẵn trong tệp "
            "(bỏ qua khi không có)."
        ),
    )
    result.status = result.main.status
    return result


def _check_one(sig, context, now) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        info = certificate_info(sig.signer_cert)
        claimed_time = sig.self_reported_timestamp
    except Exception:  # noqa: BLE001 - a signature without a readable certificate is broken
        return SignatureCheck(status=INVALID, problems=[_("Không đọc được chứng thư của người ký.")])
    check = SignatureCheck(
        status=INVALID,
        signer=info.common_name,
        organization=info.organization,
        email=info.email,
        certificate=info,
        signing_time=claimed_time,
    )
    check.stamp_text = appearance_text(sig.sig_field)
    check.stamp_mismatch = stamp_mismatch(check.stamp_text, info)
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context)
    except Exception:  # noqa: BLE001 - a malformed signature is an invalid one
        check.problems.append(_("Chữ ký bị hỏng, không kiểm tra được."))
        return check
    if status.timestamp_validity is not None and status.timestamp_validity.intact and status.timestamp_validity.valid:
        check.timestamped = True
        check.signing_time = status.timestamp_validity.timestamp
    elif status.signer_reported_dt is not None:
        check.signing_time = status.signer_reported_dt
    check.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    indication = status.trust_problem_indic
    check.technical = status.summary() + (f"; {indication.name}" if indication is not None else "")
    check.status = _status_of(status, info, check, now)
    return check


def _status_of(status, info: CertificateInfo, check: SignatureCheck, now) -> str:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not (status.intact and status.valid) or status.coverage in (None, SignatureCoverageLevel.UNCLEAR):
        check.problems.append(_("Nội dung đã bị thay đổi sau khi ký (chữ ký không còn khớp)."))
        return INVALID
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        level = status.modification_level
        # a later signature or timestamp (form filling at most) is how several people sign one file
        if level is None or level > ModificationLevel.FORM_FILLING or status.docmdp_ok is False:
            check.problems.append(_("Tệp đã được sửa thêm sau khi ký (có bản cập nhật thêm vào sau chữ ký)."))
            return MODIFIED
    reference = check.signing_time if check.timestamped else (now or dt.datetime.now(dt.UTC))
    if not info.not_before <= reference <= info.not_after:
        check.problems.append(_("Chứng thư số của người ký đã hết hạn (hoặc chưa có hiệu lực) vào thời điểm kiểm tra."))
        return EXPIRED
    if status.revoked:
        check.problems.append(_("Chứng thư số đã bị thu hồi."))
        return INVALID
    if not status.trusted:
        check.problems.append(_("Chứng thư số không thuộc tổ chức chứng thực nào được tin cậy trên hệ thống."))
        return UNTRUSTED
    return TRUSTED


def covers_original(original: bytes, signed: bytes) -> bool:
    """True when `signed` is `original` with a signature appended that covers the whole of it: the original
    is a byte-for-byte prefix, and the last signature's revision is the whole signed file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if len(signed) <= len(original) or not signed.startswith(original):
        return False
    try:
        reader = PdfFileReader(BytesIO(signed), strict=False)
        sigs = list(reader.embedded_regular_signatures)
        if not sigs:
            return False
        last = sigs[-1]
        last.compute_integrity_info(skip_diff=True)
        byte_range = [int(x) for x in last.byte_range]
    except Exception:  # noqa: BLE001 - unreadable is "does not cover"
        return False
    return last.coverage == SignatureCoverageLevel.ENTIRE_FILE and byte_range[0] == 0 and byte_range[1] > len(original)


# --- the visible stamp --------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def stamp_mismatch(text: str, info: CertificateInfo) -> str:
    """Why the stamp's “Cơ quan: …” / “Email: …” disagree with the certificate, or "" when they agree
    (or the stamp says neither)."""
    problems = []
    org = re.search(r"Cơ quan:\s*(.+?)(?:\s+·|\n|$)", unicodedata.normalize("NFC", text))
    if org and _norm(org.group(1)) not in (_norm(info.organization), _norm(info.common_name)):
        problems.append(
            _("dấu ghi cơ quan “%(s)s” nhưng chứng thư của “%(c)s”")
            % {"s": org.group(1).strip(), "c": info.organization or info.common_name}
        )
    mail = re.search(r"Email:\s*(\S+)", text)
    if mail and _norm(mail.group(1).rstrip("·")) != _norm(info.email):
        problems.append(
            _("dấu ghi e-mail “%(s)s” nhưng chứng thư ghi “%(c)s”") % {"s": mail.group(1), "c": info.email or "—"}
        )
    return "; ".join(problems)


def appearance_text(sig_field) -> str:
    """The text drawn in a signature widget's appearance (decoded with its fonts' ToUnicode maps)."""
    try:
        normal = sig_field["/AP"]["/N"]
        return _stream_text(normal.get_object(), depth=0).strip()
    except Exception:  # noqa: BLE001 - no appearance, or one we cannot read: nothing to compare
        return ""


_TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|/[^\s/\[\]()<>]+|\[|\]|[-+.\d]+|[A-Za-z'\"*]+")


def _stream_text(xobj, depth: int) -> str:
    if depth > 5:
        return ""
    resources = xobj.get("/Resources") or {}
    resources = resources.get_object() if hasattr(resources, "get_object") else resources
    fonts = {str(k): _to_unicode(v.get_object()) for k, v in (resources.get("/Font") or {}).items()}
    xobjects = {str(k): v.get_object() for k, v in (resources.get("/XObject") or {}).items()}
    out: list[str] = []
    operands: list[bytes] = []
    cmap = None
    for token in _TOKEN.findall(xobj.data):
        if token[:1].isalpha() or token in (b"'", b'"'):
            op = token.decode("latin-1")
            if op == "Tf" and len(operands) >= 2:
                cmap = fonts.get(operands[-2].decode("latin-1"))
            elif op in ("Tj", "'", '"', "TJ"):
                if op != "Tj":
                    out.append("\n")
                out.append("".join(_decode(o, cmap) for o in operands if o[:1] in (b"<", b"(")))
            elif op in ("Td", "TD", "T*") and (
                op == "T*" or (len(operands) >= 1 and operands[-1] not in (b"0", b"0.0"))
            ):
                out.append("\n")
            elif op == "Do" and operands and operands[-1].decode("latin-1") in xobjects:
                out.append("\n" + _stream_text(xobjects[operands[-1].decode("latin-1")], depth + 1) + "\n")
            operands = []
        elif token not in (b"[", b"]"):
            operands.append(token)
    lines = ["".join(part).strip() for part in "".join(out).split("\n")]
    return "\n".join(line for line in lines if line)


def _decode(token: bytes, cmap) -> str:
    if token[:1] == b"<":
        raw = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
    else:
        raw = re.sub(rb"\\(.)", rb"\1", token[1:-1])
    if not cmap:
        return raw.decode("latin-1")
    width, table = cmap
    return "".join(table.get(int.from_bytes(raw[i : i + width], "big"), "") for i in range(0, len(raw), width))


def _to_unicode(font) -> tuple[int, dict[int, str]] | None:
    """(code width in bytes, code → text) from a font's ToUnicode CMap (bfchar and bfrange)."""
    try:
        data = font["/ToUnicode"].get_object().data
    except (KeyError, AttributeError):
        return None
    table: dict[int, str] = {}
    width = 1

    def text(hexstr: bytes) -> str:
        return bytes.fromhex(hexstr.decode()).decode("utf-16-be", errors="replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            width = max(width, len(src) // 2)
            table[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            width = max(width, len(lo) // 2)
            start, end = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for i, item in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", dst)):
                    table[start + i] = text(item)
            else:
                base = int(dst[1:-1], 16)
                nbytes = len(dst[1:-1]) // 2
                for i in range(end - start + 1):
                    table[start + i] = (base + i).to_bytes(nbytes, "big").decode("utf-16-be", errors="replace")
    return width, table
