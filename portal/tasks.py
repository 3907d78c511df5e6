"""The background tasks of the ground floor (Django's tasks framework, docs/exports.md)."""

from django_tasks import task

from portal import exports


@task()
def run_export(job_id):
    """Write an export job's file (portal.exports.run)."""
    exports.run(job_id)
