"""REST API v1 (read): the same permission rules as the screens — every list holds only what the user may see,
every object outside the user's subtree answers 404. Token authentication (a key made on "Tài khoản của tôi")
or the browser session."""

from django.conf import settings
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sangtao.appraisals.models import Appraisal
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


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]


def _param(request, name):
    return (request.query_params.get(name) or "").strip()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="tên hoặc mã, có hoặc không dấu"),
            OpenApiParameter("parent", str, description="mã tổ chức cấp trên"),
            OpenApiParameter("kind", str, description="mã loại tổ chức"),
        ]
    )
)
class OrganizationViewSet(ReadOnly):
    """Organizations of the party tree the user may see. Filters: `q` (name or code, with or without
    diacritics), `parent` (code), `kind`."""

    serializer_class = s.OrganizationSerializer
    queryset = Organization.objects.none()  # for the schema; get_queryset filters by permission
    lookup_field = "code"

    def get_queryset(self):
        qs = Organization.objects.filter(visible_org_q(self.request.user)).select_related("kind").order_by("path")
        if q := _param(self.request, "q"):
            qs = qs.filter(search_key__contains=fold(q))
        if parent := _param(self.request, "parent"):
            p = Organization.objects.filter(code=parent).first()
            qs = qs.filter(path__startswith=p.path, depth=p.depth + 1) if p else qs.none()
        if kind := _param(self.request, "kind"):
            qs = qs.filter(kind__code=kind)
        return qs

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


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("org", str, description="mã tổ chức"),
            OpenApiParameter("leader", str, description="true/false"),
        ]
    )
)
class PersonViewSet(ReadOnly):
    """People (cadres, party members) of visible organizations. Filters: `org` (code), `leader` (true/false)."""

    serializer_class = s.PersonSerializer
    queryset = Person.objects.none()
    lookup_field = "code"

    def get_queryset(self):
        user = self.request.user
        qs = (
            Person.objects.filter(visible_org_q(user, "org__") | Q(user=user))
            .select_related("org", "evaluating_org")
            .order_by("org__path", "full_name")
        )
        if org := _param(self.request, "org"):
            qs = qs.filter(org__code=org)
        if leader := _param(self.request, "leader"):
            qs = qs.filter(is_leader=leader.lower() in ("1", "true", "yes"))
        return qs


class CampaignViewSet(ReadOnly):
    """Campaigns the user takes part in; `coverage` gives SPEC §8 figures for an organization of it."""

    serializer_class = s.CampaignSerializer
    queryset = Campaign.objects.none()
    lookup_field = "code"

    def get_queryset(self):
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


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("campaign", str, description="mã đợt"),
            OpenApiParameter("state", str, description="trạng thái"),
            OpenApiParameter("org", str, description="mã tổ chức đăng ký"),
            OpenApiParameter("kind", str, description="collective/individual"),
        ]
    )
)
class RegistrationViewSet(ReadOnly):
    """Registrations the user may read. Filters: `campaign` (code), `state`, `org` (subject organization code),
    `kind` (collective/individual)."""

    serializer_class = s.RegistrationSerializer
    queryset = Registration.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = (
            Registration.objects.filter(visible_q(self.request.user))
            .exclude(state="draft")
            .select_related("campaign", "subject_org", "person", "receiving_org")
            .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("order")))
            .order_by("-id")
            .distinct()
        )
        for param, field in (
            ("campaign", "campaign__code"),
            ("state", "state"),
            ("org", "subject_org__code"),
            ("kind", "subject_kind"),
        ):
            if value := _param(self.request, param):
                qs = qs.filter(**{field: value})
        return qs


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("campaign", str, description="mã đợt")]))
class ReportViewSet(ReadOnly):
    """Results reports that have been sent, of registrations the user may read. Filter: `campaign` (code)."""

    serializer_class = s.ReportSerializer
    queryset = ResultsReport.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = (
            ResultsReport.objects.filter(first_submitted_at__isnull=False)
            .filter(registration__in=Registration.objects.filter(visible_q(self.request.user)).values("pk"))
            .prefetch_related("results__indicator", "evidence")
            .order_by("-id")
        )
        if campaign := _param(self.request, "campaign"):
            qs = qs.filter(registration__campaign__code=campaign)
        return qs


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("campaign", str, description="mã đợt")]))
class AppraisalViewSet(ReadOnly):
    """Appraisals: the appraising level and the levels above see all of theirs; a unit sees its own once
    published. Filter: `campaign` (code)."""

    serializer_class = s.AppraisalSerializer
    queryset = Appraisal.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        from sangtao.appraisals.rules import visible_results_q

        # The publication rule (appraisals.rules.can_see_result), within the models the user may read at all:
        # an individual cadre sees the results of their own models only.
        qs = (
            Appraisal.objects.filter(visible_results_q(self.request.user))
            .filter(registration__in=Registration.objects.filter(visible_q(self.request.user)).values("pk"))
            .select_related("appraising_org", "rubric", "registration")
            .order_by("-id")
            .distinct()
        )
        if campaign := _param(self.request, "campaign"):
            qs = qs.filter(registration__campaign__code=campaign)
        return qs
