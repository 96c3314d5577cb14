"""Form fields that read numbers and dates the way a Vietnamese office types them, and the choice a list's
filter offers."""

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")


class DecimalField(forms.DecimalField):
    """Accepts 1.234,5 and 1234,5 (and 1234.5) where the decimal separator is a comma; where it is a point
    (English), 1,234.5 and 1234.5."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "")
            if get_format("DECIMAL_SEPARATOR") == ",":
                if _GROUPED.fullmatch(value):
                    value = value.replace(".", "")
            else:
                value = value.replace(",", "")
        return super().to_python(value)


def plain(value):
    """A stored decimal as a person would type it again: 72.50 -> 72.5, 3.00 -> 3."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def date_window() -> tuple[dt.date, dt.date]:
    """The dates a person may type anywhere (issue 15 item 15): from 1/1 of SANGTAO_DATE_MIN_YEAR to 31/12 of
    the current year + SANGTAO_DATE_MAX_YEARS_AHEAD. 01/01/0001 or 31/12/9999 is a typing slip, not a plan."""
    today = timezone.localdate()
    return (
        dt.date(settings.SANGTAO_DATE_MIN_YEAR, 1, 1),
        dt.date(today.year + settings.SANGTAO_DATE_MAX_YEARS_AHEAD, 12, 31),
    )


def validate_date_window(value: dt.date | None) -> None:
    if value is None:
        return
    first, last = date_window()
    if not first <= value <= last:
        raise ValidationError(
            _("Ngày %(d)s nằm ngoài khoảng cho phép (từ %(a)s đến %(b)s)."),
            code="date_window",
            params={
                "d": value.strftime("%d/%m/") + f"{value.year:04d}",
                "a": first.strftime("%d/%m/%Y"),
                "b": last.strftime("%d/%m/%Y"),
            },
        )


DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy (or yyyy-mm-dd), inside date_window(); the error keeps what was typed."""

    widget = DATE_WIDGET
    default_validators = [validate_date_window]

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)


ANY = ("", "—")  # a filter's blank choice: no filtering


def filter_choice(label, choices=()) -> forms.ChoiceField:
    """A list filter's optional choice: “—” (any), then `choices`."""
    return forms.ChoiceField(label=label, required=False, choices=[ANY, *choices])
