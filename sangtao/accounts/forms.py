from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from sangtao.orgs.forms import OrgChoiceField
from sangtao.orgs.models import Organization, Person, Role

from .models import User


class UserCreateForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        widget=forms.PasswordInput(render_value=True),
        help_text=_("Ít nhất 10 ký tự; người dùng nên đổi sau lần đăng nhập đầu."),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    org = OrgChoiceField(label=_("Tại tổ chức (mã)"), queryset=Organization.objects.none())
    person_code = forms.CharField(label=_("Mã cá nhân (với vai trò Cá nhân)"), required=False)

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email"]
        labels = {
            "username": _("Tên đăng nhập"),
            "last_name": _("Họ và tên đệm"),
            "first_name": _("Tên"),
            "email": _("Thư điện tử"),
        }

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
                self.add_error(
                    "person_code", _("Vai trò Cá nhân cần mã của một cán bộ, đảng viên thuộc tổ chức đã chọn.")
                )
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


class CodeLockoutMixin:
    """A two-factor code (TOTP or recovery code), at login and when allauth asks again before a sensitive change,
    counts towards the same lockout as wrong passwords (django-axes: AXES_FAILURE_LIMIT per login name and
    address, AXES_COOLOFF_HOURS, lifted by an administrator's 'unlock'). allauth's own limiter is off
    (ACCOUNT_RATE_LIMITS), so without this a code could be guessed without limit. While locked, even the right
    code is refused."""

    def clean_code(self):

        request = context.request
        credentials = {"username": self.user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            request.axes_locked_out, request.axes_credentials = True, credentials  # AxesMiddleware answers 429
            raise forms.ValidationError(_("Tài khoản đang tạm khóa do nhập sai nhiều lần."), code="locked")
        try:
            return super().clean_code()
        except forms.ValidationError:
            user_login_failed.send(sender=type(self), credentials=credentials, request=request)
            raise


class LockingAuthenticateForm(CodeLockoutMixin, AuthenticateForm):
    pass


class LockingReauthenticateForm(CodeLockoutMixin, ReauthenticateForm):
    pass
