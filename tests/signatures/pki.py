"""A throwaway PKI for the signature tests, built with `cryptography`: a root CA (the operator's trust
root), an organization certificate, a personal one, one from another (untrusted) CA, an expired one, and a
timestamping authority. Keys are EC P-256 so building them is fast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "mat-khau-ky-so"
NOW = dt.datetime.now(dt.UTC)


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

    def p12(self, passphrase: str = PASSPHRASE) -> bytes:
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


def make_ca(cn: str) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(cn, "Ban Cơ yếu Chính phủ (thử nghiệm)")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=3650))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(ca: Issued, cn: str, *, org: str = "", email: str = "", days=(-30, 365), tsa: bool = False) -> Issued:
    # pyHanko's dummy TSA signs with RSA only
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
        .not_valid_before(NOW + dt.timedelta(days=days[0]))
        .not_valid_after(NOW + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    else:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        if email:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return Issued(key, builder.sign(ca.key, hashes.SHA256()), (ca.cert,))


@dataclass(frozen=True)
class Pki:
    root: Issued
    other_root: Issued
    organization: Issued
    personal: Issued
    untrusted: Issued
    expired: Issued
    tsa: Issued

    def timestamper(self):
        from asn1crypto import keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps import DummyTimeStamper

        key_der = self.tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(self.tsa.der),
            tsa_key=keys.PrivateKeyInfo.load(key_der),
            certs_to_embed=[asn1_x509.Certificate.load(self.root.der)],
        )


ORG_NAME = "Tỉnh ủy Lâm Đồng"
ORG_EMAIL = "btctu@lamdong.gov.vn"


@cache
def pki() -> Pki:
    root = make_ca("CA thử nghiệm Sáng tạo")
    other = make_ca("CA lạ")
    return Pki(
        root=root,
        other_root=other,
        organization=issue(root, "Ban Tổ chức Tỉnh ủy Lâm Đồng", org=ORG_NAME, email=ORG_EMAIL),
        personal=issue(root, "Nguyễn Văn An", org="Đảng ủy Khối Doanh nghiệp", email="an.nguyen@lamdong.gov.vn"),
        untrusted=issue(other, "Ban Tổ chức Tỉnh ủy Lâm Đồng", org=ORG_NAME, email=ORG_EMAIL),
        expired=issue(root, "Ban Tổ chức Tỉnh ủy Lâm Đồng", org=ORG_NAME, email=ORG_EMAIL, days=(-800, -400)),
        tsa=issue(root, "TSA thử nghiệm", org="Sáng tạo", tsa=True),
    )
