from django.core.management.base import BaseCommand

from kadans.notifications.services import schedule


class Command(BaseCommand):
    help = ("Enqueue the reminders that are due and the daily digests whose hour has come. Run it every few "
            "minutes (cron or a systemd timer); running it twice sends nothing twice. The worker "
            "(manage.py db_worker) sends them.")

    def handle(self, *args, **options):
        counts = schedule()
        self.stdout.write(f"reminders: {counts['reminders']}, digests: {counts['digests']}")
