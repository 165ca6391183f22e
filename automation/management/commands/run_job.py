from django.core.management.base import BaseCommand, CommandError

from automation.jobs.registry import JOBS
from automation.jobs.runner import enqueue, run_now
from automation.models.jobs import Trigger
from customers.models import Team
from rfeplatform.context import system_context


class Command(BaseCommand):
    help = "Run a job for a team now, in this process (or queue it for the workers with --queue)."

    def add_arguments(self, parser):
        parser.add_argument("job", help=f"One of: {', '.join(sorted(JOBS)) or '(none registered)'}")
        parser.add_argument("team", help="Team slug.")
        parser.add_argument("--queue", action="store_true", help="Hand it to the qcluster workers instead.")

    def handle(self, job, team, queue, **options):
        if job not in JOBS:
            raise CommandError(f"Unknown job {job!r}. Known: {', '.join(sorted(JOBS))}.")
        with system_context(f"command:run_job:{job}"):
            found = Team.objects.filter(slug=team).first()
            if found is None:
                raise CommandError(f"No team with slug {team!r}.")
            if queue:
                run = enqueue(job, team=found, trigger=Trigger.MANUAL)
                self.stdout.write(f"Queued run #{run.pk}.")
                return
            run = run_now(job, team=found)
        self.stdout.write(f"Run #{run.pk}: {run.state} {run.counts}")
        if run.error:
            self.stderr.write(run.error)
        if run.state not in ("succeeded",):
            raise CommandError(f"Run #{run.pk} ended {run.state}.")
