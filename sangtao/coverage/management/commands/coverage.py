import json

from django.core.management.base import BaseCommand, CommandError

from sangtao.campaigns.models import Campaign
from sangtao.coverage.domain import compute, compute_from_scratch, forget
from sangtao.orgs.models import Organization


class Command(BaseCommand):
    help = "Tỷ lệ đăng ký, đúng hạn/muộn, đạt… của một tổ chức và từng đơn vị trực thuộc (SPEC §8)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="Mã đợt, ví dụ DK-2027")
        parser.add_argument("--org", help="Mã tổ chức (mặc định: cấp mở đợt)")
        parser.add_argument("--json", action="store_true", help="In JSON thay vì bảng")
        parser.add_argument(
            "--check",
            action="store_true",
            help="So số liệu lưu sẵn (tally) với tính lại từ đầu; khác nhau thì báo và thoát mã 1",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Xóa số liệu lưu sẵn của đợt và tính lại toàn bộ (sau khi sửa dữ liệu ngoài ứng dụng)",
        )

    def handle(self, *args, **opts):
        campaign = Campaign.objects.select_related("root").filter(code=opts["campaign"]).first()
        if campaign is None:
            raise CommandError(f"Không có đợt {opts['campaign']}.")
        org = campaign.root
        if opts["org"]:
            org = Organization.objects.filter(code=opts["org"]).first()
            if org is None or not org.path.startswith(campaign.root.path):
                raise CommandError(f"Không có tổ chức {opts['org']} trong đợt {campaign.code}.")
        if opts["rebuild"]:
            forget(campaign)
            compute(campaign, campaign.root)
            self.stdout.write(f"Đã tính lại số liệu của đợt {campaign.code}.")
        cov = compute(campaign, org)
        data = cov.as_dict()
        if opts["check"]:
            fresh = compute_from_scratch(campaign, org).as_dict()
            if fresh != data:
                rows = {c["code"]: c for c in data["children"]}
                for c in fresh["children"]:
                    if rows.get(c["code"]) != c:
                        self.stderr.write(f"Khác: {c['code']} lưu sẵn {rows.get(c['code'])} — tính lại {c}")
                if fresh["total"] != data["total"]:
                    self.stderr.write(f"Khác ở tổng: lưu sẵn {data['total']} — tính lại {fresh['total']}")
                raise CommandError("Số liệu lưu sẵn khác số liệu tính lại; chạy lại với --rebuild.")
            self.stdout.write("Số liệu lưu sẵn khớp với tính lại từ đầu.")
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        t = data["total"]
        self.stdout.write(f"{org.name} — {campaign.name}")
        self.stdout.write(
            f"Đăng ký {t['registered']}/{t['subjects']} ({t['registered_pct']}%), đúng hạn {t['on_time']}, "
            f"muộn {t['late']}, chưa {t['missing']}; đạt trở lên {t['rated']} ({t['rated_pct']}%)"
        )
        for c in data["children"]:
            self.stdout.write(
                f"  {c['code']:<14} {c['registered']:>6}/{c['subjects']:<6} {c['registered_pct'] or '—':>6}%  "
                f"muộn {c['late']:<5} đạt {c['rated']:<5} {c['name']}"
            )
