"""The audit trail's rows as people read them (common.audit_text): the object in words, its technical details
(a storage name, a certificate's serial) in a title rather than in the text."""

from django import template

from sangtao.common.audit_text import details_text, object_detail, object_text

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
