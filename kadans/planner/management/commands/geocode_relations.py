"""Fill in the coordinates of relations that have an address but none, with the geocoder configured in
KADANS_PLANNER_GEOCODER (README, "Plan my week"). Without one configured it refuses: Kadans itself calls
no geocoding service."""

from django.core.management.base import BaseCommand, CommandError

from kadans.planner.services import geocoder, relations_geocode
from kadans.relations.models import Relation


class Command(BaseCommand):
    help = "Fill in missing relation coordinates with the configured geocoder (KADANS_PLANNER_GEOCODER)."

    def handle(self, *args, **options):
        if geocoder() is None:
            raise CommandError("Set KADANS_PLANNER_GEOCODER to the dotted path of a geocoding callable first.")
        found = relations_geocode(relations=Relation.objects.all())
        self.stdout.write(f"{found} relations geocoded")
