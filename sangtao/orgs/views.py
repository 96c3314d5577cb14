"""Views glue forms to the domain functions. Every view needs a login; objects are looked up inside the
user's visible subtree (404 outside it) and actions check the manage permission (403 otherwise)."""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from sangtao.common import audit_text, params
from sangtao.common.models import AuditEvent
from sangtao.common.text import fold
from sangtao.common.views import readable

from . import domain, forms
from .models import Organization, OrgEvent, OrgLink, Person, Role
from .rules import managed_org_q, scopes, visible_org_q


def visible_orgs(user):
    return Organization.objects.filter(visible_org_q(user))


def managed_orgs(user):
    return Organization.objects.filter(managed_org_q(user))


def get_visible_org(user, pk) -> Organization:
    return get_object_or_404(visible_orgs(user).select_related("kind"), pk=pk)


def get_managed_org(user, pk) -> Organization:
    org = get_visible_org(user, pk)
    if not user.has_perm("orgs.manage_org", org):
        raise PermissionDenied
    return org


def scope_roots(user) -> list[Organization]:
    """The topmost organizations the user can read (one per non-nested scope)."""
    if user.is_superuser:
        return list(Organization.objects.get_root_nodes().select_related("kind"))
    paths = sorted({s.path for s in scopes(user)})
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return list(Organization.objects.filter(path__in=tops).select_related("kind").order_by("name"))


def _breadcrumbs(org: Organization):
    return list(Organization.objects.get_ancestors(org).only("id", "name", "path", "depth"))


def _parse_day(request) -> dt.date | None:
    form = forms.AsOfForm(request.GET)
    if form.is_valid():
        return form.cleaned_data.get("ngay")
    return None


@login_required
@require_safe
def tree(request):
    form = forms.AsOfForm(request.GET or None)
    day = None
    results = None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data.get("ngay")
        query = fold(form.cleaned_data.get("q") or "")
        if query:
            qs = (
                visible_orgs(request.user)
                .filter(search_key__contains=query)
                .select_related("kind")
                .order_by("depth", "name")
            )
            page = Paginator(qs, 50).get_page(request.GET.get("page"))
            _attach_paths(page.object_list)
            results = page
    roots = scope_roots(request.user)
    if day:
        nodes = _as_of_children(request.user, None, day, roots)
    else:
        nodes = domain.children_with_counts(None, roots=roots)
    return render(
        request,
        "orgs/tree.html",
        {
            "form": form,
            "nodes": nodes,
            "day": day,
            "results": results,
            "today": timezone.localdate(),
        },
    )


def _attach_paths(orgs):
    """Ancestor names for search results: one query for all of them."""
    step = Organization.steplen
    needed = {o.path[: step * i] for o in orgs for i in range(1, o.depth)}
    names = dict(Organization.objects.filter(path__in=needed).values_list("path", "name"))
    for o in orgs:
        o.ancestor_names = [names[o.path[: step * i]] for i in range(1, o.depth) if o.path[: step * i] in names]


def _as_of_children(user, parent: Organization | None, day: dt.date, roots=None):
    """Children of `parent` (or the roots) as they stood on `day`, with subtree sizes on that day."""
    links = list(OrgLink.objects.filter(OrgLink.on(day)).values_list("org_id", "parent_id"))
    children_of: dict = {}
    for org_id, parent_id in links:
        children_of.setdefault(parent_id, []).append(org_id)
    present = {o for o, _p in links}
    sizes: dict[int, int] = {}

    def size(pk):
        if pk not in sizes:
            total, stack = 0, list(children_of.get(pk, []))
            while stack:
                c = stack.pop()
                total += 1
                stack.extend(children_of.get(c, []))
            sizes[pk] = total
        return sizes[pk]

    if parent is not None:
        ids = children_of.get(parent.pk, [])
    else:
        ids = [r.pk for r in roots if r.pk in present]
    nodes = list(
        Organization.objects.filter(pk__in=ids).filter(visible_org_q(user)).select_related("kind").order_by("name")
    )
    names = domain.names_as_of(day, [n.pk for n in nodes])
    for n in nodes:
        n.name = names.get(n.pk, n.name)
        n.subtree_orgs = size(n.pk)
        n.subtree_people = None
        n.has_children = n.subtree_orgs > 0
    return nodes


@login_required
@require_safe
def tree_children(request, pk):
    org = get_visible_org(request.user, pk)
    day = _parse_day(request)
    if day:
        nodes = _as_of_children(request.user, org, day)
    else:
        nodes = domain.children_with_counts(org)
    return render(request, "orgs/_tree_nodes.html", {"nodes": nodes, "day": day})


@login_required
@require_safe
def org_detail(request, pk):
    org = get_visible_org(request.user, pk)
    people = Paginator(
        org.people.filter(active=True).select_related("evaluating_org").order_by("-is_leader", "full_name"), 100
    )
    events = (
        OrgEvent.objects.filter(Q(sources=org) | Q(targets=org))
        .distinct()
        .prefetch_related("sources", "targets")
        .select_related("actor")
    )[:50]
    return render(
        request,
        "orgs/org_detail.html",
        {
            "org": org,
            "ancestors": _breadcrumbs(org),
            "parent": org.parent_org,
            "children": domain.children_with_counts(org),
            "people": people.get_page(request.GET.get("page")),
            "excluded": domain.is_excluded(org),
            "events": events,
            "can_manage": request.user.has_perm("orgs.manage_org", org),
        },
    )


def _domain_errors(form, exc: domain.DomainError):
    for message in exc.messages:
        form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request, pk):
    org = get_managed_org(request.user, pk)
    form = forms.OrgForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_org(
                actor=request.user, org=org, **{f: form.cleaned_data[f] for f in forms.OrgForm.Meta.fields}
            )
        except domain.DomainError as exc:
            _domain_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin tổ chức."))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": _("Sửa thông tin tổ chức")})


@login_required
@require_http_methods(["GET", "POST"])
def org_add_child(request, pk):
    parent = get_managed_org(request.user, pk)
    form = forms.NewOrgForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = domain.create_org(
                actor=request.user,
                parent=parent,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                valid_from=data["valid_from"],
                short_name=data["short_name"],
                in_village=data["in_village"],
                private_enterprise=data["private_enterprise"],
                place_name=data["place_name"],
                decision=data["decision"],
            )
        except domain.DomainError as exc:
            _domain_errors(form, exc)
        else:
            messages.success(request, _("Đã thành lập “%(o)s”.") % {"o": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        "orgs/form.html",
        {"org": parent, "form": form, "title": _("Thành lập tổ chức trực thuộc “%(o)s”") % {"o": parent.name}},
    )


def _change_view(form_class, title, change, needs_queryset=True):
    """The view of one change of the tree (move, merge, close): its form, whose fields are the arguments of
    `change(actor=…, org=…, **fields)`, on the page titled `title`."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        org = get_managed_org(request.user, pk)
        kwargs = {"queryset": managed_orgs(request.user).filter(valid_to__isnull=True)} if needs_queryset else {}
        form = form_class(request.POST or None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                result = change(actor=request.user, org=org, **form.cleaned_data)
            except domain.DomainError as exc:
                _domain_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận biến động tổ chức."))
                return redirect("orgs:detail", pk=result.pk)
        return render(
            request,
            "orgs/form.html",
            {"org": org, "form": form, "title": title % {"o": org.name}, "org_codes": kwargs.get("queryset")},
        )

    return view


def _merge_into(*, actor, org, **fields):
    return domain.merge_orgs(actor=actor, sources=[org], **fields)


org_move = _change_view(forms.MoveForm, gettext_lazy("Điều chuyển “%(o)s”"), domain.move_org)
org_merge = _change_view(forms.MergeForm, gettext_lazy("Hợp nhất “%(o)s” vào tổ chức khác"), _merge_into)
org_close = _change_view(forms.CloseForm, gettext_lazy("Giải thể “%(o)s”"), domain.close_org, needs_queryset=False)


@login_required
@require_http_methods(["GET", "POST"])
def org_split(request, pk):
    org = get_managed_org(request.user, pk)
    children = list(domain.active_children(org).order_by("name"))
    people = list(org.people.filter(active=True).order_by("full_name"))
    n_parts = params.small_int(request.POST.get("n_parts") or request.GET.get("n_parts"), 2, 2, 10)
    change = forms.ChangeForm(request.POST or None, prefix="c")
    parts = [forms.SplitPartForm(request.POST or None, prefix=f"p{i}") for i in range(n_parts)]
    assignment_errors = []
    for child in children:
        child.selected = request.POST.get(f"child-{child.pk}", "")
    for person in people:
        person.selected = request.POST.get(f"person-{person.pk}", "")
    if request.method == "POST" and change.is_valid() and all(p.is_valid() for p in parts):
        specs = [
            domain.NewOrgSpec(
                code=p.cleaned_data["code"],
                name=p.cleaned_data["name"],
                kind=p.cleaned_data["kind"],
                short_name=p.cleaned_data["short_name"],
            )
            for p in parts
        ]
        for child in children:
            idx = request.POST.get(f"child-{child.pk}", "")
            if idx.isdigit() and int(idx) < n_parts:
                specs[int(idx)].children.append(child.pk)
        for person in people:
            idx = request.POST.get(f"person-{person.pk}", "")
            if idx.isdigit() and int(idx) < n_parts:
                specs[int(idx)].people.append(person.pk)
        try:
            created = domain.split_org(
                actor=request.user,
                source=org,
                parts=specs,
                day=change.cleaned_data["day"],
                decision=change.cleaned_data["decision"],
                note=change.cleaned_data["note"],
            )
        except domain.DomainError as exc:
            assignment_errors = exc.messages
        else:
            messages.success(
                request, _("Đã chia tách “%(o)s” thành %(n)d tổ chức.") % {"o": org.name, "n": len(created)}
            )
            return redirect("orgs:detail", pk=created[0].pk)
    return render(
        request,
        "orgs/split.html",
        {
            "org": org,
            "change": change,
            "parts": parts,
            "n_parts": n_parts,
            "children": children,
            "people": people,
            "posted": request.POST,
            "assignment_errors": assignment_errors,
        },
    )


@login_required
@require_safe
def org_history(request, pk):
    org = get_managed_org(request.user, pk)
    history = org.history.select_related("history_user").order_by("-history_date")[:200]
    events = AuditEvent.objects.filter(object_type="orgs.organization", object_id=str(org.pk)).select_related("actor")[
        :200
    ]
    return render(request, "orgs/history.html", {"org": org, "history": history, "events": events})


# --- people ----------------------------------------------------------------------------------------------


def get_visible_person(user, pk, act: str | None = None) -> Person:
    """The person the user may see (404 otherwise) and, when named, `act` on (403 otherwise)."""
    return readable(
        user, Person.objects.select_related("org", "evaluating_org", "user"), pk, read="orgs.view_person", act=act
    )


@login_required
@require_safe
def person_detail(request, pk):
    person = get_visible_person(request.user, pk)
    return render(
        request,
        "orgs/person_detail.html",
        {
            "person": person,
            "can_manage": request.user.has_perm("orgs.manage_person", person),
            "history": person.history.select_related("history_user").order_by("-history_date")[:50]
            if request.user.has_perm("orgs.manage_person", person)
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk=None, org_pk=None):
    person = None
    if pk is not None:
        person = get_visible_person(request.user, pk, act="orgs.manage_person")
        org = person.org
    else:
        org = get_managed_org(request.user, org_pk)
    queryset = managed_orgs(request.user).filter(valid_to__isnull=True)
    initial = {} if person else {"org": org.code, "evaluating_org": (org.parent_org or org).code}
    form = forms.PersonForm(
        request.POST or None,
        instance=Person.objects.get(pk=person.pk) if person else None,
        queryset=queryset,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = domain.save_person(
                actor=request.user, person=person, **{f: form.cleaned_data[f] for f in forms.PersonForm.Meta.fields}
            )
        except domain.DomainError as exc:
            _domain_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cán bộ, đảng viên “%(p)s”.") % {"p": saved.full_name})
            return redirect("orgs:person", pk=saved.pk)
    title = (
        _("Sửa thông tin cán bộ, đảng viên") if person else _("Thêm cán bộ, đảng viên vào “%(o)s”") % {"o": org.name}
    )
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": title, "org_codes": queryset})


@login_required
@require_safe
def people_search(request):
    query = fold(request.GET.get("q", ""))
    qs = Person.objects.none()
    if query:
        qs = (
            Person.objects.filter(visible_org_q(request.user, "org__"), search_key__contains=query)
            .select_related("org")
            .order_by("full_name")
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/people_search.html", {"page": page, "q": request.GET.get("q", "")})


@login_required
@require_safe
def audit_log(request):
    """The whole audit trail, for admins whose scope is a root of the tree (the province board)."""
    roots = {s.path for s in scopes(request.user) if s.role == Role.ADMIN and len(s.path) == Organization.steplen}
    if not (roots or request.user.is_superuser):
        raise PermissionDenied
    qs = AuditEvent.objects.select_related("actor")
    action = request.GET.get("action", "")
    if action in audit_text.GROUPS:  # a group of actions, chosen by its name
        prefixes = audit_text.GROUPS[action][1]
        qs = qs.filter(reduce(operator.or_, (Q(action__startswith=p) for p in prefixes)))
    elif action:  # a code's beginning, as links written before the groups still carry (“org.”)
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    groups = [(key, label) for key, (label, _prefixes) in audit_text.GROUPS.items()]
    return render(request, "orgs/audit_log.html", {"page": page, "action": action, "groups": groups})
