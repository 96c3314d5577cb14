from rest_framework import serializers

from sangtao.appraisals.models import Appraisal
from sangtao.campaigns.models import CAMPAIGN_TERMS, Campaign
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import DESCRIPTION_FIELDS, Indicator, Registration
from sangtao.reports.models import ResultsReport


class OrganizationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")
    parent = serializers.SerializerMethodField()
    excluded = serializers.BooleanField(source="flagged_excluded")

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "depth",
            "in_village",
            "private_enterprise",
            "excluded",
            "place_name",
            "valid_from",
            "valid_to",
        ]

    def get_parent(self, obj) -> str | None:
        return self.context.get("parents", {}).get(obj.path[: -Organization.steplen])


class PersonSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code")
    evaluating_org = serializers.CharField(source="evaluating_org.code", default=None, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "code",
            "full_name",
            "org",
            "position",
            "is_leader",
            "is_party_member",
            "evaluating_org",
            "active",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    root = serializers.CharField(source="root.code")

    class Meta:
        model = Campaign
        fields = ["code", "name", "year", "root", *CAMPAIGN_TERMS, "tree_date", "status"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "baseline", "target"]


class RegistrationSerializer(serializers.ModelSerializer):
    campaign = serializers.CharField(source="campaign.code")
    subject_org = serializers.CharField(source="subject_org.code")
    # null for a collective's registration: the schema says so (schemathesis ST108 caught it saying "string")
    person = serializers.CharField(source="person.code", default=None, allow_null=True)
    receiving_org = serializers.CharField(source="receiving_org.code")
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "campaign",
            "subject_kind",
            "subject_org",
            "person",
            "receiving_org",
            *DESCRIPTION_FIELDS,
            "state",
            "first_submitted_at",
            "deadline",
            "late",
            "not_new",
            "indicators",
        ]


class ReportSerializer(serializers.ModelSerializer):
    registration = serializers.IntegerField(source="registration_id")
    results = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = ResultsReport
        fields = [
            "id",
            "registration",
            "state",
            "sections",
            "results",
            "evidence",
            "first_submitted_at",
            "last_submitted_at",
            "deadline",
            "late",
            "return_reason",
        ]

    def get_results(self, obj) -> list[dict]:
        return [
            {
                "indicator": r.indicator_id,
                "name": r.indicator.name,
                "achieved": str(r.achieved) if r.achieved is not None else None,
                "note": r.note,
            }
            for r in obj.results.all()
        ]

    def get_evidence(self, obj) -> list[dict]:
        return [
            {
                "id": e.id,
                "claim": e.claim,
                "name": e.original_name,
                "size": e.size,
                "sha256": e.sha256,
                "url": f"/minh-chung/{e.id}/",
            }
            for e in obj.evidence.all()
        ]


class AppraisalSerializer(serializers.ModelSerializer):
    registration = serializers.IntegerField(source="registration_id")
    appraising_org = serializers.CharField(source="appraising_org.code")
    rubric = serializers.SerializerMethodField()

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "registration",
            "number",
            "is_current",
            "appraising_org",
            "rubric",
            "state",
            "scores",
            "total",
            "classification",
            "signed_at",
            "published_at",
            "reappraisal_reason",
        ]

    def get_rubric(self, obj) -> str:
        return f"{obj.rubric.code} v{obj.rubric.version}"
