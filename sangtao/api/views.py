"""REST API v1 (read): the same permission rules as the screens — every list holds only what the user may see,
every object outside the user's subtree answers 404. Token authentication (a key made on "Tài khoản của tôi")
or the browser session."""

from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sangtao.appraisals.models import Appraisal
from sangtao.appraisals.rules import visible_results_q
from sangtao.campaigns.access import visible_campaigns
from sangtao.campaigns.models import Campaign
from sangtao.common.text import fold
from sangtao.coverage.domain import compute
from sangtao.orgs.models import Organization, Person
from sangtao.orgs.rules import READ_ROLES, reaches, visible_org_q
from sangtao.registrations.models import Indicator, Registration
from sangtao.registrations.rules import visible_q
from sangtao.reports.models import ResultsReport

from . import serializers as s


def _param(request, name):
    return (request.query_params.get(name) or "").strip()


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A read-only collection: `visible()`, what the user may see, narrowed by the list's `filters` — each a query
    parameter, what it filters (a field lookup, or a function of the queryset and the value) and its description
    (the schema's, through `filtered`)."""

    permission_classes = [permissions.IsAuthenticated]
    filters: tuple[tuple[str, Any, str], ...] = ()

    def visible(self):
        raise NotImplementedError

    def get_queryset(self):
        qs = self.visible()
        for param, by, _description in self.filters:
            if value := _param(self.request, param):
                qs = by(qs, value) if callable(by) else qs.filter(**{by: value})
        return qs


def filtered(viewset):
    """The viewset, with its filters documented as its list's query parameters."""
    parameters = [OpenApiParameter(param, str, description=text) for param, _by, text in viewset.filters]
    return extend_schema_view(list=extend_schema(parameters=parameters))(viewset)


def _children_of(qs, code):
    parent = Organization.objects.filter(code=code).first()
    return qs.filter(path__startswith=parent.path, depth=parent.depth + 1) if parent else qs.none()


@filtered
class OrganizationViewSet(ReadOnly):
    """Organizations of the party tree the user may see. Filters: `q` (name or code, with or without
    diacritics), `parent` (code), `kind`."""

    serializer_class = s.OrganizationSerializer
    queryset = Organization.objects.none()  # for the schema; get_queryset filters by permission
    lookup_field = "code"
    filters = (
        ("q", lambda qs, q: qs.filter(search_key__contains=fold(q)), "tên hoặc mã, có hoặc không dấu"),
        ("parent", _children_of, "mã tổ chức cấp trên"),
        ("kind", "kind__code", "mã loại tổ chức"),
    )

    def visible(self):
        return Organization.objects.filter(visible_org_q(self.request.user)).select_related("kind").order_by("path")

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        page = getattr(self, "_page_paths", None)
        if page is not None:
            ctx["parents"] = dict(Organization.objects.filter(path__in=page).values_list("path", "code"))
        return ctx

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._page_paths = {o.path[: -Organization.steplen] for o in (page or [])}
        return page

    def get_object(self):
        obj = super().get_object()
        self._page_paths = {obj.path[: -Organization.steplen]}
        return obj


@filtered
class PersonViewSet(ReadOnly):
    """People (cadres, party members) of visible organizations. Filters: `org` (code), `leader` (true/false)."""

    serializer_class = s.PersonSerializer
    queryset = Person.objects.none()
    lookup_field = "code"
    filters = (
        ("org", "org__code", "mã tổ chức"),
        ("leader", lambda qs, leader: qs.filter(is_leader=leader.lower() in ("1", "true", "yes")), "true/false"),
    )

    def visible(self):
        user = self.request.user
        return (
            Person.objects.filter(visible_org_q(user, "org__") | Q(user=user))
            .select_related("org", "evaluating_org")
            .order_by("org__path", "full_name")
        )


class CampaignViewSet(ReadOnly):
    """Campaigns the user takes part in; `coverage` gives SPEC §8 figures for an organization of it."""

    serializer_class = s.CampaignSerializer
    queryset = Campaign.objects.none()
    lookup_field = "code"

    def visible(self):
        return visible_campaigns(self.request.user).select_related("root").order_by("-year", "code")

    @extend_schema(
        parameters=[OpenApiParameter("org", str, description="Organization code (default: the root)")],
        responses={200: dict},
    )
    @action(detail=True)
    def coverage(self, request, code=None):
        campaign = self.get_object()
        org = campaign.root
        if code_ := _param(request, "org"):
            org = get_object_or_404(Organization, code=code_)
        if not org.path.startswith(campaign.root.path) or not (
            reaches(request.user, org, READ_ROLES) or request.user.is_superuser
        ):
            raise exceptions.NotFound
        return Response(compute(campaign, org, limit=settings.SANGTAO_COVERAGE_INLINE_LIMIT).as_dict())


class ById(ReadOnly):
    """Objects known by their number: registrations and what follows them, listed by campaign."""

    lookup_value_regex = r"\d+"
    filters = (("campaign", "registration__campaign__code", "mã đợt"),)


def _readable_registrations(user):
    return Registration.objects.filter(visible_q(user)).values("pk")


@filtered
class RegistrationViewSet(ById):
    """Registrations the user may read. Filters: `campaign` (code), `state`, `org` (subject organization code),
    `kind` (collective/individual)."""

    serializer_class = s.RegistrationSerializer
    queryset = Registration.objects.none()
    filters = (
        ("campaign", "campaign__code", "mã đợt"),
        ("state", "state", "trạng thái"),
        ("org", "subject_org__code", "mã tổ chức đăng ký"),
        ("kind", "subject_kind", "collective/individual"),
    )

    def visible(self):
        return (
            Registration.objects.filter(visible_q(self.request.user))
            .exclude(state="draft")
            .select_related("campaign", "subject_org", "person", "receiving_org")
            .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("order")))
            .order_by("-id")
            .distinct()
        )


@filtered
class ReportViewSet(ById):
    """Results reports that have been sent, of registrations the user may read. Filter: `campaign` (code)."""

    serializer_class = s.ReportSerializer
    queryset = ResultsReport.objects.none()

    def visible(self):
        return (
            ResultsReport.objects.filter(first_submitted_at__isnull=False)
            .filter(registration__in=_readable_registrations(self.request.user))
            .prefetch_related("results__indicator", "evidence")
            .order_by("-id")
        )


@filtered
class AppraisalViewSet(ById):
    """Appraisals: the appraising level and the levels above see all of theirs; a unit sees its own once
    published. Filter: `campaign` (code)."""

    serializer_class = s.AppraisalSerializer
    queryset = Appraisal.objects.none()

    def visible(self):

        # The publication rule (appraisals.rules.can_see_result), within the models the user may read at all:
        # an individual cadre sees the results of their own models only.
        return (
            Appraisal.objects.filter(visible_results_q(self.request.user))
            .filter(registration__in=_readable_registrations(self.request.user))
            .select_related("appraising_org", "rubric", "registration")
            .order_by("-id")
            .distinct()
        )
