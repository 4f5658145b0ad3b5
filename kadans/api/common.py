"""What every endpoint shares: id and text types, the error body, pagination, and looking objects up."""

import datetime
import re
from typing import Annotated, Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, ConfigDict, Field, PlainValidator, WithJsonSchema, create_model

from kadans.core.filters import FilterSet

MAX_ID = 2**63 - 1
"""Ids are 64-bit integers in both databases; a larger number is refused before it reaches SQL."""
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
SmallInt = Annotated[int, Field(ge=0, le=2_147_483_647)]
"""A PositiveIntegerField: PostgreSQL's integer range."""


def _text(max_length: int | None = None, min_length: int | None = None) -> Any:
    # PostgreSQL refuses NUL characters in text, so they are refused here with a clear message.
    return Annotated[str, Field(pattern=r"^[^\x00]*$", max_length=max_length, min_length=min_length)]


Text = _text()
Text30 = _text(30)
Text50 = _text(50)
Text60 = _text(60)
Text100 = _text(100)
Text200 = _text(200)


def _in_range(value: datetime.date) -> datetime.date:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return value


Day = Annotated[datetime.date, AfterValidator(_in_range)]


def _moment_in_range(value: datetime.datetime) -> datetime.datetime:
    """A moment between FIRST_DAY and LAST_DAY with a real UTC offset (at most 14 hours: PostgreSQL refuses
    offsets past 15:59, which Python accepts)."""
    _in_range(value)
    offset = value.utcoffset()
    if offset is not None and abs(offset) > datetime.timedelta(hours=14):
        raise ValueError("the UTC offset must be between -14:00 and +14:00")
    return value


Moment = Annotated[datetime.datetime, AfterValidator(_moment_in_range)]


def _date_or_datetime(value: Any) -> datetime.date | datetime.datetime:
    """"2025-03-01" is a day (an all-day activity), "2025-03-01T14:30" a moment; nothing else is either."""
    if isinstance(value, datetime.date):
        return _in_range(value)
    if not isinstance(value, str):
        raise ValueError("enter a date (YYYY-MM-DD) or a date and time (ISO 8601) as a string")
    try:
        parsed = datetime.date.fromisoformat(value) if len(value) == 10 else datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("enter a date (YYYY-MM-DD) or a date and time (ISO 8601)") from None
    return _moment_in_range(parsed) if isinstance(parsed, datetime.datetime) else _in_range(parsed)


When = Annotated[
    datetime.date | datetime.datetime,
    PlainValidator(_date_or_datetime),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}),
    Field(description="A date (YYYY-MM-DD) or a date and time; without an offset, in the caller's time zone."),
]


class Input(Schema):
    """Request bodies refuse fields they do not know, so that a typo is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(description="What is wrong, in a sentence.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages per field (dotted path for nested fields; __all__ for the whole)."
    )


BASE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def responses(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    """An operation's documented responses: its success, the errors every operation may give (bad input,
    no or wrong credentials, not allowed), and the extra error codes named."""
    return {**ok, **BASE_ERRORS, **{code: ErrorOut for code in codes}}


class PageParams(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many items, at most 200.")
    offset: int = Field(0, ge=0, le=MAX_ID, description="How many items to skip.")


def page_of(item: type[Schema]) -> type[Schema]:
    return create_model(
        f"{item.__name__.removesuffix('Out')}Page",
        __base__=Schema,
        count=(int, Field(description="How many items match, on all pages.")),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),
    )


def paginate(qs: QuerySet, params: PageParams, render=None) -> dict:
    """One page of a list with a deterministic order: a COUNT and the page's own query (plus the list's
    prefetches), whatever the offset."""
    count = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit]) if params.offset < count else []
    return {
        "count": count, "limit": params.limit, "offset": params.offset,
        "items": [render(row) for row in rows] if render else rows,
    }


def filtered(filterset_class: type[FilterSet], params: PageParams, queryset: QuerySet, **context) -> QuerySet:
    """The list's rows as its FilterSet (the one its page and export run too) narrows them, from the query
    parameters the schema has checked; a value the FilterSet refuses is a 422 naming the parameter."""
    data = {
        name: value for name, value in params.model_dump(exclude=set(PageParams.model_fields)).items()
        if value is not None
    }
    filterset = filterset_class(data, queryset=queryset, **context)
    if not filterset.is_valid():
        name, messages = next(iter(filterset.error_messages().items()))
        raise FieldError(name, " ".join(messages))
    return filterset.qs


def get_or_404(qs: QuerySet, pk: int, what: str) -> Model:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise HttpError(404, _("No %(what)s with id %(id)s.") % {"what": what, "id": pk})
    return obj


class FieldError(Exception):
    """Bad input on one field that the schema cannot catch (an id that points to nothing the user may
    use): answered 422 with the field named."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


def _noun(qs: QuerySet) -> str:
    """"business status" for BusinessStatus: the API speaks of its resources in its own (English) terms."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", qs.model.__name__).lower()


def lookup(qs: QuerySet, pk: int | None, field: str) -> Any:
    """The object with this id for an input field, None for None; an unknown id is a FieldError."""
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise FieldError(field, _("No %(what)s with id %(id)s.") % {"what": _noun(qs), "id": pk})
    return obj


def lookup_many(qs: QuerySet, pks: list[int], field: str) -> list:
    objs = list(qs.filter(pk__in=set(pks)))
    missing = sorted(set(pks) - {o.pk for o in objs})
    if missing:
        raise FieldError(field, _("No %(what)s with id %(ids)s.") % {
            "what": _noun(qs), "ids": ", ".join(map(str, missing)),
        })
    return objs


def forbid(message: str | None = None) -> None:
    raise HttpError(403, message or _("You may not do this."))


def aware(value: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    """A naive datetime is read in the current (the user's) time zone; dates stay dates."""
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the current (the user's) time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
