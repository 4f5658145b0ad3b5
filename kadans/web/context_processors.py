import datetime

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from kadans.activities.selectors import activity_counters


def today_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    """The start of today and of tomorrow in the current (the user's) time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(timezone.localdate(), datetime.time.min, tzinfo=tz)
    return start, datetime.datetime.combine(start.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)


def activity_counters_for_nav(request):
    """Overdue / today / upcoming counters for the navigation bar: one query, only when a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def counters():
        today_start, tomorrow_start = today_bounds()
        return activity_counters(user, today_start=today_start, tomorrow_start=tomorrow_start)

    return {"nav_counters": SimpleLazyObject(counters)}
