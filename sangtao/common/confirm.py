"""Irreversible acts are confirmed after a preview (issue 16): submitting a score sheet, signing off, publishing,
issuing a letter, sending a report upward. The view calls `confirmed(request)` first; when the person has not yet
confirmed, it answers `preview(...)`: a page that shows what will go out and carries the very same POST data as
hidden fields, so that "Xác nhận" sends exactly what was previewed. Nothing is written before that.

    if not confirm.confirmed(request):
        return confirm.preview(request, title=…, lead=…, rows=[(label, value), …], action=_("Ký duyệt"),
                               back=url, warning=_("Sau khi ký duyệt, kết quả bị khóa."))
"""

from django.shortcuts import render

FIELD = "xac_nhan"


def confirmed(request) -> bool:
    return request.POST.get(FIELD) == "1"


def preview(request, *, title, lead="", rows=(), items=(), text="", action, back, warning="", problems=()):
    """The confirmation page. `rows`: (label, value) pairs shown as a table; `items`: lines shown as a list;
    `text`: a document's body, shown as its paragraphs; `problems`: reasons the act cannot be done yet (the
    confirm button is then not offered)."""
    carried = [
        (key, value)
        for key in request.POST
        for value in request.POST.getlist(key)
        if key not in ("csrfmiddlewaretoken", FIELD)
    ]
    return render(
        request,
        "common/confirm.html",
        {
            "title": title,
            "lead": lead,
            "rows": rows,
            "items": items,
            "paragraphs": [line for line in text.splitlines() if line.strip()],
            "action": action,
            "back": back,
            "warning": warning,
            "problems": problems,
            "carried": carried,
            "target": request.get_full_path(),
        },
    )
