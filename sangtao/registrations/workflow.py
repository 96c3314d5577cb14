"""The registration workflow as one declarative table (Hypha-style): states, and for each action the
states it leaves from, the state it leads to, and who may take it.

    draft ──submit──▶ submitted ──accept──▶ accepted ──start──▶ in_progress ──report──▶ results_reported ──appraise──▶ appraised
      ▲                  │
      └──(edit)── returned ◀──return── (with a reason)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    RESULTS_REPORTED = "results_reported", _("Đã báo cáo kết quả")
    APPRAISED = "appraised", _("Đã thẩm định")


def review_transitions(states) -> dict:
    """The receiving level's two answers to a paper sent up to it (a registration, a results report): accept it,
    or return it with a reason. `states` is the paper's states, with SUBMITTED, ACCEPTED and RETURNED."""
    return {
        "accept": {"from": {states.SUBMITTED}, "to": states.ACCEPTED, "who": "receiver", "label": _("Tiếp nhận")},
        "return": {
            "from": {states.SUBMITTED},
            "to": states.RETURNED,
            "who": "receiver",
            "label": _("Trả lại"),
            "needs_reason": True,
        },
    }


# Who: "registrant" — the subject (a person for their own model) or an officer acting for the subject's
# organization; "receiver" — an officer or admin acting for the receiving level (not the registrant).
TRANSITIONS = {
    "submit": {
        "from": {State.DRAFT, State.RETURNED},
        "to": State.SUBMITTED,
        "who": "registrant",
        "label": _("Gửi đăng ký"),
    },
    **review_transitions(State),
    "start": {"from": {State.ACCEPTED}, "to": State.IN_PROGRESS, "who": "registrant", "label": _("Bắt đầu thực hiện")},
}
EDITABLE = {State.DRAFT, State.RETURNED}
SUBMITTED_STATES = {
    State.SUBMITTED,
    State.RETURNED,
    State.ACCEPTED,
    State.IN_PROGRESS,
    State.RESULTS_REPORTED,
    State.APPRAISED,
}
