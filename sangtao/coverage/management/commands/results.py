import json

from django.core.management.base import BaseCommand, CommandError

from sangtao.appraisals.domain import subject_rows
from sangtao.campaigns.models import Campaign


class Command(BaseCommand):
    help = "Kết quả thẩm định của từng chủ thể và từng mô hình trong một đợt."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="Mã đợt, ví dụ DK-2027")
        parser.add_argument("--json", action="store_true", help="In JSON thay vì bảng")

    def handle(self, *args, **opts):
        campaign = Campaign.objects.filter(code=opts["campaign"]).first()
        if campaign is None:
            raise CommandError(f"Không có đợt {opts['campaign']}.")
        rows = [
            {
                "subject": r.name,
                "kind": r.kind,
                "org_code": r.org.code,
                "person_code": r.person.code if r.person else None,
                "result": str(r.final) if r.final is not None else None,
                "classification": r.classification or None,
                "bonuses": {k: str(v) for k, v in (r.result.bonuses if r.result else {}).items()},
                "models": [
                    {
                        "title": reg.title,
                        "late": reg.late,
                        "score": str(ap.total) if ap else None,
                        "classification": ap.classification if ap else None,
                        "appraisal_round": ap.number if ap else None,
                    }
                    for reg, ap in r.models
                ],
                "unregistered_basis": r.unregistered.basis if r.unregistered else None,
            }
            for r in subject_rows(campaign)
        ]
        if opts["json"]:
            self.stdout.write(json.dumps({"campaign": campaign.code, "subjects": rows}, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['result'] or '—':>6}  {row['classification'] or '':<10} {row['subject']}")
            for m in row["models"]:
                self.stdout.write(f"        {m['score'] or '—':>6}  {m['classification'] or '':<10} {m['title']}")
