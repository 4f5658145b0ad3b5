"""Load the demo data (Brouwerij De Kadans) and show the demo logins; the logic is in kadans.web.demo."""

from django.core.management.base import BaseCommand

from kadans.web.demo import load_demo_data, logins_table


class Command(BaseCommand):
    help = "Load the demo data: a Flemish brewery, its sales team, relations and a year of activities."

    def handle(self, *args, **options):
        load_demo_data(stdout=self.stdout)
        # always shown, also when the demo was loaded before: ./dev.sh run relies on it
        self.stdout.write("")
        self.stdout.write(logins_table())
