from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangtao.common.fields import DATE_WIDGET, DateField  # noqa: F401 — one bounded date field (issue 15/15)

from .models import Organization, OrgKind, Person, RoleAssignment


class OrgChoiceField(forms.ModelChoiceField):
    """An organization chosen by its code (what offices use), limited to a queryset."""

    widget = forms.TextInput(attrs={"list": "org-codes", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = _("Không tìm thấy tổ chức có mã này trong phạm vi của bạn.")

    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class OrgForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "place_name",
            "in_village",
            "private_enterprise",
            "cell_committee",
        ]


class NewOrgForm(OrgForm):
    valid_from = DateField(label=_("Hiệu lực từ ngày"), initial=timezone.localdate)
    decision = forms.CharField(label=_("Căn cứ (số quyết định)"), required=False, max_length=200)

    class Meta(OrgForm.Meta):
        fields = OrgForm.Meta.fields


class ChangeForm(forms.Form):
    day = DateField(label=_("Hiệu lực từ ngày"), initial=timezone.localdate)
    decision = forms.CharField(
        label=_("Căn cứ (số quyết định)"),
        required=False,
        max_length=200,
        help_text=_("Ví dụ: Quyết định số 123-QĐ/TU ngày 01/7/2025."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(ChangeForm):
    new_parent = OrgChoiceField(label=_("Chuyển về trực thuộc (mã tổ chức)"), queryset=Organization.objects.none())

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = queryset
        self.order_fields(["new_parent", "day", "decision", "note"])


class MergeForm(ChangeForm):
    target = OrgChoiceField(
        label=_("Tổ chức nhận hợp nhất (mã)"),
        queryset=Organization.objects.none(),
        help_text=_("Các tổ chức trực thuộc và cán bộ, đảng viên của tổ chức này chuyển sang tổ chức nhận."),
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = queryset
        self.order_fields(["target", "day", "decision", "note"])


class CloseForm(ChangeForm):
    cascade = forms.BooleanField(
        label=_("Giải thể cả các tổ chức trực thuộc (cán bộ, đảng viên thôi sinh hoạt tại đây)"), required=False
    )


class SplitPartForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=50)
    name = forms.CharField(label=_("Tên tổ chức mới"), max_length=255)
    kind = forms.ModelChoiceField(label=_("Loại"), queryset=OrgKind.objects.all())
    short_name = forms.CharField(label=_("Ký hiệu"), max_length=30, required=False)


class PersonForm(forms.ModelForm):
    org = OrgChoiceField(label=_("Tổ chức đảng (mã)"), queryset=Organization.objects.none())
    evaluating_org = OrgChoiceField(
        label=_("Cấp có thẩm quyền đánh giá, xếp loại (mã)"), queryset=Organization.objects.none(), required=False
    )

    class Meta:
        model = Person
        fields = ["code", "full_name", "org", "position", "is_leader", "is_party_member", "evaluating_org", "active"]

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = queryset
        self.fields["evaluating_org"].queryset = Organization.objects.all()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
    effective_date = DateField(
        label=_("Ngày hiệu lực cho tổ chức mới và thay đổi cấp trên"), initial=timezone.localdate
    )


class AsOfForm(forms.Form):
    ngay = DateField(label=_("Cây tổ chức tại ngày"), required=False)
    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False)


class RoleAssignmentForm(forms.ModelForm):
    org = OrgChoiceField(label=_("Tổ chức (mã)"), queryset=Organization.objects.none())

    class Meta:
        model = RoleAssignment
        fields = ["role", "org"]

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = queryset
