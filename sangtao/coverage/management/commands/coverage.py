import json

from django.core.management.base import BaseCommand, CommandError

from sangtao.campaigns.models import Campaign
from sangtao.coverage.domain import compute
from sangtao.orgs.models import Organization


class Command(BaseCommand):
    help = "Tỷ lệ đăng ký, đúng hạn/muộn, đạt… của một tổ chức và từng đơn vị trực thuộc (SPEC §8)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="Mã đợt, ví dụ DK-2027")
        parser.add_argument("--org", help="Mã tổ chức (mặc định: cấp mở đợt)")
        parser.add_argument("--json", action="store_true", help="In JSON thay vì bảng")

    def handle(self, *args, **opts):
        campaign = Campaign.objects.select_related("root").filter(code=opts["campaign"]).first()
        if campaign is None:
            raise CommandError(f"Không có đợt {opts['campaign']}.")
        org = campaign.root
        if opts["org"]:
            org = Organization.objects.filter(code=opts["org"]).first()
            if org is None or not org.path.startswith(campaign.root.path):
                raise CommandError(f"Không có tổ chức {opts['org']} trong đợt {campaign.code}.")
        cov = compute(campaign, org)
        data = cov.as_dict()
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        t = data["total"]
        self.stdout.write(f"{org.name} — {campaign.name}")
        self.stdout.write(f"Đăng ký {t['registered']}/{t['subjects']} ({t['registered_pct']}%), đúng hạn {t['on_time']}, "
                          f"muộn {t['late']}, chưa {t['missing']}; đạt trở lên {t['rated']} ({t['rated_pct']}%)")
        for c in data["children"]:
            self.stdout.write(f"  {c['code']:<14} {c['registered']:>6}/{c['subjects']:<6} {c['registered_pct'] or '—':>6}%  "
                              f"muộn {c['late']:<5} đạt {c['rated']:<5} {c['name']}")
