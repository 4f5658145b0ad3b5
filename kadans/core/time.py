"""Time: the company's time zone, in which all-day activities are dates, and "today" for a user.

Timed moments are stored in UTC and shown in each user's own time zone (the current time zone while a
request is served, see UserPreferencesMiddleware); an all-day activity is stored as the company's
midnights of its first and last day, so that its dates read back the same for everyone.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def company_tz() -> zoneinfo.ZoneInfo:
    """The company's time zone (settings.TIME_ZONE)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_start(day: datetime.date, tz: datetime.tzinfo) -> datetime.datetime:
    """Midnight at the start of `day` in `tz`."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def local_datetime(day: datetime.date, time: datetime.time, tz: datetime.tzinfo) -> datetime.datetime:
    """`day` at wall-clock `time` in `tz`. A time that does not exist (the hour skipped when summer time
    starts) moves forward by the gap; an ambiguous one (the hour repeated in autumn) is its first
    occurrence."""
    naive = datetime.datetime.combine(day, time)
    aware = naive.replace(tzinfo=tz, fold=0)
    # round-tripping through UTC normalises a non-existent wall time (02:30 on the last Sunday of March
    # becomes 03:30), which zoneinfo otherwise keeps as an impossible local time
    return aware.astimezone(datetime.UTC).astimezone(tz)


def today_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    """The start of today and of tomorrow in the current (the user's) time zone."""
    tz = timezone.get_current_timezone()
    start = day_start(timezone.localdate(), tz)
    return start, day_start(start.date() + datetime.timedelta(days=1), tz)
