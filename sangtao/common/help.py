"""The user guide inside the app: docs/huong-dan-su-dung.md rendered, with its screenshots (docs/img)."""

import re
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

GUIDE = settings.BASE_DIR / "docs" / "huong-dan-su-dung.md"
IMAGES = settings.BASE_DIR / "docs" / "img"


@lru_cache(maxsize=1)
def _html(mtime: float) -> str:
    import markdown

    text = GUIDE.read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["toc"], output_format="html")
    return re.sub(r'src="img/([a-z0-9-]+\.png)"', r'src="/huong-dan/anh/\1" loading="lazy"', html)


@login_required
@require_safe
def guide(request):
    # The guide is our own file in the repository, rendered by python-markdown: not user input.
    return render(request, "help.html", {"guide": mark_safe(_html(GUIDE.stat().st_mtime))})  # noqa: S308  # nosec B308 B703


@login_required
@require_safe
def image(request, name):
    path = IMAGES / name
    if not re.fullmatch(r"[a-z0-9-]+\.png", name) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
