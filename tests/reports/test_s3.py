"""Evidence files travel over the S3 protocol (django-storages against moto's S3 server): the object lands in
the bucket under its generated name, comes back through the permission-checked view, and a refused upload
leaves nothing in the bucket."""

import socket

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from sangtao.reports import domain
from tests.reports.conftest import PDF, PNG

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(settings):

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
    )
    client.create_bucket(Bucket="sangtao-test")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "sangtao-test",
                "endpoint_url": endpoint,
                "access_key": "k",
                "secret_key": "s",
                "region_name": "us-east-1",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def keys(client):
    return [o["Key"] for o in client.list_objects_v2(Bucket="sangtao-test").get("Contents", [])]


def test_evidence_round_trip_over_s3(s3, accepted, users, login):
    report = domain.start_report(actor=users["capnuoc.canbo"], registration=accepted)
    ev = domain.add_evidence(
        actor=users["capnuoc.canbo"],
        report=report,
        claim="section:done",
        upload=SimpleUploadedFile("bien-ban.pdf", PDF),
    )
    assert keys(s3) == [ev.file.name] and ev.file.name.startswith("evidence/") and "bien-ban" not in ev.file.name
    assert s3.get_object(Bucket="sangtao-test", Key=ev.file.name)["Body"].read() == PDF
    r = login("capnuoc.canbo").get(reverse("reports:evidence", kwargs={"pk": ev.pk}))
    assert b"".join(r.streaming_content) == PDF
    with pytest.raises(Exception, match="không phải ảnh PNG"):
        domain.add_evidence(
            actor=users["capnuoc.canbo"], report=report, claim="section:done", upload=SimpleUploadedFile("anh.png", PDF)
        )
    assert len(keys(s3)) == 1
    domain.add_evidence(
        actor=users["capnuoc.canbo"], report=report, claim="section:done", upload=SimpleUploadedFile("anh.png", PNG)
    )
    assert len(keys(s3)) == 2
