"""No dead ends: as each demo role, starting from the home page, follow every link and HTMX GET shown (same origin,
bounded) and fail on any 403, 404, 405 or 500 — a link shown to a person must lead to a page that person may open.
The report lists each bad address with the page where it was found."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sangtao.appraisals.demo import load_demo
from sangtao.orgs.demo import USERS
from sangtao.orgs.models import Organization

pytestmark = pytest.mark.django_db
LIMIT = 400  # pages per role
LINK = re.compile(r'<a\b[^>]*?\shref="([^"#][^"]*)"|\shx-get="([^"]+)"', re.IGNORECASE)
SKIP = (
    re.compile(r"^/accounts/logout"),
    re.compile(r"^/i18n/"),
    re.compile(r"^/api/"),
    re.compile(r"^/static/"),
    re.compile(r"/(xuat-excel|docx|pdf|tai)/?$"),  # downloads of documents and big exports (tested where built)
    re.compile(r"^/metrics|^/healthz|^/readyz"),
)
BAD = {403, 404, 405, 500}
# Internal codes people must not read (issue 16): bonus codes, reminder reasons, state keys. The rubric editor shows
# bonus codes on purpose (an administrator edits them there), and the audit trail records changes as they were stored.
CODES = re.compile(
    r"\b(TH_[A-Z]+|manual-\d{4}-\d\d-\d\d|before-\d+|escalated|overdue|in_progress|"
    r"results_reported|judgement)\b"
)
CODES_SHOWN_ON_PURPOSE = re.compile(r"^/bo-tieu-chi/|^/to-chuc/nhat-ky/|/lich-su/$")
TEXT = re.compile(r"<(script|style|textarea)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)


@pytest.fixture
def year(db):

    load_demo()


def crawl(client: Client, start: str = "/") -> tuple[dict[str, list[str]], int]:
    """Pages answering 403/404/405/500, or showing an internal code, each with the pages linking to it."""
    seen, bad = {start: ""}, {}
    queue = deque([start])
    visited = 0
    while queue and visited < LIMIT:
        url = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code in BAD:
            bad.setdefault(f"{response.status_code} {url}", []).append(seen[url])
            continue
        if response.status_code in (301, 302):
            target = response["Location"]
            if urlsplit(target).netloc in ("", "testserver") and target not in seen:
                seen[target] = seen[url]
                queue.append(target)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        text = unescape(TEXT.sub(" ", response.content.decode()))
        code = CODES.search(text)
        if code and not CODES_SHOWN_ON_PURPOSE.search(url):
            bad.setdefault(f"code {code.group(0)!r} on {url}", []).append(seen[url])
        for href, hx in LINK.findall(response.content.decode()):
            link = urldefrag(urljoin(url, unescape(href or hx)))[0]
            parts = urlsplit(link)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path in seen or any(p.search(parts.path) for p in SKIP):
                continue
            seen[path] = url
            queue.append(path)
    return bad, visited


@pytest.mark.parametrize("username", [u[0] for u in USERS])
def test_no_dead_ends_for_each_demo_role(year, username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    bad, visited = crawl(client)
    report = "\n".join(
        f"{status_url}  (found on {', '.join(sorted(set(pages))[:3]) or 'start'})"
        for status_url, pages in sorted(bad.items())
    )
    assert not bad, f"{username}: {len(bad)} dead links among {visited} pages:\n{report}"
    assert visited > 5


def test_reopening_a_form_address_leads_back_to_its_page(year, login):

    duk = Organization.objects.get(code="LD-DUK")
    r = login("duk.canbo").get(
        f"/dot/DK-2027/cap/{duk.pk}/trien-khai/"
    )  # after an error the browser shows this address
    assert r.status_code == 302 and r["Location"] == f"/dot/DK-2027/cap/{duk.pk}/"


def test_individual_cadre_opens_the_campaign_at_their_own_models(year, login):
    r = login("nguyenvanan").get("/dot/DK-2027/")
    assert r.status_code == 302 and r["Location"] == "/dot/DK-2027/dang-ky/"
