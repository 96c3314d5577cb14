"""Check the signatures of stored PDFs that have no stored result yet (files uploaded before signature checks
existed, or after new trust roots were installed with --recheck): every PDF of every FileField."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models

from sangtao.signatures import domain
from sangtao.signatures.models import Verification


class Command(BaseCommand):
    help = "Kiểm tra chữ ký số của các tệp PDF đã lưu chưa có kết quả (hoặc tất cả, với --recheck)."

    def add_arguments(self, parser):
        parser.add_argument("--recheck", action="store_true", help="Kiểm tra lại cả các tệp đã có kết quả.")

    def handle(self, *args, recheck=False, **options):
        checked = missing = 0
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, models.FileField) or getattr(field, "model", None) is not model:
                    continue
                names = (
                    model._default_manager.filter(**{f"{field.name}__iendswith": ".pdf"})
                    .values_list(field.name, flat=True)
                    .iterator()
                )
                for name in names:
                    if not recheck and Verification.objects.filter(path=name).exists():
                        continue
                    storage = field.storage
                    if not storage.exists(name):
                        missing += 1
                        continue
                    with storage.open(name, "rb") as stored:
                        domain.record_verification(name=name, data=stored.read())
                    checked += 1
        self.stdout.write(f"Đã kiểm tra {checked} tệp PDF; {missing} tệp không còn trong kho lưu trữ.")
