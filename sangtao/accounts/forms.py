from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from sangtao.orgs.forms import OrgChoiceField
from sangtao.orgs.models import Organization, Person, Role

from .models import User


class UserCreateForm(forms.ModelForm):
    password = forms.CharField(label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput(render_value=True),
                               help_text=_("Ít nhất 10 ký tự; người dùng nên đổi sau lần đăng nhập đầu."))
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    org = OrgChoiceField(label=_("Tại tổ chức (mã)"), queryset=Organization.objects.none())
    person_code = forms.CharField(label=_("Mã cá nhân (với vai trò Cá nhân)"), required=False)

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email"]
        labels = {"username": _("Tên đăng nhập"), "last_name": _("Họ và tên đệm"), "first_name": _("Tên"), "email": _("Thư điện tử")}

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = queryset

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.INDIVIDUAL:
            code = (data.get("person_code") or "").strip()
            person = Person.objects.filter(code=code, org=data.get("org")).first() if code else None
            if person is None:
                self.add_error("person_code", _("Vai trò Cá nhân cần mã của một cán bộ, đảng viên thuộc tổ chức đã chọn."))
            elif person.user_id:
                self.add_error("person_code", _("Cán bộ này đã có tài khoản."))
            data["person"] = person
        return data


class PasswordResetByAdminForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu mới"), widget=forms.PasswordInput)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password
