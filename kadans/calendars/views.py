import datetime
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from kadans.accounts.models import Team, User, display_name
from kadans.accounts.permissions import activity_edit_rule, can_edit_activity, can_view_team, viewable_teams
from kadans.activities import services
from kadans.activities.models import Activity
from kadans.calendars import ical, selectors
from kadans.calendars.models import FeedToken
from kadans.calendars.services import feed_token_regenerate
from kadans.core import time
from kadans.core.forms import is_id

MAX_PERIOD = datetime.timedelta(days=100)
"""The longest period one events request may ask for (a month view asks six weeks)."""


class BadRequest(Exception):
    pass


def _parse_moment(value: str, tz) -> datetime.datetime:
    """An ISO date or date-time as FullCalendar sends it; without an offset it is wall-clock time in `tz`."""
    try:
        moment = datetime.datetime.fromisoformat(value.strip().replace(" ", "+"))
    except (ValueError, AttributeError):
        raise BadRequest(_("Give a date as YYYY-MM-DD or an ISO date and time.")) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, tz)


def _scope(request) -> tuple[User | None, Team | None]:
    """Whose calendar: ?team=<id> (managers their team, administrators any), ?user=<id> (anyone's: everyone
    reads every activity, as on the relation pages), else the user's own."""
    get = request.GET
    if team_id := get.get("team", ""):
        team = get_object_or_404(Team, pk=int(team_id) if is_id(team_id) else 0)
        if not can_view_team(request.user, team):
            raise PermissionError
        return None, team
    if (user_id := get.get("user", "")) and user_id != str(request.user.pk):
        return get_object_or_404(User, pk=int(user_id) if is_id(user_id) else 0), None
    return request.user, None


def _editable_rule(viewer: User):
    """permissions.activity_edit_rule for the rows of selectors.EVENT_FIELDS."""
    rule = activity_edit_rule(viewer)

    def editable(row, participating: set[int]) -> bool:
        return rule(status=row.status, representative_id=row.representative_id,
                    representative_team_id=row.representative__team_id, participating=row.pk in participating)

    return editable


def _event(row, *, tz, company_tz, editable: bool, show_representative: bool, detail_url: str) -> dict:
    """One FullCalendar event from a row of selectors.EVENT_FIELDS; the same text as Activity.due_date,
    Activity.end_date and str(User) give, without building the model instances."""
    if row.all_day:
        start = row.start.astimezone(company_tz).date().isoformat()
        end = (row.end.astimezone(company_tz).date() + datetime.timedelta(days=1)).isoformat()
    else:
        start = row.start.astimezone(tz).strftime("%Y-%m-%dT%H:%M:%S")
        end = row.end.astimezone(tz).strftime("%Y-%m-%dT%H:%M:%S")
    title = f"{row.summary or row.type__name} · {row.relation__name}"
    if show_representative:
        name = display_name(row.representative__first_name, row.representative__last_name,
                            row.representative__username)
        title = f"{name}: {title}"
    if row.status == Activity.Status.DONE:
        title = f"✓ {title}"
    if row.series_id:
        title = f"↻ {title}"
    return {
        "id": str(row.pk), "title": title, "start": start, "end": end, "allDay": row.all_day,
        "backgroundColor": row.type__color, "borderColor": row.type__color,
        "url": detail_url.replace("/0/", f"/{row.pk}/"), "editable": editable,
        "classNames": [f"status-{row.status}"],
        "extendedProps": {"status": row.status, "type": row.type__name, "relation": row.relation__name},
    }


@require_GET
def events(request):
    """The FullCalendar event list for the period [start, end): two queries for one's own calendar."""
    tz = timezone.get_current_timezone()
    try:
        start = _parse_moment(request.GET.get("start", ""), tz)
        end = _parse_moment(request.GET.get("end", ""), tz)
        if not start < end <= start + MAX_PERIOD:
            raise BadRequest(_("The period must end after its start, within 100 days."))
    except BadRequest as e:
        return JsonResponse({"error": str(e)}, status=400)
    try:
        user, team = _scope(request)
    except PermissionError:
        return JsonResponse({"error": _("You may not see this team's calendar.")}, status=403)
    activities, participating = selectors.calendar_activities(start=start, end=end, user=user, team=team)
    viewer = request.user
    editable = _editable_rule(viewer)
    if user is None or user.pk != viewer.pk:
        # another calendar: which of its activities the viewer takes part in (a third query, when needed)
        undecided = [a.pk for a in activities if not editable(a, set()) and a.status != Activity.Status.CANCELLED]
        participating = selectors.participating_ids(viewer, undecided) if undecided else set()
    detail_url = reverse("activities:detail", args=[0])
    company_tz, show_representative = time.company_tz(), user != viewer
    data = [
        _event(a, tz=tz, company_tz=company_tz, editable=editable(a, participating),
               show_representative=show_representative, detail_url=detail_url)
        for a in sorted(activities, key=lambda a: (a.start, a.pk))
    ]
    return JsonResponse(data, safe=False)


@require_POST
def event_move(request, pk: int):
    """Drag or resize on the calendar: the new period, saved through activity_update as the form does.
    Refusals answer 403 or 400 with a message; the page puts the event back and shows it."""
    activity = get_object_or_404(
        Activity.objects.select_related("relation", "type", "representative", "contact"), pk=pk
    )
    if activity.status == Activity.Status.CANCELLED:
        return JsonResponse({"error": _("A cancelled action cannot be moved.")}, status=400)
    if not can_edit_activity(request.user, activity):
        return JsonResponse({"error": _("You may not change this action.")}, status=403)
    tz = timezone.get_current_timezone()
    all_day = request.POST.get("all_day") in ("1", "true")
    try:
        start = _parse_moment(request.POST.get("start", ""), tz)
        end = _parse_moment(request.POST["end"], tz) if request.POST.get("end") else None
        if all_day:
            first = start.date()
            # FullCalendar's all-day end is exclusive: the day after the last day
            last = (end.date() - datetime.timedelta(days=1)) if end else first
            services.activity_update(activity=activity, user=request.user, start=first, end=max(first, last),
                                     all_day=True)
        else:
            if end is None:
                end = start + (activity.end - activity.start if not activity.all_day
                               else services.DEFAULT_TIMED_DURATION)
            services.activity_update(activity=activity, user=request.user, start=start, end=end, all_day=False)
    except BadRequest as e:
        return JsonResponse({"error": str(e)}, status=400)
    except ValidationError as e:
        return JsonResponse({"error": " ".join(e.messages)}, status=400)
    return JsonResponse({"ok": True, "message": _("Saved: %(activity)s.") % {"activity": activity}})


def calendar_page(request):
    teams = list(viewable_teams(request.user))
    try:
        user, team = _scope(request)
    except PermissionError:
        user, team = request.user, None
    query = {"team": team.pk} if team else ({"user": user.pk} if user != request.user else {})
    config = {
        "eventsUrl": reverse("calendars:events"),
        "moveUrl": reverse("calendars:move", args=[0]),
        "newUrl": reverse("activities:create"),
        "returnUrl": request.get_full_path(),
        "params": query,
        "timeZone": str(timezone.get_current_timezone()),
        "locale": translation.get_language(),
        "initialDate": request.GET.get("date", ""),
        "initialView": request.GET.get("view", "timeGridWeek"),
        # the buttons and dates are translated by FullCalendar's own locale files
        "texts": {"failed": _("The action could not be moved.")},
    }
    return render(request, "calendars/calendar.html", {
        "config": config, "teams": teams, "colleagues": User.objects.filter(is_active=True),
        "shown_user": user, "shown_team": team,
    })


def _feed_since(tz) -> datetime.datetime:
    day = timezone.localdate(timezone=tz) - selectors.FEED_PAST
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


@login_not_required
@require_safe
def feed(request, key: str):
    """The private iCalendar feed behind a secret key. A wrong or revoked key gets a bare 404."""
    token = FeedToken.objects.select_related("user", "team").filter(key=key).first()
    if (
        token is None
        or not token.user.is_active
        or (token.team is not None and not can_view_team(token.user, token.team))
    ):
        return HttpResponseNotFound("Not found\n", content_type="text/plain")
    owner, team = token.user, token.team
    tz = owner.tzinfo
    since = _feed_since(tz)
    scope = {"team": team} if team else {"user": owner}
    version = selectors.feed_version(since=since, **scope)
    language = owner.language or settings.LANGUAGE_CODE
    # the window start and the language are part of the version: the feed changes daily as the past
    # window moves, and with it names of relations or types changed meanwhile
    etag = quote_etag(hashlib.sha256(repr((version, token.key, since, language)).encode()).hexdigest()[:32])
    changed = [c for c, _count in version if c is not None]
    last_modified = int(max(changed).timestamp()) if changed else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    with translation.override(language):
        name = f"Kadans — {team or owner}"
        body = ical.build_feed(
            selectors.feed_activities(since=since, **scope), name=name, tz=tz, since=since,
            base_url=request.build_absolute_uri("/"),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="kadans.ics"'
    return response


@require_POST
def feed_regenerate(request):
    team = None
    if team_id := request.POST.get("team", ""):
        team = get_object_or_404(Team, pk=int(team_id) if is_id(team_id) else 0)
        if not can_view_team(request.user, team):
            return HttpResponseNotFound("Not found\n", content_type="text/plain")
    had_one = FeedToken.objects.filter(user=request.user, team=team).exists()
    feed_token_regenerate(user=request.user, team=team)
    messages.success(request, _("A new feed address was made; the old one no longer works.") if had_one
                     else _("Your calendar's address is ready: subscribe to it in your calendar app."))
    return redirect(reverse("accounts:profile") + "#calendar-feeds")
