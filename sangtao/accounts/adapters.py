from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators, never by self sign-up."""

    def is_open_for_signup(self, request):
        return False


def axes_username(request, credentials):
    """django-axes: the login name, whether it arrives as allauth's credentials or the login form's field."""
    if credentials:
        name = credentials.get("username") or credentials.get("login")
        if name:
            return str(name).strip().lower()
    if request is not None and request.method == "POST":
        return request.POST.get("login", "").strip().lower()
    return ""
