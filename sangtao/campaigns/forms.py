from django import forms
from django.utils.translation import gettext_lazy as _

from sangtao.orgs.forms import DATE_WIDGET, DateField, OrgChoiceField
from sangtao.orgs.models import Organization

from .models import Campaign, CampaignLevel, Document


class CampaignForm(forms.ModelForm):
    root = OrgChoiceField(label=_("Cấp mở đợt (mã tổ chức)"), queryset=Organization.objects.none())
    registration_deadline = DateField(label=_("Hạn đăng ký của các cấp trực thuộc"))
    results_deadline = DateField(label=_("Hạn báo cáo kết quả"))
    tree_date = DateField(label=_("Cây tổ chức tính theo ngày"), required=False,
                          help_text=_("Để trống: ngày mở đợt."))

    class Meta:
        model = Campaign
        fields = ["root", "code", "name", "year", "legal_bases", "theme", "guidance", "registration_deadline",
                  "results_deadline", "target_registered", "target_rated", "rated_base", "late_policy", "tree_date"]
        widgets = {"legal_bases": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = queryset if queryset is not None else Organization.objects.none()


class CampaignEditForm(CampaignForm):
    class Meta(CampaignForm.Meta):
        fields = ["name", "legal_bases", "theme", "guidance", "registration_deadline", "results_deadline",
                  "target_registered", "target_rated", "rated_base", "late_policy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("root", "tree_date"):
            self.fields.pop(name, None)


class CascadeForm(forms.ModelForm):
    registration_deadline = DateField(label=_("Hạn đăng ký cho các cấp trực thuộc"), required=False,
                                      help_text=_("Để trống: dùng hạn của cấp trên."))
    results_deadline = DateField(label=_("Hạn báo cáo kết quả cho các cấp trực thuộc"), required=False)

    class Meta:
        model = CampaignLevel
        fields = ["registration_deadline", "results_deadline", "target_registered", "target_rated", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["parent_name", "issuer_name", "symbol", "place", "subject", "salutation", "body",
                  "attachment_note", "copies_to", "signature", "signer_title", "signer_name", "recipients"]
        widgets = {
            "salutation": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "copies_to": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, recipients_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients_queryset if recipients_queryset is not None else Organization.objects.none()
        self.fields["recipients"].required = False


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tài liệu gửi kèm (PDF, DOCX, XLSX)"))


__all__ = ["CampaignForm", "CampaignEditForm", "CascadeForm", "DocumentForm", "AttachmentForm", "DATE_WIDGET"]
