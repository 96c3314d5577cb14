"""Editable letter templates that can reach only plain values (issue 15, item 6).

A template is written in a small subset of Django's template syntax: ``{{ name }}``, ``{{ a.b }}`` where the
schema says ``a`` has a key ``b``, ``{% if %}``, ``{% for x in list %}`` and a handful of text filters. It is
rendered by its own Engine that knows no other tag or filter (no ``{% load %}``, ``{% include %}``, ``{% url %}``…)
and over a context of plain values only — strings, numbers, lists and dicts built by the caller. Before
rendering, and when a template is saved, every variable is checked against the schema, so a template can never
name an object, call a method or walk a relation (``issuer.role_assignments.all…``), nor look up an attribute of
a plain value (``committee.upper``).

The schema is a nested structure: ``TEXT`` for a plain value, a dict for a mapping (its keys are the allowed
names), a one-element list ``[item_schema]`` for a list.
"""

from __future__ import annotations

from django.template import Context, Library, defaultfilters, defaulttags
from django.template.base import FilterExpression, Node, NodeList, VariableNode
from django.template.defaulttags import ForNode, IfNode
from django.template.engine import Engine

TEXT = "text"
LOOP = {"counter": TEXT, "counter0": TEXT, "revcounter": TEXT, "first": TEXT, "last": TEXT}

register = Library()
register.tag("if", defaulttags.do_if)
register.tag("for", defaulttags.do_for)
register.tag("comment", defaulttags.comment)
SAFE_FILTERS = ("upper", "lower", "capfirst", "title", "default", "join", "length", "first", "last", "yesno")
for name in SAFE_FILTERS:
    register.filter(name, getattr(defaultfilters, name))


@register.filter(name="date")
def date_text(value, _arg=None):
    """Dates reach a template already written dd/mm/yyyy; ``|date:"d/m/Y"`` (older templates) keeps them."""
    return value


class _PlainEngine(Engine):
    default_builtins = []  # replaces Django's tag/filter set, on purpose


ENGINE = _PlainEngine(builtins=[__name__], libraries={}, loaders=[], autoescape=False, string_if_invalid="")


class PlaceholderError(ValueError):
    """The template names something it may not reach; ``problems`` lists each, ``allowed`` the names it may."""

    def __init__(self, problems: list[str], allowed: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.allowed = allowed


def allowed_names(schema: dict, prefix: str = "") -> list[str]:
    """Every placeholder a person may write, for the form's error and help text."""
    names = []
    for key, sub in schema.items():
        name = f"{prefix}{key}"
        if isinstance(sub, dict):
            names.extend(allowed_names(sub, f"{name}."))
        elif isinstance(sub, list):
            names.append(f"{name} ({{% for … in {name} %}})")
        else:
            names.append(name)
    return names


def _lookup(schema, bits: tuple[str, ...]):
    """The schema a dotted name reaches, or None where it leaves the schema."""
    current = schema
    for bit in bits:
        if isinstance(current, dict) and bit in current:
            current = current[bit]
        elif isinstance(current, list) and bit.isdigit():
            current = current[0]
        else:
            return None
    return current


def _expression_vars(expr: FilterExpression):
    yield expr.var
    for _func, args in expr.filters:
        for is_lookup, arg in args:
            if is_lookup:
                yield arg


def _condition_exprs(cond):
    if cond is None:
        return
    value = getattr(cond, "value", None)
    if isinstance(value, FilterExpression):
        yield value
    for side in ("first", "second"):
        part = getattr(cond, side, None)
        if part is not None:
            yield from _condition_exprs(part)


def _check_expr(expr: FilterExpression, scope: dict, problems: list[str]):
    for var in _expression_vars(expr):
        if getattr(var, "literal", None) is not None or not getattr(var, "lookups", None):
            continue
        if _lookup(scope, var.lookups) is None:
            problems.append(var.var)


def _walk(nodes: NodeList, scope: dict, problems: list[str]):
    for node in nodes:
        if isinstance(node, VariableNode):
            _check_expr(node.filter_expression, scope, problems)
        elif isinstance(node, ForNode):
            _check_expr(node.sequence, scope, problems)
            seq = _lookup(scope, node.sequence.var.lookups or ()) if hasattr(node.sequence.var, "lookups") else None
            item = seq[0] if isinstance(seq, list) else TEXT
            inner = dict(scope, forloop=LOOP)
            if len(node.loopvars) == 1:
                inner[node.loopvars[0]] = item
            else:
                inner.update(dict.fromkeys(node.loopvars, TEXT))
            _walk(node.nodelist_loop, inner, problems)
            _walk(node.nodelist_empty, scope, problems)
        elif isinstance(node, IfNode):
            for cond, nodelist in node.conditions_nodelists:
                for expr in _condition_exprs(cond):
                    _check_expr(expr, scope, problems)
                _walk(nodelist, scope, problems)
        elif isinstance(node, Node):
            for attr in node.child_nodelists:
                _walk(getattr(node, attr, None) or NodeList(), scope, problems)


def check(text: str, schema: dict) -> None:
    """Raise TemplateSyntaxError (unknown tag or filter, broken syntax) or PlaceholderError (a name outside
    the schema)."""
    template = ENGINE.from_string(text)
    problems: list[str] = []
    _walk(template.nodelist, schema, problems)
    if problems:
        raise PlaceholderError(sorted(set(problems)), allowed_names(schema))


def render(text: str, context: dict, schema: dict) -> str:
    """Checked first, then rendered over `context` (plain values only)."""
    check(text, schema)
    return ENGINE.from_string(text).render(Context(context, autoescape=False))
