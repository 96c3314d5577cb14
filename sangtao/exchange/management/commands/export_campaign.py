from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sangtao.campaigns.models import Campaign
from sangtao.exchange.campaign_excel import export_campaign


class Command(BaseCommand):
    help = "Xuất cả một đợt ra tệp Excel theo đúng mẫu nhập (nhập lại được)."

    def add_arguments(self, parser):
        parser.add_argument("campaign")
        parser.add_argument("file")

    def handle(self, *args, **opts):
        campaign = Campaign.objects.select_related("root").filter(code=opts["campaign"]).first()
        if campaign is None:
            raise CommandError(f"Không có đợt {opts['campaign']}.")
        Path(opts["file"]).write_bytes(export_campaign(campaign))
        self.stdout.write(f"Đã xuất {campaign.code} ra {opts['file']}.")
