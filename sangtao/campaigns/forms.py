from django import forms
from django.core.exceptions import ValidationError
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from sangtao.common.fields import DATE_WIDGET, DateField
from sangtao.documents import placeholders
from sangtao.orgs.forms import OrgChoiceField
from sangtao.orgs.models import Organization

from .domain import LETTER_SCHEMA
from .models import CAMPAIGN_TERMS, Campaign, CampaignLevel, Document, LetterTemplate


class CampaignForm(forms.ModelForm):
    root = OrgChoiceField(label=_("Cấp mở đợt (mã tổ chức)"), queryset=Organization.objects.none())
    registration_deadline = DateField(label=_("Hạn đăng ký của các cấp trực thuộc"))
    results_deadline = DateField(label=_("Hạn báo cáo kết quả"))
    tree_date = DateField(label=_("Cây tổ chức tính theo ngày"), required=False, help_text=_("Để trống: ngày mở đợt."))

    class Meta:
        model = Campaign
        fields = ["root", "code", "name", "year", *CAMPAIGN_TERMS, "tree_date"]
        widgets = {"legal_bases": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = queryset if queryset is not None else Organization.objects.none()


class CampaignEditForm(CampaignForm):
    class Meta(CampaignForm.Meta):
        fields = ["name", *CAMPAIGN_TERMS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("root", "tree_date"):
            self.fields.pop(name, None)


class CascadeForm(forms.ModelForm):
    registration_deadline = DateField(
        label=_("Hạn đăng ký cho các cấp trực thuộc"), required=False, help_text=_("Để trống: dùng hạn của cấp trên.")
    )
    results_deadline = DateField(label=_("Hạn báo cáo kết quả cho các cấp trực thuộc"), required=False)

    class Meta:
        model = CampaignLevel
        fields = ["registration_deadline", "results_deadline", "target_registered", "target_rated", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "parent_name",
            "issuer_name",
            "symbol",
            "place",
            "subject",
            "salutation",
            "body",
            "attachment_note",
            "copies_to",
            "signature",
            "signer_title",
            "signer_name",
            "token_signing",
            "recipients",
        ]
        widgets = {
            "salutation": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "copies_to": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "token_signing": _(
                "Khi ban hành, văn bản được cấp số rồi chờ người ký tải bản PDF về, ký bằng USB token và tải lên bản "
                "đã ký; chỉ khi bản ký được chấp nhận văn bản mới gửi đến nơi nhận. Không áp dụng cho đăng ký bằng "
                "văn bản và báo cáo tổng hợp gửi cấp trên: các văn bản này gửi đi cùng hồ sơ, ký bằng chứng thư số của "
                "cơ quan (nếu đã cài) hoặc không ký số."
            )
        }

    def __init__(self, *args, recipients_queryset=None, token_signing=True, **kwargs):
        """`token_signing=False`: a draft issued by another app's step (campaigns.papers.issue_step) goes out with
        that app's work, so it cannot wait for a token signature — the box is not offered."""
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = (
            recipients_queryset if recipients_queryset is not None else Organization.objects.none()
        )
        self.fields["recipients"].required = False
        if not token_signing:
            del self.fields["token_signing"]
        if self.instance.kind == Document.Kind.BB:  # a biên bản's left block is its secretary, not “Nơi nhận”
            self.fields["copies_to"].label = _("Người ký bên trái (thư ký)")
            self.fields["copies_to"].help_text = _("Chức danh (THƯ KÝ) rồi dòng cuối là họ tên người ký.")


class LetterTemplateForm(forms.ModelForm):
    """The province board's letter template: only the placeholders of domain.LETTER_SCHEMA, the tags if/for and a
    few text filters; anything else is refused with the list of what may be used (issue 15 item 6)."""

    class Meta:
        model = LetterTemplate
        fields = ["name", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}
        help_texts = {"body": _("Chỉ dùng các biến liệt kê ở trên và hai thẻ if, for.")}

    @staticmethod
    def allowed_text() -> str:
        return ", ".join(placeholders.allowed_names(LETTER_SCHEMA))

    def _checked(self, field):
        text = self.cleaned_data[field]
        try:
            placeholders.check(text, LETTER_SCHEMA)
        except TemplateSyntaxError as exc:
            raise ValidationError(
                _(
                    "Mẫu có lỗi cú pháp hoặc dùng thẻ không được phép (%(e)s). Chỉ dùng được {%% if %%}, {%% for %%} "
                    "và các biến: %(allowed)s."
                )
                % {"e": exc, "allowed": self.allowed_text()}
            ) from None
        except placeholders.PlaceholderError as exc:
            raise ValidationError(
                _("Mẫu dùng biến không được phép: %(bad)s. Chỉ dùng được các biến: %(allowed)s.")
                % {"bad": ", ".join(exc.problems), "allowed": self.allowed_text()}
            ) from None
        return text

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        return self._checked("body")


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tài liệu gửi kèm (PDF, DOCX, XLSX)"))


__all__ = [
    "DATE_WIDGET",
    "AttachmentForm",
    "CampaignEditForm",
    "CampaignForm",
    "CascadeForm",
    "DocumentForm",
    "LetterTemplateForm",
]
