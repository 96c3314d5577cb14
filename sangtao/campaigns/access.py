"""Lookups scoped to what a user may see (Zulip's access_* helpers): the campaigns whose tree reaches the user's
scopes, a campaign by code, an organization of a campaign's tree. Anything else answers 404 — it does not exist
for this user. Every app's views use these; they are public here rather than private in campaigns.views."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from sangtao.orgs.models import Organization
from sangtao.orgs.rules import scopes, visible_org_q

from .models import Campaign


def visible_campaigns(user):
    """Campaigns whose root is inside one of the user's scopes or above it (a unit sees its province's campaign)."""
    if user.is_superuser:
        return Campaign.objects.all()
    step = Organization.steplen
    q = Q(pk__in=[])
    for s in scopes(user):
        prefixes = [s.path[: step * i] for i in range(1, len(s.path) // step + 1)]
        q |= Q(root__path__startswith=s.path) | Q(root__path__in=prefixes)
    return Campaign.objects.filter(q)


def get_campaign(user, code) -> Campaign:
    return get_object_or_404(visible_campaigns(user).select_related("root", "root__kind"), code=code)


def level_org(user, campaign, org_pk) -> Organization:
    """A level of the campaign's tree that the user may see."""
    org = get_object_or_404(Organization.objects.filter(visible_org_q(user)).select_related("kind"), pk=org_pk)
    if not org.path.startswith(campaign.root.path):
        raise Http404
    return org
