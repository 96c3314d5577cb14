"""The demo's digital signatures (`manage.py load_demo`, so `make run`): a test CA generated at load — “CA THỬ
NGHIỆM — không dùng thật” — installed as a trust root; the signing certificates of the province's issuing body and
of the bloc committee (Đảng ủy Khối), stored through the same encrypted path an administrator's upload takes, so the
demo's letters come out signed with a green badge; and a personal certificate of the bloc's secretary (the signer of
its letters) written as a .p12 under var/demo-ky-so/, for the USB-token flow with `manage.py sign_pdf` standing in
for the token's software.

Every key is generated here, at load; none is committed. The CA's key stays in var/demo-ky-so/ (ignored by git) so
a second run can issue what is missing; a run that finds everything in place changes nothing.

The builders (`make_ca`, `issue`) also serve the signature tests' throwaway PKI (tests/signatures/pki.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from sangtao.orgs.models import Organization

from . import domain
from .domain import setting
from .models import SigningCertificate, TrustRoot

CA_NAME = "CA THỬ NGHIỆM — không dùng thật"
CA_ORG = "Sáng tạo — dữ liệu mẫu"
DEMO_PASSPHRASE = "ky-so-mau"  # noqa: S105 — the demo certificates' passphrase, printed by load_demo: no secret
PERSONAL = {  # the bloc's secretary: the default signer of its letters (campaigns.domain.default_signer)
    "cn": "Trương Văn Hải",
    "org": "Đảng ủy Khối Doanh nghiệp tỉnh Lâm Đồng",
    "email": "truongvanhai@lamdong.gov.vn",
    "file": "truong-van-hai.p12",
}
ORGANIZATIONS = {  # organization code → (certificate holder, organization on the certificate, e-mail)
    "LD": ("Ban Tổ chức Tỉnh ủy Lâm Đồng", "Tỉnh ủy Lâm Đồng", "btctu@lamdong.gov.vn"),
    "LD-DUK": (
        "Đảng ủy Khối Doanh nghiệp tỉnh Lâm Đồng",
        "Đảng ủy Khối Doanh nghiệp tỉnh Lâm Đồng",
        "dukdn@lamdong.gov.vn",
    ),
}


def demo_dir() -> Path:
    """Where the demo's personal certificate (and the test CA's key) are written: var/demo-ky-so/, or the folder
    SANGTAO_DEMO_SIGNING_DIR names."""

    return Path(setting("SANGTAO_DEMO_SIGNING_DIR") or Path(settings.BASE_DIR) / "var" / "demo-ky-so")


# --- building certificates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    def p12(self, passphrase: str) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"ky-so", self.key, self.cert, list(self.chain), serialization.BestAvailableEncryption(passphrase.encode())
        )


def _name(cn: str, org: str = "", email: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    """A CA signs certificates and CRLs; a signer's certificate signs documents (non-repudiation included)."""
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_ca(cn: str, org: str = CA_ORG, *, years: int = 10) -> Issued:
    """A self-signed root (EC P-256)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(cn, org)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(days=365 * years))
        .not_valid_after(_now() + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(ca: Issued, cn: str, *, org: str = "", email: str = "", days=(-30, 365), tsa: bool = False) -> Issued:
    """A certificate from `ca` valid from `days[0]` to `days[1]` days from now: a signer's (EC P-256, its e-mail
    also as subjectAltName), or a timestamping authority's (RSA, which pyHanko's test TSA needs)."""
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if tsa
        else ec.generate_private_key(ec.SECP256R1())
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, org, email))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() + dt.timedelta(days=days[0]))
        .not_valid_after(_now() + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    else:
        builder = builder.add_extension(_key_usage(ca=False), critical=True)
        if email:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return Issued(key, builder.sign(ca.key, hashes.SHA256()), (ca.cert,))


# --- the demo -----------------------------------------------------------------------------------------


def _demo_ca(folder: Path) -> Issued:
    """The test CA of an earlier run (var/demo-ky-so/), or a new one."""
    key_file, cert_file = folder / "ca-thu-nghiem.key.pem", folder / "ca-thu-nghiem.pem"
    if key_file.exists() and cert_file.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        return Issued(key, x509.load_pem_x509_certificate(cert_file.read_bytes()))
    ca = make_ca(CA_NAME)
    folder.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(
        ca.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(ca.pem)
    return ca


@transaction.atomic
def load_demo() -> list[str]:
    """Install what is missing of the demo's signatures (the province must be loaded); returns what was done."""

    folder = demo_dir()
    personal_file = folder / PERSONAL["file"]
    orgs = {o.code: o for o in Organization.objects.filter(code__in=ORGANIZATIONS)}
    missing = [code for code in ORGANIZATIONS if code in orgs and not _has_certificate(orgs[code])]
    ca_installed = TrustRoot.objects.filter(subject=CA_NAME).exists()
    if ca_installed and not missing and personal_file.exists():
        return []
    admin = get_user_model().objects.filter(username="btctu.quantri").first()
    ca = _demo_ca(folder)
    done = []
    if domain.add_trust_root(actor=admin, data=ca.pem):
        done.append(f"chứng thư gốc “{CA_NAME}”")
    for code in missing:
        cn, org, email = ORGANIZATIONS[code]
        cert = issue(ca, cn, org=org, email=email, days=(-1, 730))
        domain.upload_certificate(
            actor=admin, organization=orgs[code], data=cert.p12(DEMO_PASSPHRASE), passphrase=DEMO_PASSPHRASE
        )
        done.append(f"chứng thư số của {orgs[code].name}")
    if not personal_file.exists():
        cert = issue(ca, PERSONAL["cn"], org=PERSONAL["org"], email=PERSONAL["email"], days=(-1, 730))
        personal_file.write_bytes(cert.p12(DEMO_PASSPHRASE))
        personal_file.chmod(0o600)
        done.append(f"chứng thư số cá nhân của {PERSONAL['cn']}: {personal_file}")
    return done


def _has_certificate(org) -> bool:

    return SigningCertificate.objects.filter(organization=org, active=True).exists()
