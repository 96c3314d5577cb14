from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateUploadForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Cơ quan"), coerce=int)
    file = forms.FileField(label=_("Tệp chứng thư số (.p12, .pfx)"))
    passphrase = forms.CharField(label=_("Mật khẩu của tệp"), widget=forms.PasswordInput, required=False, strip=False)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]


class TrustRootForm(forms.Form):
    file = forms.FileField(label=_("Chứng thư gốc (.cer, .crt, .pem, .der)"))


class CheckForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF cần kiểm tra"))
