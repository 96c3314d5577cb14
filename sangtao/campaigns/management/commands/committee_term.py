"""Record a committee's term (nhiệm kỳ), from its congress: `manage.py committee_term LD-DUK 15/07/2025 [--to dd/mm/yyyy]
[--name "Nhiệm kỳ 2025 – 2030"]`. Documents it issues are numbered from 01 in each term (docs/rules.md C8)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sangtao.campaigns import domain
from sangtao.campaigns.models import CommitteeTerm
from sangtao.common.fields import validate_date_window
from sangtao.orgs.models import Organization


def _day(text: str) -> dt.date:
    try:
        day = dt.datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 — a calendar day, no time
    except ValueError as exc:
        raise CommandError(f"Ngày “{text}” không đúng dạng dd/mm/yyyy.") from exc
    try:
        validate_date_window(day)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
    return day


class Command(BaseCommand):
    help = "Ghi nhiệm kỳ của một cấp ủy (số văn bản chạy từ 01 trong mỗi nhiệm kỳ)."

    def add_arguments(self, parser):
        parser.add_argument("org")
        parser.add_argument("starts_on", nargs="?")
        parser.add_argument("--to", dest="ends_on")
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts):
        org = Organization.objects.filter(code=opts["org"]).first()
        if org is None:
            raise CommandError(f"Không có tổ chức mã “{opts['org']}”.")
        if opts["starts_on"]:
            try:
                domain.set_term(
                    actor=None,
                    org=org,
                    starts_on=_day(opts["starts_on"]),
                    ends_on=_day(opts["ends_on"]) if opts["ends_on"] else None,
                    name=opts["name"],
                )
            except domain.CampaignError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        for term in CommitteeTerm.objects.filter(org=org):
            end = f"{term.ends_on:%d/%m/%Y}" if term.ends_on else "…"
            self.stdout.write(f"{org.code}\t{term.starts_on:%d/%m/%Y} – {end}\t{term.name}")
