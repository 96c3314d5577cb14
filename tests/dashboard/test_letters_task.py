"""The home page's “Văn bản đến chưa xác nhận” task says what the paper is and who sent it, as the inbox does: the
sender is its issuing body (the inbox's “Cơ quan ban hành”), never the receiving organization; the subject reads
“V/v …” for a công văn and “<kind>: …” for any other paper. The walkthrough found “— Đảng bộ tỉnh Lâm Đồng” (the
receiver) under a letter the bloc had sent, and a công văn's subject without its “V/v”."""

import html as htmllib
import re

import pytest

from sangtao.campaigns.models import Document, IncomingDocument
from sangtao.campaigns.rules import ACTING_ROLES
from sangtao.orgs.rules import scopes

pytestmark = pytest.mark.django_db

LETTER = re.compile(
    r'<li class="task[^"]*" data-kind="letter">.*?<strong>([^<]+)</strong>\s*(?:<p>([^<]*)</p>)?', re.DOTALL
)


def _letter_tasks(client) -> list[tuple[str, str]]:
    page = client.get("/").content.decode()
    return [(htmllib.unescape(t).strip(), htmllib.unescape(d or "").strip()) for t, d in LETTER.findall(page)]


def _as_listed(doc: Document) -> str:
    return f"V/v {doc.subject}" if doc.kind == Document.Kind.CV else f"{doc.get_kind_display()}: {doc.subject}"


@pytest.mark.parametrize("username", ["duk.canbo", "lacduong.canbo"])
def test_the_task_names_the_sender_and_the_paper_as_the_inbox_does(full_demo, login, username):
    user = full_demo[username]
    waiting = list(
        IncomingDocument.objects.filter(
            recipient_id__in=[s.org_id for s in scopes(user) if s.role in ACTING_ROLES], acknowledged_at__isnull=True
        ).select_related("document__issuer", "recipient")
    )
    assert waiting, "the demo leaves this officer a paper to acknowledge"
    # the case the walkthrough found: a công văn, and a paper sent by another body than its receiver
    waiting[0].document.kind = Document.Kind.CV
    waiting[0].document.save(update_fields=["kind"])
    shown = _letter_tasks(login(username))
    assert len(shown) == len(waiting)
    for inc in waiting:
        title, detail = next((t, d) for t, d in shown if d.startswith(f"Số đến {inc.number},"))
        assert title == f"Văn bản đến chưa xác nhận: {_as_listed(inc.document)}"
        assert detail.endswith(f"— {inc.document.issuer.name}")
        assert inc.document.issuer_id != inc.recipient_id and inc.recipient.name not in detail
    assert any(t.startswith("Văn bản đến chưa xác nhận: V/v ") for t, _d in shown)
