"""The site's forms as a program fills them in over HTTP — the deadline-day load run (scripts/load.py), the smoke
run (scripts/smoke.py) and the tests that post through a real server: the one-time token a form page carries, and
a registration as a person types it on the create form (registrations.forms, its indicator formset `ind`)."""

from __future__ import annotations

import re

from .formtoken import FIELD

FORM_TOKEN = re.compile(rf'name="{FIELD}" value="([^"]+)"')


def form_token(html: str) -> str | None:
    """The one-time token (common.formtoken) of the form a page draws, or None when it draws none (an error page,
    the login page after the session was lost)."""
    found = FORM_TOKEN.search(html)
    return found.group(1) if found else None


def registration_form(**fields) -> dict:
    """What the registration create form sends when a person types a model with one indicator and presses “Lưu”;
    `fields` add to it or replace what it has (the token, the organization `to_chuc`, the title …)."""
    return {
        "title": "Hóa đơn điện tử toàn tỉnh",
        "content_areas": ["product"],
        "fields": ["kinh_te"],
        "novelty": "Mới",
        "method": "Làm",
        "ind-TOTAL_FORMS": "3",
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "3",
        "ind-MAX_NUM_FORMS": "20",
        "ind-0-name": "Tỷ lệ",
        "ind-0-unit": "%",
        "ind-0-target": "80",
        "save": "1",
        **fields,
    }
