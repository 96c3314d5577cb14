def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.utils.functional import SimpleLazyObject

    from .models import Notification

    return {"unread_notifications": SimpleLazyObject(
        lambda: Notification.objects.filter(user=user, read_at__isnull=True).count())}
