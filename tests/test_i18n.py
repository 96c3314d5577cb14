"""Vietnamese first, English second: every source string has its English translation."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _entries(po: Path):
    text = po.read_text(encoding="utf-8")
    for chunk in text.split("\n\n"):
        if "#, fuzzy" in chunk and 'msgid ""\nmsgstr ""' not in chunk:
            yield "fuzzy", chunk
        m = re.search(r'^msgid ((?:"[^\n]*"\n?)+)', chunk, re.MULTILINE)
        if not m or "".join(re.findall(r'"(.*)"', m.group(1))) == "":
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:"[^\n]*"\n?)+)', chunk, re.MULTILINE)
        yield "".join(re.findall(r'"(.*)"', m.group(1))), ["".join(re.findall(r'"(.*)"', s)) for s in strs]


def test_every_english_string_is_translated():
    po = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    missing = [msgid for msgid, strs in _entries(po) if msgid == "fuzzy" or not all(strs)]
    assert not missing, f"untranslated or fuzzy: {missing}"


def test_english_locale_through_the_language_switch(client, demo):
    client.force_login(
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.get(username="duk.canbo")
    )
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/to-chuc/"})
    assert r.status_code == 302
    html = client.get("/to-chuc/").content.decode()
    assert "Party organization tree" in html and 'lang="en"' in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/to-chuc/"})
    assert "Cây tổ chức đảng" in client.get("/to-chuc/").content.decode()


def test_login_page_is_vietnamese(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in html and "Sign In" not in html


def test_browser_language_does_not_switch_to_english(client, db):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in html and "Đăng nhập" in html
