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
        # Background jobs (notifications) run in a worker beside the server, stopped with it.
        with WorkerProcess():
            call_command("runserver", address, use_reloader=False, skip_checks=True)
