"""The user's exports (我的导出): the list of their recent export jobs, one job's page with
its progress, and its file once written. Another user's job answers 404, as does its file."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from portal.exports import visible_jobs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT = 50
# While a job is queued or running its page fetches itself this often and shows the fresh
# state (static/portal/export_job.js; a timed <meta> reload fails WCAG 2.2.1 and axe).
REFRESH_SECONDS = 3


@login_required
def export_list(request):
    jobs = visible_jobs(request.user).filter(user=request.user)[:RECENT]
    return render(
        request,
        "portal/export_list.html",
        {
            "jobs": jobs,
            "keep_days": settings.EXPORT_KEEP_DAYS,
            "refresh": REFRESH_SECONDS if any(job.in_progress for job in jobs) else None,
        },
    )


@login_required
def export_job(request, pk):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    return render(
        request,
        "portal/export_job.html",
        {"job": job, "refresh": REFRESH_SECONDS if job.in_progress else None},
    )


@login_required
def export_file(request, pk):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    if job.status != job.Status.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as missing:  # pruned by hand, or lost with a disk
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type=XLSX)
