import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from solidair.notifications.workers import WorkerProcess


class Command(BaseCommand):
    help = "Migrate the database and run Solidair's web server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host: str, port: str, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.run_server(host, port)

    def run_server(self, host: str, port: str) -> None:
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.stdout.write(f"Solidair is running at http://{address}/  (Ctrl+C stops it)")
        if "SITE_URL" not in os.environ:
            # Links in messages and the phone simulator's signed webhooks go to this
            # server: where it listens, unless SITE_URL says otherwise (a proxy).
            here = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
            site = f"http://[{here}]:{port}" if ":" in here else f"http://{here}:{port}"
            os.environ["SITE_URL"] = settings.SITE_URL = site
        # Background jobs (notifications) run in a worker beside the server, stopped with it.
        with WorkerProcess():
            call_command("runserver", address, use_reloader=False, skip_checks=True)
