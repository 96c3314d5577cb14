import logging

from celery import shared_task
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sangtao.campaigns.models import Campaign
from sangtao.common import jobs
from sangtao.common.jobs import set_progress

from . import exports, reminders
from .domain import make_fresh, refresh_asked_key
from .models import Export, TallyDirty
from .reminders import due_reminders

logger = logging.getLogger(__name__)


def may_start(user, kind: str, org) -> bool:
    """Who may start a background job for a level: a round of reminders, those who act for it; a workbook,
    those who read the level (its officers, appraisers, viewers and admins, and those above) — not an
    individual cadre, who sees only their own registrations."""
    return user.has_perm("campaigns.act_for" if kind == "reminders" else "campaigns.read_level", org)


@shared_task(acks_late=True)
def run_export(export_id: int):
    """Build a workbook (or send a round of reminders) in the background, with progress for the page."""

    job = Export.objects.select_related("campaign", "org", "user").get(pk=export_id)
    if job.status in (Export.Status.DONE, Export.Status.FAILED):
        return job.status  # a redelivered task does nothing

    def progress(pct, msg):
        set_progress("export", job.pk, pct, msg)

    Export.objects.filter(pk=job.pk).update(status=Export.Status.RUNNING)
    try:
        with translation.override("vi"):
            if not may_start(job.user, job.kind, job.org):  # checked again: roles may have changed since the click
                raise PermissionError(_("Tài khoản không còn quyền xem cấp này."))  # noqa: TRY301 — ends the job as failed
            if job.kind == "reminders":
                n = reminders.remind_missing_now(actor=job.user, campaign=job.campaign, org=job.org, progress=progress)
                job.file_name = str(n)
            else:
                data = exports.build(job.kind, job.campaign, job.org, progress, user=job.user)
                job.file_name = f"{'tong-hop' if job.kind == 'coverage' else 'ket-qua-cuoi-nam'}-{job.campaign.code}-{job.org.code}.xlsx"
                job.file.save(f"{job.kind}-{job.pk}.xlsx", ContentFile(data), save=False)
        job.status = Export.Status.DONE
    except Exception as exc:  # the job ends in a state the user sees
        logger.exception("export %s failed", job.pk)
        job.status, job.error = Export.Status.FAILED, str(exc)[:500]
    job.finished_at = timezone.now()
    job.save()
    set_progress("export", job.pk, 100, "")
    return job.status


@shared_task
def send_due_reminders():

    return len(due_reminders())


@jobs.sweeper
def requeue_stale_exports(cutoff) -> int:
    """Exports and bulk reminders still unfinished since before `cutoff` are dispatched again (common.tasks)."""
    stale = list(
        Export.objects.filter(
            status__in=[Export.Status.QUEUED, Export.Status.RUNNING], created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for job_id in stale:
        Export.objects.filter(pk=job_id).update(status=Export.Status.QUEUED)
        run_export.delay(job_id)
    return len(stale)


@shared_task
def refresh_tallies(campaign_id: int | None = None):
    """Recompute what the triggers marked dirty, for every campaign with marks, so that pages rarely wait for it
    (a deadline moved at the root marks a whole campaign). Runs every minute (beat), or for one campaign when a
    page found too much to recompute itself (its first read); a page still recomputes what is left under it."""

    done = 0
    campaigns = (
        Campaign.objects.filter(pk=campaign_id)
        if campaign_id
        else Campaign.objects.filter(pk__in=TallyDirty.objects.values("campaign_id"))
    )
    for campaign in campaigns.select_related("root"):
        done += max(0, make_fresh(campaign, campaign.root))
        cache.delete(refresh_asked_key(campaign.pk))  # a page may ask again
    return done
