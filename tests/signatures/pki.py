"""A throwaway PKI for the signature tests, built with `cryptography` by the demo's builders
(sangtao.signatures.demo): a root CA (the operator's trust root), an organization certificate, a personal one, one
from another (untrusted) CA, an expired one, and a timestamping authority. Keys are EC P-256 so building them is
fast."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from asn1crypto import keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization

from sangtao.signatures import demo

PASSPHRASE = "mat-khau-ky-so"
CA_ORG = "Ban Cơ yếu Chính phủ (thử nghiệm)"


class Issued(demo.Issued):
    """A key and its certificate; its PKCS#12 is protected with the tests' PASSPHRASE unless told otherwise."""

    def p12(self, passphrase: str = PASSPHRASE) -> bytes:
        return super().p12(passphrase)


def make_ca(cn: str) -> Issued:
    ca = demo.make_ca(cn, CA_ORG)
    return Issued(ca.key, ca.cert, ca.chain)


def issue(ca: Issued, cn: str, **kw) -> Issued:
    """`demo.issue`: org, email, days=(from, to) from now, tsa."""
    cert = demo.issue(ca, cn, **kw)
    return Issued(cert.key, cert.cert, cert.chain)


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
