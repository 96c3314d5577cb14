"""A scripted flow against a running server (make prod-smoke): log in, register, accept, report with evidence,
appraise, coverage, export, health and metrics. Every step goes over HTTP; the database is only read to find
ids and to check what the server wrote (the evidence object must be in the S3 bucket). Fails on any error.

    .venv/bin/python scripts/smoke.py http://127.0.0.1:8100
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangtao.settings_production")

import django

django.setup()

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value  # noqa: E402

from sangtao.common.formtoken import token_in  # noqa: E402
from sangtao.orgs.demo import DEMO_PASSWORD  # noqa: E402
from sangtao.orgs.models import Organization  # noqa: E402

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8100"
SECRETS = {"duk.thamdinh": "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
step_no = 0


def step(text):
    global step_no
    step_no += 1
    print(f"{step_no:>2}. {text}", flush=True)


def check(cond, message):
    if not cond:
        raise SystemExit(f"SMOKE FAILED: {message}")


class User:
    def __init__(self, username):
        self.s = requests.Session()
        self.s.headers["Referer"] = BASE + "/"
        self.username = username
        r = self.s.get(f"{BASE}/accounts/login/")
        check(r.status_code == 200, f"login page {r.status_code}")
        r = self.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})
        if "/2fa/authenticate" in r.url:
            for _ in range(3):
                code = format_hotp_value(hotp_value(SECRETS[username], int(time.time()) // 30))
                r = self.post("/accounts/2fa/authenticate/", {"code": code})
                if "/2fa/authenticate" not in r.url:
                    break
                time.sleep(31)  # a code is accepted once: wait for the next one
        check(r.status_code == 200 and "/accounts/login" not in r.url, f"{username} could not log in ({r.url})")

    def post(self, path, data, files=None):
        token = self.s.cookies.get("csrftoken")
        return self.s.post(
            BASE + path,
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            headers={"X-CSRFToken": token},
            allow_redirects=True,
        )

    def get(self, path):
        return self.s.get(BASE + path)


def main():
    orgs = {o.code: o for o in Organization.objects.filter(code__in=["DUK-CTN", "LD-DUK"])}
    step("health: /healthz and /readyz (database, Redis, S3)")
    check(requests.get(f"{BASE}/healthz", timeout=30).text == "ok", "liveness")
    ready = requests.get(f"{BASE}/readyz", timeout=30).json()
    check(ready["status"] == "ok" and ready["checks"].get("redis") == "ok", f"readiness {ready}")

    step("capnuoc.canbo registers a model")
    unit = User("capnuoc.canbo")
    title = f"Kiểm tra khói {int(time.time())}: đọc chỉ số đồng hồ nước bằng ảnh chụp"
    form_url = f"/dot/DK-2027/dang-ky/moi/?to_chuc={orgs['DUK-CTN'].pk}"
    token = token_in(unit.get(form_url).text)  # one-time, required
    r = unit.post(
        form_url,
        {
            "form_token": token,
            "to_chuc": orgs["DUK-CTN"].pk,
            "title": title,
            "content_areas": ["product"],
            "fields": ["cai_cach_chuyen_doi_so"],
            "novelty": "Khách hàng tự chụp ảnh đồng hồ, hệ thống đọc số.",
            "method": "Phòng Kỹ thuật triển khai.",
            "ind-TOTAL_FORMS": "3",
            "ind-INITIAL_FORMS": "0",
            "ind-MIN_NUM_FORMS": "3",
            "ind-MAX_NUM_FORMS": "20",
            "ind-0-name": "Tỷ lệ đồng hồ đọc bằng ảnh",
            "ind-0-unit": "%",
            "ind-0-baseline": "0",
            "ind-0-target": "50",
            "submit": "1",
        },
    )
    m = re.search(r"/dang-ky/(\d+)/$", r.url)
    check(m and "Đã gửi đăng ký." in r.text, f"registration not submitted ({r.url})")
    reg = int(m.group(1))

    step("duk.canbo accepts it")
    bloc = User("duk.canbo")
    r = bloc.post(f"/dang-ky/{reg}/accept/", {})
    check("Đã thực hiện: Tiếp nhận." in r.text, "accept")

    step("the unit writes its results report with a PDF evidence file (stored on S3)")
    page = unit.get(f"/dang-ky/{reg}/bao-cao-ket-qua/viet/").text
    ind = re.search(r'name="a_(\d+)"', page).group(1)
    data = {
        "s_done": "Ban hành kế hoạch 12-KH/ĐU ngày 01/04/2027; tập huấn 40 nhân viên; triển khai ứng dụng cho "
        "toàn bộ khách hàng khu vực Đà Lạt.",
        "s_novelty": "Lần đầu khách hàng tự chụp ảnh đồng hồ; 18.000 hộ được hưởng lợi; Xí nghiệp Bảo Lộc học tập.",
        "s_reviews": "Sơ kết 6 tháng ngày 15/10/2027; nhân rộng sang Bảo Lộc.",
        f"a_{ind}": "55",
        "claim": "section:done",
        "description": "Kế hoạch triển khai",
        "version": re.search(r'name="version" value="(\d*)"', page).group(1)
        if re.search(r'name="version" value="(\d+)"', page)
        else "",
    }
    r = unit.post(
        f"/dang-ky/{reg}/bao-cao-ket-qua/viet/",
        {**data, "save": "1"},
        files={"file": ("ke-hoach.pdf", PDF, "application/pdf")},
    )
    check("Đã đính kèm" in r.text, "evidence upload")
    page = unit.get(f"/dang-ky/{reg}/bao-cao-ket-qua/viet/").text
    data["version"] = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = unit.post(f"/dang-ky/{reg}/bao-cao-ket-qua/viet/", {**data, "submit": "1"})
    check("Đã gửi báo cáo kết quả." in r.text, "report not submitted")
    from sangtao.reports.models import Evidence

    ev = Evidence.objects.filter(report__registration_id=reg).first()
    check(ev is not None, "no evidence row")
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["SANGTAO_S3_ENDPOINT_URL"],
        aws_access_key_id="loopback",
        aws_secret_access_key="loopback",
        region_name="us-east-1",
    )
    body = s3.get_object(Bucket=os.environ["SANGTAO_S3_BUCKET"], Key=ev.file.name)["Body"].read()
    check(body == PDF, "the evidence object in the S3 bucket differs from the upload")
    r = bloc.get(f"/minh-chung/{ev.pk}/")
    check(r.status_code == 200 and r.content == PDF, "evidence download through the app")

    step("duk.thamdinh (with TOTP) appraises and signs off")
    appraiser = User("duk.thamdinh")
    from django.contrib.auth import get_user_model

    me = get_user_model().objects.get(username="duk.thamdinh")
    r = appraiser.post(f"/dang-ky/{reg}/tham-dinh/mo/", {"members": [me.pk], "chair": me.pk})
    m = re.search(r"/tham-dinh/(\d+)/$", r.url)
    check(m, f"appraisal not opened ({r.url})")
    ap = m.group(1)
    note = "Đối chiếu báo cáo, số liệu và minh chứng của đơn vị."
    sheet = {
        "score_TC1": "1,75",
        "note_TC1": note,
        "score_TC2": "3,5",
        "note_TC2": note,
        "score_TC3": "1,5",
        "note_TC3": note,
        "score_TC4": "0,75",
        "note_TC4": note,
        "submit": "1",
    }
    # Irreversible acts are previewed first, then confirmed (as the appraiser does on the page).
    r = appraiser.post(f"/tham-dinh/{ap}/phieu-cham/", sheet)
    check("Xác nhận: Nộp phiếu chấm" in r.text and "7,5 — Khá" in r.text, "sheet preview")
    r = appraiser.post(f"/tham-dinh/{ap}/phieu-cham/", {**sheet, "xac_nhan": "1"})
    check("Đã nộp phiếu chấm." in r.text, "sheet")
    r = appraiser.post(f"/tham-dinh/{ap}/ky-duyet/", {})
    check("Xác nhận: Ký duyệt" in r.text, "sign-off preview")
    r = appraiser.post(f"/tham-dinh/{ap}/ky-duyet/", {"xac_nhan": "1"})
    check("Đã ký duyệt: 7,5 điểm, xếp loại Khá." in r.text, "sign-off")

    step("duk.canbo opens coverage and exports it (Celery worker, file on S3)")
    r = bloc.get(f"/dot/DK-2027/tong-hop/{orgs['LD-DUK'].pk}/")
    check(r.status_code == 200 and "Tổng hợp kết quả" in r.text, "coverage page")
    r = bloc.post(f"/dot/DK-2027/tong-hop/{orgs['LD-DUK'].pk}/chay/coverage/", {})
    job = r.url
    for _ in range(60):
        if "Tải tệp" in bloc.get(job.replace(BASE, "")).text:
            break
        time.sleep(1)
    else:
        check(False, "the export did not finish (is a Celery worker running?)")
    r = bloc.get(job.replace(BASE, "") + "tai/")
    check(r.status_code == 200 and r.content[:2] == b"PK", "export download")

    step("metrics from loopback")
    metrics = requests.get(f"{BASE}/metrics", timeout=30).text
    check("sangtao_request_seconds" in metrics and "sangtao_task_queue_length" in metrics, "metrics")
    print("SMOKE OK")


if __name__ == "__main__":
    main()
