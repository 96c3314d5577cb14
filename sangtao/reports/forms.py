from django import forms
from django.utils.translation import gettext_lazy as _

from sangtao.common.fields import ANY, DecimalField, filter_choice

from .models import ReportState


class ReportForm(forms.Form):
    """One text box per section of the campaign's outline and, per registered indicator, the value achieved
    and its explanation. Everything is optional while drafting; submission lists what is still missing."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sections, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections, self.indicators = sections, indicators
        for s in sections:
            label = f"{s['title']}{' *' if s['required'] else ''}"
            self.fields[f"s_{s['key']}"] = forms.CharField(
                label=label, help_text=s.get("guidance", ""), required=False, widget=forms.Textarea(attrs={"rows": 5})
            )
        for ind in indicators:
            self.fields[f"a_{ind.pk}"] = DecimalField(
                label=_("Đạt được (%(u)s)") % {"u": ind.unit},
                max_digits=16,
                decimal_places=2,
                required=False,
                localize=True,
            )
            self.fields[f"n_{ind.pk}"] = forms.CharField(
                label=_("Giải trình, nguồn số liệu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def section_fields(self):
        return [(s, self[f"s_{s['key']}"]) for s in self.sections]

    def indicator_fields(self):
        return [(ind, self[f"a_{ind.pk}"], self[f"n_{ind.pk}"]) for ind in self.indicators]

    def section_values(self) -> dict:
        return {s["key"]: self.cleaned_data.get(f"s_{s['key']}", "") for s in self.sections}

    def result_values(self) -> dict:
        return {
            ind.pk: {"achieved": self.cleaned_data.get(f"a_{ind.pk}"), "note": self.cleaned_data.get(f"n_{ind.pk}", "")}
            for ind in self.indicators
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng (PDF, DOCX, XLSX, JPG, PNG)"), required=False)
    claim = forms.ChoiceField(label=_("Minh chứng cho"), required=False)
    description = forms.CharField(label=_("Mô tả ngắn"), max_length=300, required=False)

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = [ANY, *claims]


class SectionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Tên mục"), max_length=300, required=False)
    guidance = forms.CharField(
        label=_("Gợi ý cho người viết"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)
    min_chars = forms.IntegerField(label=_("Tối thiểu (ký tự)"), min_value=0, max_value=5000, required=False)


SectionFormSet = forms.formset_factory(SectionForm, extra=2, max_num=30)


class ReportFilterForm(forms.Form):
    status = filter_choice(
        _("Tình trạng báo cáo"), [("none", _("Chưa viết")), *ReportState.choices, ("late", _("Nộp muộn"))]
    )
    q = forms.CharField(label=_("Tìm (tên mô hình, đơn vị, cá nhân)"), required=False)
