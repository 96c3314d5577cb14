from sangtao.orgs.rules import scopes


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_scopes": scopes(user)}
