from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sangtao.common.models import HistoryIPMixin


class User(AbstractUser):
    """A login. What it may do comes from its role assignments (orgs.RoleAssignment)."""

    history = HistoricalRecords(bases=[HistoryIPMixin], excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("Tài khoản")
        verbose_name_plural = _("Tài khoản")

    def get_full_name(self):
        """Vietnamese order: family and middle names, then the given name."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def __str__(self):
        return self.get_full_name() or self.username
