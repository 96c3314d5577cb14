"""Vietnamese formatting helpers for templates."""

from django import template
from django.utils.html import format_html

from sangtao.common import formtoken, numbers
from sangtao.common.audit_text import action_label

register = template.Library()


@register.filter
def vn_number(value, decimals=None):
    """1234.5 -> 1.234,5 (in the active locale's separators; common.numbers)."""
    return numbers.vn_number(value, decimals)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """Current query string with some parameters replaced (for pagination and filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def absval(value):
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def dict_get(mapping, key):
    """`{{ claims|dict_get:ev.claim }}` — a dictionary lookup by a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def form_token(context):
    """The hidden one-time token of a create form (common.formtoken): `{% form_token %}` inside the form."""

    return format_html(
        '<input type="hidden" name="{}" value="{}">', formtoken.FIELD, formtoken.for_form(context["request"])
    )


@register.filter
def audit_action(action: str) -> str:
    """`registration.submit` → "Gửi đăng ký" (common.audit_text)."""

    return action_label(action)
