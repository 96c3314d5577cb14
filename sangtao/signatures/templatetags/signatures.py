"""{% signature_badge file %}: the stored signature check of a PDF, as a badge with details.

A page lists many PDFs (an inbox, a report's evidence, a letter's attachments); their checks are read in one query,
not one per badge: the first badge that needs a check not yet read collects every PDF the page's context holds —
file fields of the model instances in it, in lists, pages, dicts, dataclasses, querysets already evaluated and
relations already loaded, walked without touching the database — and reads their checks together. A list the
template had not evaluated yet when that happened is collected by its own first badge: a page costs one query per
such list, whatever its length. A file the walk cannot reach falls back to a query of its own."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from django import template
from django.core.paginator import Page
from django.db.models import FileField, Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.functional import LazyObject

from sangtao.signatures.domain import verifications_for
from sangtao.signatures.models import Verification

register = template.Library()
MAX_DEPTH = 6  # page → list → row → relation → relation → file
MAX_VISITS = 5000  # a bound on the walk of a huge context (past it, badges fall back to their own query)


@register.inclusion_tag("documents/_signature_badge.html", takes_context=True)
def signature_badge(context, file_or_record):
    """Accepts a FieldFile, a storage name, or a Verification. Reads the stored result (never re-verifies);
    a PDF stored before checks existed shows “chưa kiểm tra”, other files show nothing."""
    if isinstance(file_or_record, Verification):
        return {"v": file_or_record, "is_pdf": True}
    name = str(getattr(file_or_record, "name", file_or_record) or "")
    if not name.lower().endswith(".pdf"):
        return {"v": None, "is_pdf": False}
    return {"v": _check_of(context, name), "is_pdf": True}


def _check_of(context, name: str) -> Verification | None:
    # on the Context object: `{% include %}` renders with it, and Context.new() (an isolated include) copies it
    checks = context.__dict__.setdefault("_signature_checks", {})
    if name not in checks:
        wanted = {n for n in pdf_names(context.flatten()) if n not in checks} | {name}
        found = verifications_for(wanted)
        checks.update({n: found.get(n) for n in wanted})
    return checks[name]


def pdf_names(root) -> set[str]:
    """The storage names of the PDFs reachable from `root` without a database query."""
    names: set[str] = set()
    seen: set[int] = set()
    stack = [(root, 0)]
    while stack and len(seen) < MAX_VISITS:
        value, depth = stack.pop()
        if depth > MAX_DEPTH or id(value) in seen or isinstance(value, (str, bytes, LazyObject)):
            continue
        seen.add(id(value))
        if isinstance(value, FieldFile):
            if value.name and value.name.lower().endswith(".pdf"):
                names.add(value.name)
            continue
        stack.extend((child, depth + 1) for child in _children(value))
    return names


def _children(value) -> list:
    if isinstance(value, Model):
        out = [
            getattr(value, f.attname)
            for f in value._meta.concrete_fields
            if isinstance(f, FileField) and f.attname in value.__dict__
        ]
        out += list(value._state.fields_cache.values())  # relations select_related or already read
        return out + list(getattr(value, "_prefetched_objects_cache", {}).values())
    if isinstance(value, QuerySet):
        return list(value._result_cache or ())  # noqa: SLF001 — only a queryset already evaluated: the walk runs no query
    if isinstance(value, Page):
        return [value.object_list]
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if isinstance(value, SimpleNamespace):
        return list(vars(value).values())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [getattr(value, f.name, None) for f in dataclasses.fields(value)]
    return []
