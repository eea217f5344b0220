"""`solidair matching_reindex`: rebuild matching's map of helpers and missions."""

from django.core.management.base import BaseCommand

from solidair.matching.services import matching_reindex


class Command(BaseCommand):
    help = "Rebuild the map of helpers and published missions that matching searches."

    def handle(self, *args, **options) -> None:
        helpers, missions = matching_reindex()
        self.stdout.write(f"{helpers} helpers and {missions} published missions on the map.")
