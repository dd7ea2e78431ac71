"""The Celery app the workers run: ``celery -A dagster_project.workers worker -Q <queues>``.

dagster-celery's own ``dagster_celery.app`` reads its settings from a ``dagster_celery_config``
module; this one takes the same settings as the executor from ``dagster_project.executors``.
"""

from __future__ import annotations

from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_execute_job_task, create_resume_job_task, create_task

from dagster_project.executors import backend_url, broker_url, celery_config

app = make_app({"broker": broker_url(), "backend": backend_url()})
app.conf.update(celery_config())

execute_plan = create_task(app)
execute_job = create_execute_job_task(app)
resume_job = create_resume_job_task(app)
