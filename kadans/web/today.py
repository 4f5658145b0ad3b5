"""Today in the current (the user's) time zone."""

import datetime

from django.utils import timezone


def today_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    """The start of today and of tomorrow in the current (the user's) time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(timezone.localdate(), datetime.time.min, tzinfo=tz)
    return start, datetime.datetime.combine(start.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
