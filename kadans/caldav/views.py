"""The CalDAV server's HTTP side: /.well-known/caldav and everything under /caldav/.

    /caldav/                                root: points to the user's principal
    /caldav/users/<username>/               the user's principal and calendar home
    /caldav/users/<username>/<calendar>/    a calendar (see kadans.caldav.selectors for which)
    /caldav/users/<username>/<calendar>/<name>.ics   one event

Authenticated with HTTP Basic and an app password on every request (kadans.caldav.auth); no session, no
CSRF. Only the user themselves opens their home. Methods: OPTIONS, PROPFIND (Depth 0 and 1), REPORT
(calendar-multiget, calendar-query, sync-collection), GET/HEAD, PUT, DELETE; PROPPATCH answers each
property 403; making or moving collections is not allowed.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import quote, unquote, urlsplit

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from icalendar import vDatetime

from kadans.caldav import auth, davxml, ics, selectors, services
from kadans.caldav.davxml import CALDAV, CS, DAV, ICAL, tag
from kadans.caldav.models import SyncEntry
from kadans.caldav.render import Renderer
from kadans.calendars import ical

logger = logging.getLogger(__name__)

ALLOW = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT"
DAV_HEADER = "1, 3, calendar-access"
CALENDAR_COLORS = {"own": "#2563ebff", "participations": "#16a34aff"}
MEMBER_COLOR = "#9333eaff"
SYNC_TOKEN_PREFIX = "urn:kadans:sync:"


class DavError(Exception):
    def __init__(self, status: int, body: bytes = b"", content_type: str = "application/xml; charset=utf-8"):
        self.status, self.body, self.content_type = status, body, content_type


def _xml_response(root, status: int = 207) -> HttpResponse:
    response = HttpResponse(davxml.to_bytes(root), status=status, content_type="application/xml; charset=utf-8")
    return response


def _etag(resource: selectors.Resource) -> str:
    return f'"{resource.etag}"'


@login_not_required
def well_known(request):
    """RFC 6764: calendar apps look here first."""
    return HttpResponsePermanentRedirect(reverse("caldav:root"))


@csrf_exempt
@login_not_required
def dav(request, path: str = ""):
    if request.method == "OPTIONS":
        return _options()
    try:
        token = auth.authenticate(request)
    except auth.Throttled:
        response = HttpResponse("Too many wrong passwords; try again later.", status=429, content_type="text/plain")
        response["Retry-After"] = str(auth.FAILURE_WINDOW)
        return response
    if token is None:
        response = HttpResponse("Authentication required.", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = f'Basic realm="{auth.REALM}", charset="UTF-8"'
        return response
    user = token.user
    request.user = user
    try:
        with translation.override(user.language or translation.get_language()), timezone.override(user.tzinfo):
            response = Dav(request, user, read_only_token=token.read_only).dispatch(path)
    except DavError as e:
        response = HttpResponse(e.body, status=e.status, content_type=e.content_type)
    except davxml.BadXml as e:
        response = HttpResponse(f"Bad XML: {e}", status=400, content_type="text/plain")
    response["DAV"] = DAV_HEADER
    return response


def _options() -> HttpResponse:
    response = HttpResponse(status=200)
    response["Allow"] = ALLOW
    response["DAV"] = DAV_HEADER
    response["Content-Length"] = "0"
    return response


class Dav:
    def __init__(self, request, user, *, read_only_token: bool):
        self.request = request
        self.user = user
        self.read_only_token = read_only_token
        self.root = reverse("caldav:root")
        self.home = f"{self.root}users/{quote(user.get_username())}/"
        self.base_url = request.build_absolute_uri("/")

    # paths ------------------------------------------------------------------------------------------

    def calendar_href(self, calendar: selectors.Calendar) -> str:
        return f"{self.home}{calendar.slug}/"

    def resource_href(self, calendar: selectors.Calendar, name: str) -> str:
        return f"{self.calendar_href(calendar)}{quote(name)}"

    def dispatch(self, path: str) -> HttpResponse:
        parts = [unquote(p) for p in path.split("/") if p]
        method = self.request.method
        if parts and parts[0] != self.user.get_username():
            raise DavError(403 if method != "PROPFIND" else 404)
        if len(parts) > 3:
            raise DavError(404)
        if method in ("MKCALENDAR", "MKCOL", "MOVE", "COPY"):
            # the calendars are Kadans' own: none is made, moved or copied by a client
            raise DavError(403, davxml.error(tag(DAV, "need-privileges")))
        calendar = None
        if len(parts) >= 2:
            calendar = selectors.user_calendar(self.user, parts[1])
            if calendar is None:
                raise DavError(404)
        name = parts[2] if len(parts) == 3 else None
        handler = {
            "PROPFIND": self.propfind, "REPORT": self.report, "GET": self.get, "HEAD": self.get,
            "PUT": self.put, "DELETE": self.delete, "PROPPATCH": self.proppatch,
        }.get(method)
        if handler is None:
            response = HttpResponse(status=405)
            response["Allow"] = ALLOW
            return response
        return handler(level=len(parts), calendar=calendar, name=name)

    # properties -------------------------------------------------------------------------------------

    def _principal_props(self) -> dict:
        return {
            tag(DAV, "current-user-principal"): davxml.href(self.home),
            tag(DAV, "principal-URL"): davxml.href(self.home),
            tag(DAV, "owner"): davxml.href(self.home),
            tag(DAV, "principal-collection-set"): davxml.href(self.root),
            tag(CALDAV, "calendar-home-set"): davxml.href(self.home),
            tag(CALDAV, "calendar-user-address-set"): (
                [davxml.href(f"mailto:{self.user.email}"), davxml.href(self.home)] if self.user.email
                else [davxml.href(self.home)]
            ),
            tag(CALDAV, "calendar-user-type"): "INDIVIDUAL",
        }

    def _privileges(self, writable: bool) -> list:
        names = ["read", "read-current-user-privilege-set"]
        if writable:
            names += ["write", "write-content", "bind", "unbind"]
        return [davxml.element(tag(DAV, "privilege"), davxml.element(tag(DAV, n))) for n in names]

    def _supported_reports(self, names: list[tuple[str, str]]) -> list:
        return [
            davxml.element(tag(DAV, "supported-report"), davxml.element(tag(DAV, "report"), davxml.element(tag(ns, n))))
            for ns, n in names
        ]

    def root_props(self) -> dict:
        return {
            tag(DAV, "resourcetype"): [davxml.element(tag(DAV, "collection"))],
            tag(DAV, "displayname"): "Kadans",
            tag(DAV, "current-user-principal"): davxml.href(self.home),
            tag(DAV, "principal-collection-set"): davxml.href(self.root),
            tag(DAV, "current-user-privilege-set"): self._privileges(False),
        }

    def home_props(self) -> dict:
        return {
            tag(DAV, "resourcetype"): [davxml.element(tag(DAV, "collection")), davxml.element(tag(DAV, "principal"))],
            tag(DAV, "displayname"): str(self.user),
            **self._principal_props(),
            tag(DAV, "current-user-privilege-set"): self._privileges(False),
            tag(DAV, "supported-report-set"): self._supported_reports([(DAV, "expand-property")]),
        }

    def calendar_display_name(self, calendar: selectors.Calendar) -> str:
        if calendar.kind == "own":
            return translation.gettext("Kadans: my actions")
        if calendar.kind == "participations":
            return translation.gettext("Kadans: actions I take part in")
        return translation.gettext("Kadans: %(name)s") % {"name": calendar.subject}

    def calendar_props(self, calendar: selectors.Calendar, seq: int | None) -> dict:
        props = {
            tag(DAV, "resourcetype"): [davxml.element(tag(DAV, "collection")), davxml.element(tag(CALDAV, "calendar"))],
            tag(DAV, "displayname"): self.calendar_display_name(calendar),
            tag(CALDAV, "calendar-description"): (
                translation.gettext("Your actions in Kadans: changes here change them in Kadans.")
                if calendar.writable else translation.gettext("Read-only: change these actions in Kadans.")
            ),
            tag(CALDAV, "supported-calendar-component-set"): [davxml.element(tag(CALDAV, "comp"))],
            tag(CALDAV, "supported-calendar-data"): [davxml.element(tag(CALDAV, "calendar-data"))],
            tag(CALDAV, "max-resource-size"): "1000000",
            tag(DAV, "current-user-privilege-set"): self._privileges(calendar.writable and not self.read_only_token),
            tag(DAV, "supported-report-set"): self._supported_reports(
                [(CALDAV, "calendar-multiget"), (CALDAV, "calendar-query"), (DAV, "sync-collection")]
            ),
            tag(DAV, "owner"): davxml.href(self.home),
            tag(DAV, "current-user-principal"): davxml.href(self.home),
            tag(ICAL, "calendar-color"): CALENDAR_COLORS.get(calendar.kind, MEMBER_COLOR),
            tag(DAV, "getcontenttype"): "text/calendar; charset=utf-8",
        }
        props[tag(CALDAV, "supported-calendar-component-set")][0].set("name", "VEVENT")
        data = props[tag(CALDAV, "supported-calendar-data")][0]
        data.set("content-type", "text/calendar")
        data.set("version", "2.0")
        if seq is not None:
            props[tag(CS, "getctag")] = str(seq)
            props[tag(DAV, "sync-token")] = f"{SYNC_TOKEN_PREFIX}{seq}"
        return props

    def resource_props(self, resource: selectors.Resource, data: bytes | None) -> dict:
        props = {
            tag(DAV, "getetag"): _etag(resource),
            tag(DAV, "getcontenttype"): "text/calendar; charset=utf-8; component=vevent",
            tag(DAV, "resourcetype"): [],
        }
        if data is not None:
            props[tag(CALDAV, "calendar-data")] = data.decode("utf-8")
            props[tag(DAV, "getcontentlength")] = str(len(data))
        return props

    @staticmethod
    def _select(props: dict, mode: str, wanted: list[str]) -> tuple[dict, list[str]]:
        if mode == "allprop":
            return {k: v for k, v in props.items() if k != tag(CALDAV, "calendar-data")}, []
        if mode == "propname":
            return {k: None for k in props}, []
        return {k: props[k] for k in wanted if k in props}, [k for k in wanted if k not in props]

    # PROPFIND ---------------------------------------------------------------------------------------

    def _depth(self) -> int:
        depth = self.request.headers.get("Depth", "infinity").strip().lower()
        return 0 if depth == "0" else 1

    def propfind(self, *, level: int, calendar, name) -> HttpResponse:
        mode, wanted = davxml.requested_props(davxml.parse(self.request.body))
        depth = self._depth()
        root = davxml.multistatus()
        wants_data = tag(CALDAV, "calendar-data") in wanted

        def add(href, props):
            found, missing = self._select(props, mode, wanted)
            davxml.add_response(root, href, found, missing)

        if level == 0:
            add(self.root, self.root_props())
            if depth:
                add(self.home, self.home_props())
        elif level == 1:
            add(self.home, self.home_props())
            if depth:
                for cal in selectors.user_calendars(self.user):
                    add(self.calendar_href(cal), self._calendar_props_synced(cal, mode, wanted))
        elif level == 2:
            resources = None
            if self._needs_sync(mode, wanted) or depth:
                resources = selectors.calendar_resources(calendar)
            seq = None
            if self._needs_sync(mode, wanted):
                seq = services.sync_refresh(calendar=calendar, resources=resources)
            add(self.calendar_href(calendar), self.calendar_props(calendar, seq))
            if depth:
                self._add_resources(root, calendar, list(resources.values()), mode, wanted, wants_data)
        else:
            resources = selectors.calendar_resources(calendar, name=name)
            if name not in resources:
                raise DavError(404)
            self._add_resources(root, calendar, list(resources.values()), mode, wanted, wants_data)
        return _xml_response(root)

    @staticmethod
    def _needs_sync(mode: str, wanted: list[str]) -> bool:
        return mode != "prop" or tag(CS, "getctag") in wanted or tag(DAV, "sync-token") in wanted

    def _calendar_props_synced(self, calendar, mode, wanted) -> dict:
        seq = None
        if self._needs_sync(mode, wanted):
            seq = services.sync_refresh(calendar=calendar, resources=selectors.calendar_resources(calendar))
        return self.calendar_props(calendar, seq)

    def _add_resources(self, root, calendar, resources, mode, wanted, wants_data: bool) -> None:
        rendered = self._render(calendar, resources) if wants_data else {}
        for resource in resources:
            found, missing = self._select(
                self.resource_props(resource, rendered.get(resource.name)), mode, wanted
            )
            davxml.add_response(root, self.resource_href(calendar, resource.name), found, missing)

    def _render(self, calendar, resources) -> dict[str, bytes]:
        activities = selectors.activities_for(calendar, resources)
        renderer = Renderer(calendar, base_url=self.base_url)
        return {r.name: renderer.render(r, activities) for r in resources}

    # REPORT -----------------------------------------------------------------------------------------

    def report(self, *, level: int, calendar, name) -> HttpResponse:
        body = davxml.parse(self.request.body)
        if body is None:
            raise DavError(400)
        if body.tag == tag(DAV, "expand-property") or body.tag in (
            tag(DAV, "principal-property-search"), tag(DAV, "principal-search-property-set")
        ):
            return _xml_response(davxml.multistatus())
        if calendar is None:
            raise DavError(403, davxml.error(tag(DAV, "supported-report")))
        mode, wanted = davxml.requested_props(body)
        if body.tag == tag(CALDAV, "calendar-multiget"):
            return self.multiget(calendar, body, mode, wanted)
        if body.tag == tag(CALDAV, "calendar-query"):
            return self.query(calendar, body, mode, wanted, name)
        if body.tag == tag(DAV, "sync-collection"):
            return self.sync_collection(calendar, body, mode, wanted)
        raise DavError(403, davxml.error(tag(DAV, "supported-report")))

    def multiget(self, calendar, body, mode, wanted) -> HttpResponse:
        prefix = self.calendar_href(calendar)
        names = []
        for element in body.findall(tag(DAV, "href")):
            path = unquote(urlsplit((element.text or "").strip()).path)
            inside = path.startswith(unquote(prefix))
            names.append(path[len(unquote(prefix)):] if inside else (element.text or "").strip())
        resources = selectors.calendar_resources(calendar)
        found = [resources[n] for n in names if n in resources]
        wants_data = tag(CALDAV, "calendar-data") in wanted
        rendered = self._render(calendar, found) if wants_data else {}
        root = davxml.multistatus()
        for n in names:
            if n in resources:
                props, missing = self._select(self.resource_props(resources[n], rendered.get(n)), mode, wanted)
                davxml.add_response(root, self.resource_href(calendar, n), props, missing)
            else:
                davxml.add_status(root, n if n.startswith("/") else self.resource_href(calendar, n),
                                  "HTTP/1.1 404 Not Found")
        return _xml_response(root)

    @staticmethod
    def _time_range(body) -> tuple[str | None, datetime.datetime | None, datetime.datetime | None]:
        """The component the query filters on (VEVENT, VTODO …) and its time-range, if any."""
        filter_ = body.find(tag(CALDAV, "filter"))
        if filter_ is None:
            return None, None, None
        calendar_filter = filter_.find(tag(CALDAV, "comp-filter"))
        if calendar_filter is None:
            return None, None, None
        component = calendar_filter.find(tag(CALDAV, "comp-filter"))
        if component is None:
            return None, None, None
        time_range = component.find(tag(CALDAV, "time-range"))
        start = end = None
        if time_range is not None:
            try:
                if time_range.get("start"):
                    start = vDatetime.from_ical(time_range.get("start"))
                if time_range.get("end"):
                    end = vDatetime.from_ical(time_range.get("end"))
            except ValueError:
                raise DavError(400) from None
            start = start if start is None or start.tzinfo else start.replace(tzinfo=datetime.UTC)
            end = end if end is None or end.tzinfo else end.replace(tzinfo=datetime.UTC)
        return (component.get("name") or "").upper(), start, end

    def query(self, calendar, body, mode, wanted, name) -> HttpResponse:
        component, start, end = self._time_range(body)
        resources = selectors.calendar_resources(calendar, name=name)
        chosen = []
        if component in (None, "VEVENT"):
            chosen = list(selectors.overlapping(resources.values(), start, end))
        root = davxml.multistatus()
        self._add_resources(root, calendar, chosen, mode, wanted, tag(CALDAV, "calendar-data") in wanted)
        return _xml_response(root)

    def sync_collection(self, calendar, body, mode, wanted) -> HttpResponse:
        token_text = (body.findtext(tag(DAV, "sync-token")) or "").strip()
        resources = selectors.calendar_resources(calendar)
        seq = services.sync_refresh(calendar=calendar, resources=resources)
        since = None
        if token_text:
            value = token_text.removeprefix(SYNC_TOKEN_PREFIX)
            if not token_text.startswith(SYNC_TOKEN_PREFIX) or not value.isdigit() or int(value) > seq:
                raise DavError(403, davxml.error(tag(DAV, "valid-sync-token")))
            since = int(value)
        if since is None:
            changed, deleted = list(resources), []
        else:
            entries = list(SyncEntry.objects.filter(collection__key=calendar.key, seq__gt=since)
                           .values_list("name", "deleted"))
            changed = [n for n, d in entries if not d and n in resources]
            deleted = [n for n, d in entries if d]
        root = davxml.multistatus()
        self._add_resources(root, calendar, [resources[n] for n in changed], mode, wanted,
                            tag(CALDAV, "calendar-data") in wanted)
        for n in deleted:
            davxml.add_status(root, self.resource_href(calendar, n), "HTTP/1.1 404 Not Found")
        davxml.sub(root, tag(DAV, "sync-token"), f"{SYNC_TOKEN_PREFIX}{seq}")
        return _xml_response(root)

    # GET, PUT, DELETE -------------------------------------------------------------------------------

    def _resource(self, calendar, name) -> selectors.Resource | None:
        return selectors.calendar_resources(calendar, name=name).get(name)

    def get(self, *, level: int, calendar, name) -> HttpResponse:
        if name is None:
            response = HttpResponse(
                "Kadans CalDAV server: add this address to a calendar app.\n", content_type="text/plain"
            )
            return response
        resource = self._resource(calendar, name)
        if resource is None:
            raise DavError(404)
        etag = _etag(resource)
        if self.request.headers.get("If-None-Match", "").strip() in (etag, "*"):
            response = HttpResponse(status=304)
        else:
            data = self._render(calendar, [resource])[name]
            response = HttpResponse(data if self.request.method == "GET" else b"",
                                    content_type="text/calendar; charset=utf-8")
            response["Content-Length"] = str(len(data))
        response["ETag"] = etag
        return response

    def _check_preconditions(self, resource) -> None:
        if_match = self.request.headers.get("If-Match")
        if_none_match = self.request.headers.get("If-None-Match", "").strip()
        if resource is None:
            if if_match is not None:
                raise DavError(412)
            return
        if if_none_match == "*":
            raise DavError(412)
        if if_match is not None and if_match.strip() != "*" and _etag(resource) not in [
            t.strip() for t in if_match.split(",")
        ]:
            raise DavError(412)

    def _writable(self, calendar) -> None:
        if calendar is None or not calendar.writable or self.read_only_token:
            raise DavError(403, davxml.error(tag(DAV, "need-privileges")))

    def put(self, *, level: int, calendar, name) -> HttpResponse:
        if name is None:
            raise DavError(405)
        self._writable(calendar)
        resource = self._resource(calendar, name)
        self._check_preconditions(resource)
        try:
            if resource is None:
                services.client_event_create(user=self.user, name=name, body=self.request.body)
                return HttpResponse(status=201)
            activities = selectors.activities_for(calendar, [resource])
            current_master = None
            if resource.series_id is not None:
                current_master = self._current_master(calendar, resource, activities)
            services.resource_put(
                user=self.user, resource=resource, activities=activities, body=self.request.body,
                links=ical.Links(self.base_url), current_master=current_master,
            )
        except ics.BadEvent as e:
            raise DavError(403, davxml.error(tag(CALDAV, "valid-calendar-data")) + f"<!-- {e} -->".encode()) from None
        except services.ReadOnly as e:
            raise DavError(403, str(e).encode(), "text/plain; charset=utf-8") from None
        except (ValidationError, PermissionDenied) as e:
            message = "; ".join(getattr(e, "messages", [str(e)]))
            raise DavError(403, message.encode(), "text/plain; charset=utf-8") from None
        return HttpResponse(status=204)

    def _current_master(self, calendar, resource, activities) -> dict | None:
        """The rule, start and EXDATEs of the series as Kadans serves it now."""
        data = Renderer(calendar, base_url=self.base_url).render(resource, activities)
        _cal, events = ics.parse(data)
        series = activities[resource.activity_ids[0]].series
        master = ics.event_data(events[0], series.tzinfo)
        if events[0].get("recurrence-id") is not None:
            return None
        return {"rrule": master.rrule, "start": master.start, "exdates": master.exdates}

    def delete(self, *, level: int, calendar, name) -> HttpResponse:
        if name is None:
            raise DavError(403)
        self._writable(calendar)
        resource = self._resource(calendar, name)
        if resource is None:
            raise DavError(404)
        self._check_preconditions(resource)
        try:
            services.resource_delete(
                user=self.user, resource=resource, activities=selectors.activities_for(calendar, [resource])
            )
        except services.ReadOnly as e:
            raise DavError(403, str(e).encode(), "text/plain; charset=utf-8") from None
        return HttpResponse(status=204)

    def proppatch(self, *, level: int, calendar, name) -> HttpResponse:
        """Properties are Kadans' own (names, colours): every change is refused, each by name."""
        body = davxml.parse(self.request.body)
        root = davxml.multistatus()
        names = [] if body is None else [p.tag for e in body for prop in e for p in prop]
        response = davxml.sub(root, tag(DAV, "response"))
        href = self.request.path
        davxml.sub(response, tag(DAV, "href"), href)
        propstat = davxml.sub(response, tag(DAV, "propstat"))
        prop = davxml.sub(propstat, tag(DAV, "prop"))
        for n in names:
            davxml.sub(prop, n)
        davxml.sub(propstat, tag(DAV, "status"), "HTTP/1.1 403 Forbidden")
        return _xml_response(root)
