"""The cycle's other papers (issue 17): biên bản, phiếu chấm điểm, thông báo kết quả, báo cáo kết quả of a unit,
công văn đôn đốc, a notice returning a registration or report. Each app writes its paper's text from its own data
and calls `draft_paper`; the paper is then an ordinary Document — edited and previewed in the document editor,
issued with its number by `domain.issue_document`, downloaded as .docx and PDF (docs/rules.md D10–D13).

`source` names what the paper was drawn from (“appraisal:12:bb”), so a second click opens the draft already made
instead of making another, and a page can link the papers of its object."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from sangtao.common import audit
from sangtao.orgs.models import Organization

from . import domain
from .models import Campaign, Document

_READ_GUARDS: dict = {}  # source prefix → predicate(user, source) registered by the app that draws the paper
_READ_GUARDS_MANY: dict = {}  # source prefix → predicate(user, sources) → the sources among them he may read


def register_read_guard(prefix: str, predicate, many=None) -> None:
    """An app whose papers hold figures some readers of the issuing level may not see yet (an appraisal before
    publication, rules P11) says who may read them; campaigns knows no appraisal. `many`, if given, answers the
    same for a whole list at once (a page listing papers asks it instead of `predicate` once a paper)."""
    _READ_GUARDS[prefix] = predicate
    if many is not None:
        _READ_GUARDS_MANY[prefix] = many


@dataclass(frozen=True)
class IssueStep:
    """How a draft of a given purpose goes out, when issuing it also does another app's work (sending the
    registrations it carries, submitting the upward report): that app's view, the button and the note above it."""

    url_name: str
    label: str
    note: str = ""
    also: tuple[tuple[str, str], ...] = ()  # other actions on the draft: (url name taking its pk, button label)


_ISSUE_STEPS: dict[str, IssueStep] = {}


def register_issue_step(purpose: str, step: IssueStep) -> None:
    """Called from the owning app's `ready()`; campaigns knows neither registrations nor coverage."""
    _ISSUE_STEPS[purpose] = step


def issue_step(doc: Document) -> IssueStep | None:
    """The other app's step for this draft, or None: an ordinary letter is issued by `document_issue`."""
    return _ISSUE_STEPS.get(doc.purpose)


def _prefix(doc: Document) -> str:
    return doc.source.split(":", 1)[0] if doc.source else ""


def may_read(user, doc: Document) -> bool:
    """Beyond the document's own rule (the issuing level, the recipients): the guard of its source, if any."""
    guard = _READ_GUARDS.get(_prefix(doc))
    return guard is None or bool(guard(user, doc.source))


def readable(user, docs) -> list[Document]:
    """The documents of `docs` that `may_read` lets `user` read, in their order, asking each guard once for the
    whole list (a fixed number of queries however long it is) when its app answers for a list."""
    sources: dict[str, set[str]] = {}
    for doc in docs:
        prefix = _prefix(doc)
        if prefix in _READ_GUARDS:
            sources.setdefault(prefix, set()).add(doc.source)
    allowed: set[str] = set()
    for prefix, among in sources.items():
        many = _READ_GUARDS_MANY.get(prefix)
        if many is not None:
            allowed.update(among.intersection(many(user, among)))
        else:
            allowed.update(s for s in among if _READ_GUARDS[prefix](user, s))
    return [d for d in docs if _prefix(d) not in _READ_GUARDS or d.source in allowed]


def latest(source: str) -> Document | None:
    """The newest paper drawn from `source` (issued or draft)."""
    return Document.objects.filter(source=source).order_by("-pk").first()


def papers_of(prefix: str):
    """Every paper whose source starts with `prefix` (e.g. “appraisal:12:”), newest first."""
    return Document.objects.filter(source__startswith=prefix).order_by("-pk")


def salutation_for(orgs) -> str:
    """“Kính gửi” of a paper to these organizations: the body that acts for each (rules D5), one a line; a long
    list becomes the committees of the units concerned."""
    names = list(dict.fromkeys(domain.receiving_body(o) for o in orgs))
    return "\n".join(names) if 0 < len(names) <= 6 else "Cấp ủy các tổ chức đảng có liên quan"


@transaction.atomic
def draft_paper(
    *,
    actor,
    campaign: Campaign | None,
    org: Organization,
    kind: str,
    source: str,
    subject: str,
    body: str,
    salutation: str = "",
    recipients=(),
    annex: dict | None = None,
    copies_to: str | None = None,
    signature: str | None = None,
    signer_title: str | None = None,
    signer_name: str | None = None,
    attachment_note: str = "",
) -> Document:
    """A draft paper issued at `org`, its header and signature prefilled as for a letter (rules D5–D7). A draft
    from the same source not yet issued is returned as it is: the clerk's edits are kept, no second draft made."""
    existing = Document.objects.select_for_update().filter(source=source, status=Document.Status.DRAFT).first()
    if existing:
        return existing
    head = domain.header_for(org)
    values = {
        **domain.draft_header(org, head),
        "campaign": campaign,
        "kind": kind,
        "subject": subject,
        "salutation": salutation,
        "body": body,
        "attachment_note": attachment_note,
        "annex": annex or {},
        "source": source,
    }
    if copies_to is not None:
        values["copies_to"] = copies_to
    values["signature"] = signature or values["signature"]
    values["signer_title"] = signer_title or values["signer_title"]
    if signer_name is None:
        signer = domain.default_signer(org, head)
        signer_name = signer.full_name if signer else ""
    doc = Document.objects.create(created_by=actor, signer_name=signer_name, **values)
    doc.recipients.set(list(recipients))
    audit.record("document.draft", actor=actor, obj=doc, changes={"source": source, "kind": kind})
    return doc
