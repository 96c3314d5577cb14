"""A registration returned in writing (issue 17; docs/rules.md D14): the receiving level's công văn trả lại
(“V/v trả lại đăng ký mô hình …”) with its reason, addressed to the unit's committee and delivered to its inbox;
drafted from the registration page (and, for a results report, from the report page through `draft_return_notice`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sangtao.campaigns import papers
from sangtao.campaigns.domain import committee_name, header_for, receiving_body
from sangtao.campaigns.models import Document

from .models import Registration
from .workflow import State


def return_source(kind: str, pk: int, version: int) -> str:
    """“registration:7:return:3”: one notice per return (a registration returned twice gets two)."""
    return f"{kind}:{pk}:return:{version}"


def can_make_return(user, reg: Registration) -> bool:
    """The receiving level's office, which returned it."""
    return user.has_perm("campaigns.act_for", reg.receiving_org)


def draft_return_notice(
    *, actor, registration: Registration, what: str, reason: str, source: str, returned_at
) -> Document:
    """Công văn trả lại (CV, “V/v trả lại …”) from the receiving level to the unit, with the reason."""
    reg = registration
    if not can_make_return(actor, reg):
        raise PermissionDenied
    org = reg.receiving_org
    committee = header_for(org)["committee"]
    day = timezone.localtime(returned_at).date() if returned_at else timezone.localdate()
    owner = f" của đồng chí {reg.person.full_name}" if reg.person_id else ""
    body = [
        (
            f"{committee} đã nhận {what} mô hình “{reg.title}”{owner} của {committee_name(reg.subject_org)}. Qua xem "
            f"xét, ngày {day:%d/%m/%Y} {committee} đã trả lại để hoàn thiện, với lý do như sau:"
        ),
        reason,
        (
            f"Đề nghị {committee_name(reg.subject_org)} chỉ đạo hoàn thiện {what} theo các nội dung trên và gửi lại "
            f"qua hệ thống trong thời hạn của đợt {reg.campaign.name}."
        ),
    ]
    return papers.draft_paper(
        actor=actor,
        campaign=reg.campaign,
        org=org,
        kind=Document.Kind.CV,
        source=source,
        subject=f"trả lại {what} mô hình “{reg.title}”",
        body="\n".join(body),
        salutation=receiving_body(reg.subject_org),
        recipients=[reg.subject_org],
    )


def draft_registration_return(*, actor, registration: Registration) -> Document:
    reg = registration
    if reg.state != State.RETURNED or not reg.return_reason:
        raise PermissionDenied
    version = reg.versions.filter(action="return").order_by("-number").first()
    return draft_return_notice(
        actor=actor,
        registration=reg,
        what="đăng ký",
        reason=reg.return_reason,
        source=return_source("registration", reg.pk, version.number if version else 0),
        returned_at=version.created_at if version else None,
    )


def registration_papers(user, reg: Registration) -> dict:
    """The registration page's return notices: the office drafts one; the unit opens it once issued."""
    docs = [
        d
        for d in papers.papers_of(f"registration:{reg.pk}:")
        if user.has_perm("campaigns.act_for", d.issuer)
        or (d.status == Document.Status.ISSUED and user.has_perm("campaigns.read_level", reg.subject_org))
    ]
    return {"can_return": reg.state == State.RETURNED and can_make_return(user, reg), "documents": docs}
