import zoneinfo

from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Activate the logged-in user's language and time zone.

    Comes after LocaleMiddleware (which picks the cookie's or browser's language, else the site
    default) and after authentication, so a user's own choice wins. "Today" and "overdue" are computed
    in the time zone activated here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.time_zone:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        else:
            timezone.deactivate()
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        try:
            return self.get_response(request)
        finally:
            # the thread serves other users next: leave no time zone behind
            timezone.deactivate()
