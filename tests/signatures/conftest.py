import re
import shutil
import subprocess
import threading
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from django.contrib.auth import get_user_model

from sangtao.documents import signing
from sangtao.orgs.models import Role
from sangtao.registrations import domain as registrations
from sangtao.reports import domain as reports
from sangtao.signatures import domain
from tests.conftest import make_user
from tests.support import open_campaign, register

from .pki import PASSPHRASE, pki


@cache
def letter_pdf() -> bytes:
    """A small letter rendered the way issued letters are (WeasyPrint), Vietnamese text included."""
    from weasyprint import HTML

    return HTML(
        string="<html><body><h1>ĐẢNG CỘNG SẢN VIỆT NAM</h1><p>Kính gửi: Ban Thường vụ Đảng ủy Khối"
        "</p><p>T/M BAN THƯỜNG VỤ</p></body></html>"
    ).write_pdf()


def identity(issued, *, check=True):
    if check:
        return signing.load_identity(issued.p12(), PASSPHRASE)
    info = signing.certificate_info(asn1_x509.Certificate.load(issued.der))
    return signing.SigningIdentity(pkcs12=issued.p12(), passphrase=PASSPHRASE, certificate=info)


def sign(issued, data=None, **kw) -> bytes:
    check = issued is not pki().expired
    if not check:
        pass  # pyHanko signs with an expired certificate when asked (it only checks when validating)
    return signing.sign_pdf(data or letter_pdf(), identity(issued, check=check), **kw)


def flip_a_byte(data: bytes) -> bytes:
    """The signed file with one byte changed inside the signed range (the page's width): a tampered copy."""

    out = bytearray(data)
    at = re.search(rb"/MediaBox\s*\[\s*0 0 (\d)", out).start(1)
    out[at] = ord("4") if out[at] != ord("4") else ord("5")
    return bytes(out)


def roots():
    return signing.load_certificates(pki().root.pem)


def append_text_update(signed: bytes) -> bytes:
    """An incremental update after signing that adds a text line to the page (what a forger would do)."""

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(BytesIO(signed), strict=False)
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    resources = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FX"): font})}
    )
    stream = generic.StreamObject(stream_data=b"BT /FX 14 Tf 72 700 Td (Them noi dung sau khi ky) Tj ET")
    w.add_stream_to_page(0, w.add_object(stream), resources=resources)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.fixture
def trusted(demo):
    """The test CA installed as the province's trust root."""

    domain.add_trust_root(actor=None, data=pki().root.pem)


@pytest.fixture
def campaign(demo):

    return open_campaign(2023)


def unit_registration(campaign, demo):
    """A draft registration of Cấp nước, written by its officer (capnuoc.canbo): where a unit attaches PDFs."""

    officer = get_user_model().objects.get(username="capnuoc.canbo")
    return register(campaign, demo["DUK-CTN"], officer, "Mô hình ký số", fields=["khac"], novelty="x", method="y")


def started_report(reg, demo):
    """The registration sent, accepted by the bloc, and its results report started by its writer."""

    registrations.submit(actor=reg.created_by, registration=reg)
    registrations.accept(actor=make_user("duk.receiver", Role.OFFICER, demo["LD-DUK"]), registration=reg)
    return reports.start_report(actor=reg.created_by, registration=reg)


def badges(html: str) -> list[str]:
    """The statuses of the signature badges of a page, in order."""

    return re.findall(r'data-signature-status="([a-z_]+)"', html)


@pytest.fixture
def ca():
    return pki()


@pytest.fixture
def local_tsa():
    """An RFC 3161 timestamping service on localhost (pyHanko's dummy TSA behind http.server): the URL."""

    stamper = pki().timestamper()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            req = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(req).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()
    server.server_close()


def pdfsig(path) -> str:
    """poppler's `pdfsig` report on a file (the check from outside the app)."""

    binary = shutil.which("pdfsig")
    assert binary, "pdfsig (poppler-utils) is not installed: scripts/system-deps.sh installs it"
    # a fixed binary on a file the test wrote
    return subprocess.run([binary, str(path)], capture_output=True, text=True, check=False).stdout
