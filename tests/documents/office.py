"""Reading our documents the way a clerk's office suite does: LibreOffice headless converts the .docx to PDF, and
poppler gives each page's text and a PNG of page 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/system-deps.sh"
)


def _run(args: list[str], timeout: int = 180) -> str:
    """LibreOffice or a poppler tool (fixed programs) on a file the test wrote; its standard output."""
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=timeout).stdout


def docx_to_pdf(data: bytes, folder: Path, name: str = "doc", ext: str = "docx") -> Path:
    src = folder / f"{name}.{ext}"
    src.write_bytes(data)
    profile = folder / f"lo-profile-{uuid.uuid4().hex[:8]}"
    _run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(src),
        ]
    )
    return folder / f"{name}.pdf"


def save_pdf(data: bytes, folder: Path, name: str) -> Path:
    path = folder / f"{name}.pdf"
    path.write_bytes(data)
    return path


def page_count(pdf: Path) -> int:
    info = _run([shutil.which("pdfinfo") or "pdfinfo", str(pdf)])
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pages(pdf: Path) -> list[str]:
    """Each page's text (layout kept), in order."""
    text = _run([shutil.which("pdftotext") or "pdftotext", "-layout", str(pdf), "-"])
    out = text.split("\f")
    return out[:-1] if out and not out[-1].strip() else out


def first_page_png(pdf: Path, out: Path, dpi: int = 60) -> Path:
    _run(
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(out),
        ]
    )
    return out.with_suffix(".png")


def guide_png(pdf: Path, folder: Path, name: str) -> Path:
    """Page 1 as the user guide shows it (docs/img/<name>.png, 60 dpi): written to `folder`, and also to
    $SANGTAO_GUIDE_SHOTS when set (`SANGTAO_GUIDE_SHOTS=docs/img pytest tests/documents` refreshes the guide's)."""
    png = first_page_png(pdf, folder / name)
    assert png.stat().st_size > 10_000, name
    target = os.environ.get("SANGTAO_GUIDE_SHOTS")
    if target:
        shutil.copyfile(png, Path(target) / f"{name}.png")
    return png


def check_pages(pdf: Path, signer: str) -> list[str]:
    """The party format's page rules, as read from the rendered pages: no number on page 1; page n ≥ 2 starts with
    its number; the last page holds more than the signature block (SPEC §8a, docs/rules.md D2, D3)."""
    texts = pages(pdf)
    first_lines = [next((ln.strip() for ln in t.splitlines() if ln.strip()), "") for t in texts]
    assert first_lines[0] != "1", "page 1 must not be numbered"
    for n, line in enumerate(first_lines[1:], start=2):
        assert line == str(n), f"page {n} starts with “{line}”, not its number"
    last = [ln.strip() for ln in texts[-1].splitlines() if ln.strip()]
    signature_only = {
        str(len(texts)),
        signer,
        "T/M BAN THƯỜNG VỤ",
        "T/M ĐẢNG ỦY",
        "T/M CHI BỘ",
        "BÍ THƯ",
        "TRƯỞNG BAN",
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "CHÁNH VĂN PHÒNG",
    }
    assert any(
        ln not in signature_only and not (signer and signer in ln) and not ln.startswith(("Nơi nhận", "- "))
        for ln in last
    ), f"last page holds only the signature: {last}"
    return texts
