from django.core.management import call_command
from django.core.management.base import CommandParser

from solidair.people import demo
from solidair.people.management.commands.serve import Command as ServeCommand


class Command(ServeCommand):
    help = "Load the Brussels demo organisation (once) and run Solidair."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the demo data, then stop."
        )

    def handle(self, *args, host: str, port: str, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        organisation = demo.load()
        self.stdout.write(
            f"Demo organisation “{organisation.name}”: {organisation.helpers.count()} helpers, "
            f"{demo.helpee_count(organisation)} helpees, {demo.mission_count(organisation)} "
            "missions."
        )
        self.stdout.write(f"Log in with any of these (password: {demo.PASSWORD}):")
        for role, email in demo.accounts():
            self.stdout.write(f"  {role:<26} {email}")
        if not options["no_serve"]:
            self.run_server(host, port)
