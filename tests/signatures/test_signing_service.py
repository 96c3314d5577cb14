"""The signing service on its own: sign with our CA's certificates, tamper, verify (bytes → result)."""

import datetime as dt
import random
import re

import pytest

from sangtao.documents import signing

from .conftest import append_text_update, letter_pdf, pdfsig, roots, sign
from .pki import ORG_EMAIL, ORG_NAME, PASSPHRASE


def test_unsigned():
    assert signing.verify_pdf(letter_pdf(), trust_roots=roots()).status == signing.UNSIGNED


def test_signed_by_organization_is_valid_and_trusted_with_its_stamp(ca):
    result = signing.verify_pdf(sign(ca.organization), trust_roots=roots())
    assert result.status == signing.TRUSTED
    main = result.main
    assert (main.organization, main.email) == (ORG_NAME, ORG_EMAIL)
    assert main.covers_whole_file
    # the visible stamp, read back from the widget's appearance through the embedded font's ToUnicode map
    assert f"Email: {ORG_EMAIL}" in main.stamp_text
    assert f"Cơ quan: {ORG_NAME}" in main.stamp_text
    assert "+07:00" in main.stamp_text and not main.stamp_mismatch
    assert "thu hồi" in result.revocation_note


def test_stamp_format():
    when = dt.datetime(2023, 2, 23, 9, 10, tzinfo=dt.UTC)
    assert signing.stamp_text(email=ORG_EMAIL, organization=ORG_NAME, when=when) == (
        "Email: btctu@lamdong.gov.vn · Cơ quan: Tỉnh ủy Lâm Đồng · Ngày ký: 23.02.2023 16:10:00 +07:00"
    )


def test_without_the_root_it_is_untrusted(ca):
    assert signing.verify_pdf(sign(ca.organization), trust_roots=[]).status == signing.UNTRUSTED


def test_certificate_from_another_ca_is_untrusted(ca):
    assert signing.verify_pdf(sign(ca.untrusted), trust_roots=roots()).status == signing.UNTRUSTED


def test_expired_certificate(ca):
    assert signing.verify_pdf(sign(ca.expired), trust_roots=roots()).status == signing.EXPIRED


def test_expired_certificate_cannot_be_loaded_to_sign(ca):
    with pytest.raises(signing.SigningError):
        signing.load_identity(ca.expired.p12(), PASSPHRASE)
    with pytest.raises(signing.SigningError):
        signing.load_identity(ca.organization.p12(), "sai mật khẩu")


def test_a_changed_byte_is_invalid(ca):
    signed = bytearray(sign(ca.organization))
    width = re.search(rb"/MediaBox\s*\[\s*0 0 (\d)", signed)  # the page's width, inside the signed range
    signed[width.start(1)] = ord("4") if signed[width.start(1)] != ord("4") else ord("5")
    assert signing.verify_pdf(bytes(signed), trust_roots=roots()).status == signing.INVALID


def test_text_added_after_signing_is_modified(ca):
    result = signing.verify_pdf(append_text_update(sign(ca.organization)), trust_roots=roots())
    assert result.status == signing.MODIFIED


def test_a_second_signature_keeps_the_first_valid(ca):
    twice = sign(ca.personal, sign(ca.organization))
    result = signing.verify_pdf(twice, trust_roots=roots())
    assert [s.status for s in result.signatures] == [signing.TRUSTED, signing.TRUSTED]


def test_stamp_claiming_another_organization_is_flagged(ca):
    forged = sign(ca.organization, organization="Tỉnh ủy Khánh Hòa")
    result = signing.verify_pdf(forged, trust_roots=roots())
    assert result.stamp_mismatch
    assert "Tỉnh ủy Khánh Hòa" in result.main.stamp_mismatch


def test_timestamp_from_a_tsa(ca):
    result = signing.verify_pdf(sign(ca.organization, timestamper=ca.timestamper()), trust_roots=roots())
    assert result.status == signing.TRUSTED and result.main.timestamped


def test_covers_original(ca):
    original = letter_pdf()
    signed = sign(ca.personal, original)
    assert signing.covers_original(original, signed)
    assert not signing.covers_original(original + b"\n", signed)  # not the bytes we issued
    assert not signing.covers_original(original, append_text_update(signed))  # more after the signature
    assert not signing.covers_original(original, original)


def test_garbage_is_unreadable_not_an_exception():
    assert signing.verify_pdf(b"%PDF-1.7\nrac", trust_roots=roots()).status == signing.UNREADABLE


def test_pdfsig_confirms_the_signature_from_outside(ca, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign(ca.organization))
    out = pdfsig(path)
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out


def test_no_changed_byte_inside_the_signed_ranges_leaves_a_trusted_signature(ca):
    """Flip bytes anywhere the signature covers (not in the hole holding the signature itself): never trusted,
    never an exception."""

    signed = sign(ca.organization)
    start_hole = int(re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", signed).group(1))
    end_hole = int(re.search(rb"/ByteRange\s*\[\s*0\s+\d+\s+(\d+)", signed).group(1))
    rng = random.Random(20)
    positions = [p for p in rng.sample(range(len(signed)), 400) if not start_hole <= p < end_hole][:30]
    for at in positions:
        changed = bytearray(signed)
        changed[at] = (changed[at] + 1 + rng.randrange(254)) % 256
        status = signing.verify_pdf(bytes(changed), trust_roots=roots()).status
        assert status != signing.TRUSTED, at


def test_truncated_signed_file_is_not_valid(ca):
    signed = sign(ca.organization)
    assert signing.verify_pdf(signed[: len(signed) // 2], trust_roots=roots()).status in (
        signing.INVALID,
        signing.UNSIGNED,
        signing.UNREADABLE,
    )
