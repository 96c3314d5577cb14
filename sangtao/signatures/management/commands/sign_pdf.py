"""Sign a PDF with a PKCS#12 certificate, as a USB token's software does — for demos, the user guide and tests of
the “Chờ ký số” flow: `manage.py sign_pdf --p12 var/demo-ky-so/truong-van-hai.p12 --passphrase ky-so-mau in.pdf
out.pdf`. The same signing code as the app's (PAdES over the whole file, the visible stamp); the file it writes is
the input with a signature appended, which is what the app accepts."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sangtao.documents import signing
from sangtao.signatures import domain


class Command(BaseCommand):
    help = "Ký số một tệp PDF bằng tệp chứng thư số .p12 (thay cho phần mềm ký của USB token khi chạy thử)."

    def add_arguments(self, parser):
        parser.add_argument("--p12", required=True, help="Tệp chứng thư số (.p12, .pfx).")
        parser.add_argument("--passphrase", default="", help="Mật khẩu của tệp chứng thư số.")
        parser.add_argument("input", help="Tệp PDF cần ký.")
        parser.add_argument("output", help="Tệp PDF đã ký sẽ ghi ra.")

    def handle(self, *args, p12, passphrase, input, output, **options):  # noqa: A002 — the argument's name
        try:
            identity = signing.load_identity(Path(p12).read_bytes(), passphrase)
            data = Path(input).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp: {exc}") from None
        except signing.SigningError as exc:
            raise CommandError(str(exc)) from None
        signed = signing.sign_pdf(
            data, identity, font_path=domain.setting("SANGTAO_SIGNATURE_FONT", signing.DEFAULT_FONT)
        )
        Path(output).write_bytes(signed)
        cert = identity.certificate
        self.stdout.write(f"Đã ký {input} → {output}: {cert.common_name} ({cert.email or '—'}), số hiệu {cert.serial}.")
