"""The audit trail's rows as people read them (common.audit_text): the object in words, its technical details
(a storage name, a certificate's serial) in a title rather than in the text, and what the rows record by code
or number (an account, an organization, a bonus, a report's part) by its name."""

from django import template

from sangtao.common.audit_text import Lines, details_text, event_lines, names_for, object_detail, object_text

register = template.Library()


@register.filter
def audit_object(event) -> str:
    return object_text(event)


@register.filter
def audit_object_detail(event) -> str:
    return object_detail(event)


@register.filter
def audit_details(changes) -> str:
    return details_text(changes)


@register.simple_tag(takes_context=True)
def audit_lines(context, event) -> Lines:
    """`{% audit_lines e as lines %}`: the row's changes in words (`lines.shown`) and its technical details
    (`lines.details`), the names looked up once for the whole table — its `events` — not once a row."""
    cache = context.render_context
    if "audit_names" not in cache:
        cache["audit_names"] = names_for(context.get("events") or [event])
    return event_lines(event, cache["audit_names"])
