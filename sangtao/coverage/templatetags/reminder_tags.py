"""Reminders as people read them: the reason in words, and what a round of reminders really reached."""

from django import template

from sangtao.coverage import reminders

register = template.Library()


@register.filter
def reminder_reason(reason: str) -> str:
    return reminders.reason_label(reason)


@register.simple_tag
def reminder_outcome(job) -> dict:
    return reminders.outcome(
        campaign=job.campaign, org=job.org, sent_by=job.user, since=job.created_at, until=job.finished_at
    )
