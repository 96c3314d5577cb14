"""Vietnamese formatting helpers for templates."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import format_html

from sangtao.common import formtoken
from sangtao.common.audit_text import action_label, changes_text

register = template.Library()


@register.filter
def vn_number(value, decimals=None):
    """1234.5 -> 1.234,5 (in the active locale's separators)."""
    if value is None or value == "":
        return ""
    if type(value) is int and decimals is None:  # the common case in big tables: no locale lookups needed
        if -1000 < value < 1000:
            return str(value)
        return f"{value:,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))
    if decimals is None and isinstance(value, (Decimal, float)) and value == int(value):
        value = int(value)  # 95.00 -> 95
    elif decimals is None and isinstance(value, Decimal):
        value = value.normalize()  # 88.50 -> 88,5
    if decimals is not None:
        return formats.number_format(value, int(decimals), use_l10n=True, force_grouping=True)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


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


@register.filter
def audit_changes(changes) -> list:
    """An audit row's changes as (label, value) in words: "muộn: không", "hạn: 15/03/2027", "cũ → mới"."""

    return changes_text(changes)
