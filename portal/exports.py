"""Long exports off the request (docs/exports.md).

An export too large to write while the user waits becomes an `ExportJob`: `start` records it
and queues `portal.tasks.run_export` with Django's tasks framework (django-tasks and its
database backend: the queue is a table of the portal's own database); the worker
(`manage.py db_worker`, `make worker`) runs `run`, which writes the workbook with the same
sheets as the immediate download, keeps the job's progress up to date and stores the file
under MEDIA_ROOT/exports/. Only the requester (and superusers) see the job and its file.

The ground floor imports no app: what each kind of export writes is declared by the apps in
their AppConfig, `export_kinds = {"kind": "dotted.path.to.builder"}`; a builder takes the
user and the job's parameters and returns an `Export`.
"""

import datetime
import logging
import tempfile
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from portal.access import scope_label
from portal.excel import write_workbook
from portal.models import ExportJob

logger = logging.getLogger(__name__)


@dataclass
class Export:
    """What a builder hands back: the sheets and how the file is titled and named."""

    sheets: list
    filename: str
    heading: str
    scope_label: str
    criteria: list = field(default_factory=list)


def builders():
    """{kind: dotted path} from every installed app's `export_kinds`."""
    found = {}
    for config in apps.get_app_configs():
        found.update(getattr(config, "export_kinds", {}))
    return found


def build(kind, user, params):
    return import_string(builders()[kind])(user, params)


def start(request, kind, params, *, title, rows_total=None):
    """Record an export job for the requesting user and queue it for the worker."""
    from portal.tasks import run_export

    if kind not in builders():
        raise ValueError(f"Unknown export kind {kind!r}")
    job = ExportJob.objects.create(
        user=request.user,
        kind=kind,
        title=title,
        params=params,
        scope=scope_label(request.user),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows_total=rows_total,
    )
    result = run_export.enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])
    return job


def visible_jobs(user):
    """The jobs a user may see: their own; a superuser's, everyone's."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    jobs = ExportJob.objects.select_related("user")
    return jobs if user.is_superuser else jobs.filter(user=user)


class _Progress:
    """Writes the job's progress as the workbook is written (at most once a second, and
    whenever a sheet is begun)."""

    def __init__(self, job, sheets):
        self.job, self.sheets = job, list(sheets)
        self.finished_rows, self.current, self.saved_at = 0, None, None

    def __call__(self, spec, written):
        if spec is not self.current:
            if self.current is not None:
                self.finished_rows += self.current_rows
            self.current = spec
        self.current_rows = written
        job = self.job
        job.sheets_done = next(i for i, s in enumerate(self.sheets) if s is spec)
        job.rows_done = self.finished_rows + written
        now = timezone.now()
        if self.saved_at is None or (now - self.saved_at).total_seconds() >= 1:
            job.save(update_fields=["sheets_done", "rows_done"])
            self.saved_at = now


def run(job_id):
    """Run one queued job: build its sheets, write the file, mark it done (or failed, with a
    message in Chinese for its page)."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return
    job.status, job.started_at = ExportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    with translation.override(job.language):
        try:
            _write(job)
        except Exception as error:
            logger.exception("Export job %s (%s) failed", job.pk, job.kind)
            job.status = ExportJob.Status.FAILED
            job.error = _(
                "The file could not be written (%(reason)s). Please ask for it again; if it "
                "fails again, tell the system administrator the export's number, %(number)s."
            ) % {"reason": type(error).__name__, "number": job.pk}
        else:
            job.status = ExportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save()


def _write(job):
    export = build(job.kind, job.user, job.params)
    job.sheets_total = len(export.sheets)
    job.save(update_fields=["sheets_total"])
    progress = _Progress(job, export.sheets)
    with tempfile.TemporaryFile() as buffer:
        write_workbook(
            export.sheets,
            buffer,
            heading=export.heading,
            scope_label=export.scope_label,
            criteria=export.criteria,
            progress=progress,
        )
        buffer.seek(0)
        job.file.save(export.filename, File(buffer), save=False)
    job.filename = export.filename
    job.sheets_done = job.sheets_total
    if job.rows_total is not None:
        job.rows_done = job.rows_total


def prune(older_than_days, now=None):
    """Delete the files of jobs finished more than `older_than_days` ago, and the jobs;
    returns how many jobs went. Jobs left queued or running that long (a worker stopped
    mid-way) go too."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    old = ExportJob.objects.filter(Q(finished_at__lt=cutoff) | Q(created_at__lt=cutoff))
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
