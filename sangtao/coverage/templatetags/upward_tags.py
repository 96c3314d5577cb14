"""`{% upward_changes rep as changes %}`: what changed since an upward report froze its figures (upward.changes_since)."""

from django import template

register = template.Library()


@register.simple_tag
def upward_changes(report):
    from sangtao.coverage.upward import changes_since

    return changes_since(report)
