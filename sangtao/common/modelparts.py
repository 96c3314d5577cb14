"""Pieces several apps' models are built from: a link that may be empty, the kept version of a paper at each step
of its workflow, and the pair of constraints that make a row unique per subject (a collective or an individual)."""

from django.conf import settings
from django.db import models


def optional_fk(to, verbose_name=None, *, on_delete, related_name: str = "+") -> models.ForeignKey:
    """A link that may be empty: null in the database, left blank in forms."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, null=True, blank=True, on_delete=on_delete, related_name=related_name
    )


class KeptVersion(models.Model):
    """A paper as it stood at one step of its workflow (sent, returned, accepted…), kept unchanged. A subclass adds
    the paper it belongs to (with `related_name="versions"`), the `state` it was left in and its uniqueness."""

    number = models.PositiveIntegerField()
    action = models.CharField(max_length=20)
    snapshot = models.JSONField()
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["number"]


def unique_per_subject(
    *fields: str, org: str = "subject_org", collective: str, individual: str
) -> list[models.UniqueConstraint]:
    """One row per campaign, subject and `fields`, where the subject is an organization (collective, no person) or
    a person (individual). Two partial constraints, because SQLite has no NULLS NOT DISTINCT; `collective` and
    `individual` name them."""
    return [
        models.UniqueConstraint(
            fields=["campaign", org, *fields], condition=models.Q(person__isnull=True), name=collective
        ),
        models.UniqueConstraint(
            fields=["campaign", "person", *fields], condition=models.Q(person__isnull=False), name=individual
        ),
    ]
