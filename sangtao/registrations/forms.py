from django import forms
from django.utils.translation import gettext_lazy as _

from sangtao.common.fields import DecimalField, filter_choice
from sangtao.orgs.forms import DateField

from .domain import FIELDS
from .models import ContentArea, Field, Registration
from .workflow import State


class RegistrationForm(forms.ModelForm):
    content_areas = forms.MultipleChoiceField(
        label=_("Nội dung (HD 09, mục I.1)"),
        choices=ContentArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fields = forms.MultipleChoiceField(
        label=_("Lĩnh vực"), choices=Field.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    starts_on = DateField(label=_("Bắt đầu"), required=False)
    ends_on = DateField(label=_("Kết thúc"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    replicates = forms.ModelChoiceField(  # nhân rộng: by its number, shown beside each similar model
        label=_("Nhân rộng mô hình số (nếu có)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        queryset=Registration.objects.exclude(state=State.DRAFT),
        help_text=_(
            "Nếu đơn vị áp dụng lại một mô hình đã đăng ký (đơn vị khác, năm trước), ghi số của mô hình đó: "
            "kiểm tra tính mới sẽ ghi “đã khai nhân rộng” thay vì coi là trùng."
        ),
        error_messages={"invalid_choice": _("Không có mô hình đã đăng ký mang số này.")},
    )

    class Meta:
        model = Registration
        fields = FIELDS
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "novelty": forms.Textarea(attrs={"rows": 4}),
            "method": forms.Textarea(attrs={"rows": 4}),
            "theme_link": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "novelty": _("Điều gì mới so với cách làm trước đây và so với đơn vị khác; không ghi việc thường xuyên."),
            "method": _("Các bước, người thực hiện, nguồn lực."),
        }


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Chỉ tiêu"), max_length=300, required=False)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=50, required=False)
    baseline = DecimalField(label=_("Hiện trạng"), max_digits=16, decimal_places=2, required=False, localize=True)
    target = DecimalField(label=_("Mục tiêu"), max_digits=16, decimal_places=2, required=False, localize=True)

    def clean(self):
        data = super().clean()
        if data.get("name"):
            if not data.get("unit"):
                self.add_error("unit", _("Ghi đơn vị tính."))
            if data.get("target") is None:
                self.add_error("target", _("Ghi mục tiêu bằng số."))
        elif data.get("unit") or data.get("target") is not None:
            self.add_error("name", _("Ghi tên chỉ tiêu."))
        return data


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=0, min_num=3, max_num=20)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FilterForm(forms.Form):
    state = filter_choice(_("Trạng thái"), State.choices)
    field = filter_choice(_("Lĩnh vực"), Field.choices)
    kind = filter_choice(_("Chủ thể"), Registration.SubjectKind.choices)
    late = filter_choice(_("Thời hạn"), [("late", _("Nộp muộn")), ("on_time", _("Đúng hạn"))])
    flag = filter_choice(
        _("Tính mới"),
        [("similar", _("Có mô hình tương tự từ 60% trở lên")), ("not_new", _("Đánh dấu chưa có tính mới"))],
    )
    q = forms.CharField(label=_("Tìm (tên mô hình, đơn vị, cá nhân)"), required=False)
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[
            ("-updated_at", _("Mới cập nhật")),
            ("title", _("Tên mô hình")),
            ("first_submitted_at", _("Ngày gửi")),
            ("subject_org__name", _("Đơn vị")),
        ],
    )


def example_post(**fields) -> dict:
    """What the registration create form sends when a person types a model with one indicator and presses “Lưu”;
    `fields` add to it or replace what it has (the token, the organization `to_chuc`, the title …)."""
    return {
        "title": "Hóa đơn điện tử toàn tỉnh",
        "content_areas": ["product"],
        "fields": ["kinh_te"],
        "novelty": "Mới",
        "method": "Làm",
        "ind-TOTAL_FORMS": "3",
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "3",
        "ind-MAX_NUM_FORMS": "20",
        "ind-0-name": "Tỷ lệ",
        "ind-0-unit": "%",
        "ind-0-target": "80",
        "save": "1",
        **fields,
    }
