"""Relations, their contacts and their status changes."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.db import transaction
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kadans.accounts.models import User
from kadans.accounts.permissions import (
    assignable_representatives,
    can_create_relation,
    can_edit_relation,
)
from kadans.api.common import (
    Day,
    Id,
    Input,
    PageParams,
    SmallInt,
    Text,
    Text30,
    Text50,
    Text100,
    Text200,
    _text,
    day_start,
    filtered,
    forbid,
    get_or_404,
    lookup,
    page_of,
    paginate,
    responses,
)
from kadans.relations import selectors, services
from kadans.relations.filters import RELATION_SORTS, ContactFilterSet, RelationFilterSet
from kadans.relations.models import BusinessStatus, Contact, Priority, Relation, StatusChange
from kadans.relations.selectors import visible_relations

router = Router(tags=["relations"])

RelationKind = Literal["company", "person"]
Text2 = _text(2)
Text20 = _text(20)
Email = _text(254)
# degrees, kept to the six decimals the model stores
Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=8, decimal_places=6)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6)]


class RelationOut(Schema):
    id: int
    kind: RelationKind
    name: str
    vat_number: str
    street: str
    postal_code: str
    city: str
    country: str
    phone: str
    email: str
    website: str
    representative: int | None
    business_status: int | None
    priority: int | None
    notes: str
    cadence_days: int | None
    latitude: float | None = Field(description="WGS 84 degrees; null: unknown.")
    longitude: float | None = Field(description="WGS 84 degrees; null: unknown.")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    can_edit: bool = Field(description="Whether the caller may change this relation and its contacts.")


def relation_out(relation: Relation, user: User) -> dict:
    return {
        "id": relation.pk, "kind": relation.kind, "name": relation.name, "vat_number": relation.vat_number,
        "street": relation.street, "postal_code": relation.postal_code, "city": relation.city,
        "country": relation.country, "phone": relation.phone, "email": relation.email, "website": relation.website,
        "representative": relation.representative_id, "business_status": relation.business_status_id,
        "priority": relation.priority_id, "notes": relation.notes, "cadence_days": relation.cadence_days,
        "latitude": None if relation.latitude is None else float(relation.latitude),
        "longitude": None if relation.longitude is None else float(relation.longitude),
        "created_at": relation.created_at, "updated_at": relation.updated_at,
        "can_edit": can_edit_relation(user, relation),
    }


class RelationCreate(Input):
    kind: RelationKind = "company"
    name: Text200 = Field(min_length=1)
    vat_number: Text30 = ""
    street: Text200 = ""
    postal_code: Text20 = ""
    city: Text100 = ""
    country: Text2 = "BE"
    phone: Text50 = ""
    email: Email = ""
    website: Text200 = ""
    representative: Id | None = Field(None, description="A user id; left out: the caller; null: nobody.")
    business_status: Id | None = Field(None, description="Left out or null: the default status.")
    priority: Id | None = None
    notes: Text = ""
    cadence_days: SmallInt | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class RelationUpdate(Input):
    """Only the fields given change. A business status or priority can be changed, not emptied."""

    kind: RelationKind = None
    name: Text200 = Field(None, min_length=1)
    vat_number: Text30 = None
    street: Text200 = None
    postal_code: Text20 = None
    city: Text100 = None
    country: Text2 = None
    phone: Text50 = None
    email: Email = None
    website: Text200 = None
    representative: Id | None = None
    business_status: Id = None
    priority: Id = None
    notes: Text = None
    cadence_days: SmallInt | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None


def _relation_fields(payload: Input) -> dict:
    """The given fields, with ids turned into the objects the services take."""
    data = payload.model_dump(exclude_unset=True)
    if "representative" in data:
        data["representative"] = lookup(assignable_representatives(), data["representative"], "representative")
    if "business_status" in data:
        data["business_status"] = lookup(BusinessStatus.objects.all(), data["business_status"], "business_status")
    if "priority" in data:
        data["priority"] = lookup(Priority.objects.all(), data["priority"], "priority")
    return data


def _relations(user: User):
    return visible_relations(user).select_related("representative", "business_status", "priority")


class RelationFilters(PageParams):
    q: Text100 = Field("", description="Search on name, city or a contact's name.")
    status: Id | None = Field(None, description="A business status id.")
    priority: Id | None = None
    representative: Id | None = None
    sort: Literal[tuple(RELATION_SORTS)] = "name"


@router.get("/relations", response=responses({200: page_of(RelationOut)}), summary="List relations")
def list_relations(request, filters: Query[RelationFilters]):
    qs = filtered(RelationFilterSet, filters, selectors.relation_list(user=request.user))
    return paginate(qs, filters, lambda r: relation_out(r, request.user))


@router.post("/relations", response=responses({201: RelationOut}), summary="Create a relation")
def create_relation(request, payload: RelationCreate):
    if not can_create_relation(request.user):
        forbid()
    data = _relation_fields(payload)
    if "representative" not in payload.model_fields_set:
        data["representative"] = request.user
    with transaction.atomic():
        relation = services.relation_create(user=request.user, **data)
    return Status(201, relation_out(relation, request.user))


@router.get("/relations/{relation_id}", response=responses({200: RelationOut}, 404), summary="Get a relation")
def get_relation(request, relation_id: Id):
    return relation_out(get_or_404(_relations(request.user), relation_id, "relation"), request.user)


@router.patch("/relations/{relation_id}", response=responses({200: RelationOut}, 404), summary="Change a relation")
def update_relation(request, relation_id: Id, payload: RelationUpdate):
    relation = get_or_404(_relations(request.user), relation_id, "relation")
    if not can_edit_relation(request.user, relation):
        forbid()
    data = _relation_fields(payload)
    with transaction.atomic():
        services.relation_update(relation=relation, user=request.user, **data)
    relation = _relations(request.user).get(pk=relation.pk)
    return relation_out(relation, request.user)


# Contacts ------------------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    relation: int
    first_name: str
    last_name: str
    function: str
    email: str
    phone: str


def contact_out(contact: Contact) -> dict:
    return {
        "id": contact.pk, "relation": contact.relation_id, "first_name": contact.first_name,
        "last_name": contact.last_name, "function": contact.function, "email": contact.email, "phone": contact.phone,
    }


class ContactCreate(Input):
    relation: Id
    first_name: Text100 = ""
    last_name: Text100 = Field(min_length=1)
    function: Text100 = ""
    email: Email = ""
    phone: Text50 = ""


class ContactUpdate(Input):
    first_name: Text100 = None
    last_name: Text100 = Field(None, min_length=1)
    function: Text100 = None
    email: Email = None
    phone: Text50 = None


class ContactFilters(PageParams):
    relation: Id | None = None
    q: Text100 = Field("", description="Search on first name, last name or e-mail.")


def _contact_for_edit(request, contact_id: int) -> Contact:
    contact = get_or_404(
        selectors.contact_list(user=request.user).select_related("relation__representative"), contact_id, "contact"
    )
    if not can_edit_relation(request.user, contact.relation):
        forbid()
    return contact


@router.get("/contacts", response=responses({200: page_of(ContactOut)}), summary="List contacts", tags=["contacts"])
def list_contacts(request, filters: Query[ContactFilters]):
    qs = filtered(ContactFilterSet, filters, selectors.contact_list(user=request.user))
    return paginate(qs, filters, contact_out)


@router.post("/contacts", response=responses({201: ContactOut}), summary="Add a contact to a relation",
             tags=["contacts"])
def create_contact(request, payload: ContactCreate):
    data = payload.model_dump()
    relation = lookup(visible_relations(request.user).select_related("representative"), data.pop("relation"),
                      "relation")
    if not can_edit_relation(request.user, relation):
        forbid()
    with transaction.atomic():
        contact = services.contact_create(relation=relation, **data)
    return Status(201, contact_out(contact))


@router.get("/contacts/{contact_id}", response=responses({200: ContactOut}, 404), summary="Get a contact",
            tags=["contacts"])
def get_contact(request, contact_id: Id):
    return contact_out(get_or_404(selectors.contact_list(user=request.user), contact_id, "contact"))


@router.patch("/contacts/{contact_id}", response=responses({200: ContactOut}, 404), summary="Change a contact",
              tags=["contacts"])
def update_contact(request, contact_id: Id, payload: ContactUpdate):
    contact = _contact_for_edit(request, contact_id)
    with transaction.atomic():
        services.contact_update(contact=contact, **payload.model_dump(exclude_unset=True))
    return contact_out(contact)


# Status changes ------------------------------------------------------------------------------------


class StatusChangeOut(Schema):
    id: int
    relation: int
    field: Literal["status", "priority"]
    from_status: int | None
    to_status: int | None
    from_priority: int | None
    to_priority: int | None
    activity: int | None = Field(description="The activity whose completion made the change, if any.")
    user: int | None
    at: datetime.datetime


def status_change_out(change: StatusChange) -> dict:
    return {
        "id": change.pk, "relation": change.relation_id, "field": change.field,
        "from_status": change.from_status_id, "to_status": change.to_status_id,
        "from_priority": change.from_priority_id, "to_priority": change.to_priority_id,
        "activity": change.activity_id, "user": change.user_id, "at": change.at,
    }


class StatusChangeFilters(PageParams):
    relation: Id | None = None
    field: Literal["", "status", "priority"] = ""
    since: Day | None = Field(None, description="From this day on (the caller's time zone).")
    until: Day | None = Field(None, description="Before this day (the caller's time zone).")


@router.get("/status-changes", response=responses({200: page_of(StatusChangeOut)}),
            summary="List status and priority changes, newest first", tags=["status changes"])
def list_status_changes(request, filters: Query[StatusChangeFilters]):
    qs = selectors.status_change_list(
        user=request.user, relation=filters.relation, field=filters.field,
        since=day_start(filters.since) if filters.since else None,
        until=day_start(filters.until) if filters.until else None,
    )
    return paginate(qs, filters, status_change_out)


@router.get("/status-changes/{change_id}", response=responses({200: StatusChangeOut}, 404),
            summary="Get a status change", tags=["status changes"])
def get_status_change(request, change_id: Id):
    return status_change_out(get_or_404(selectors.status_change_list(user=request.user), change_id, "status change"))
