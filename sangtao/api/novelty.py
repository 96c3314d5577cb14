"""GET /api/v1/novelty/?q=… — the novelty check from the API, with the screens' rule (docs/rules.md, R6): for a
text, the most similar submitted models of any unit and year, by title, unit, year and similarity; the id and
the full record only of those the user may read (the registrations endpoint). `registration=<id>` checks one of
the user's own registrations instead (404 outside the user's scope) and marks its declared replication."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sangtao.registrations import novelty
from sangtao.registrations.models import Registration
from sangtao.registrations.rules import visible_q

MAX_LIMIT = 50


class NoveltyMatchSerializer(serializers.Serializer):  # for the schema
    score = serializers.FloatField(help_text="độ tương tự 0–1 (cosine TF-IDF, không bị cắt)")
    percent = serializers.IntegerField()
    level = serializers.ChoiceField(choices=["flag", "watch", "low"])
    declared_replication = serializers.BooleanField(help_text="đăng ký đã khai nhân rộng mô hình này")
    title = serializers.CharField()
    subject = serializers.CharField()
    year = serializers.IntegerField()
    campaign = serializers.CharField()
    id = serializers.IntegerField(allow_null=True, help_text="chỉ có khi người dùng được xem đăng ký này")


class NoveltyView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="novelty_check",
        parameters=[
            OpenApiParameter("q", str, description="tên (và điểm mới) của mô hình, có hoặc không dấu"),
            OpenApiParameter("registration", int, description="số đăng ký của mình cần kiểm tra"),
            OpenApiParameter("limit", int, description=f"số kết quả, 1–{MAX_LIMIT} (mặc định 10)"),
        ],
        responses={200: inline_serializer("NoveltyResult", {"results": NoveltyMatchSerializer(many=True)})},
    )
    def get(self, request):
        params = request.query_params
        # A number parameter sent empty ("?registration=") is malformed, not absent: refused like any other.
        for name in ("limit", "registration"):
            if name in params and not params[name].strip():
                raise exceptions.ValidationError({name: "Thiếu giá trị số."})
        try:
            limit = min(max(int(params.get("limit") or 10), 1), MAX_LIMIT)
        except ValueError:
            raise exceptions.ValidationError({"limit": "Số nguyên 1–50."}) from None
        reg_id = (params.get("registration") or "").strip()
        if reg_id:
            try:
                reg_pk = int(reg_id)
            except ValueError:
                raise exceptions.ValidationError({"registration": "Số đăng ký không hợp lệ."}) from None
            reg = get_object_or_404(Registration.objects.filter(visible_q(request.user)).distinct(), pk=reg_pk)
            matches = novelty.similar_to(reg, limit=limit)
        else:
            q = (params.get("q") or "").strip()  # under 3 characters: nothing to compare yet (as on the form)
            matches = novelty.similar(novelty.query_text(q), limit=limit) if len(q) >= 3 else []
        readable = set(
            Registration.objects.filter(
                visible_q(request.user), pk__in=[m.registration.pk for m in matches]
            ).values_list("pk", flat=True)
        )
        return Response(
            {
                "results": [
                    {
                        "score": round(m.score, 4),
                        "percent": m.percent,
                        "level": m.level,
                        "declared_replication": m.declared,
                        "title": m.registration.title,
                        "subject": m.registration.subject_name,
                        "year": m.registration.campaign.year,
                        "campaign": m.registration.campaign.code,
                        "id": m.registration.pk if m.registration.pk in readable else None,
                    }
                    for m in matches
                ]
            }
        )
