"""The settings lists: business statuses, priorities, products and activity types.

Everyone reads them; only administrators change them (can_change_settings). A change goes through the
settings page's own form, so the page and the API validate with the same rules and the same messages.
"""

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import models
from django.forms.models import model_to_dict
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, create_model

from kadans.accounts.permissions import can_change_settings
from kadans.activities.forms import ActivityTypeForm, ProductForm
from kadans.activities.models import ActivityType, Product
from kadans.api.common import (
    Id,
    Input,
    PageParams,
    SmallInt,
    Text,
    Text50,
    Text60,
    Text100,
    Text200,
    forbid,
    get_or_404,
    page_of,
    paginate,
    responses,
)
from kadans.core.services import form_save, instance_delete
from kadans.relations.forms import BusinessStatusForm, PriorityForm
from kadans.relations.models import BusinessStatus, Priority

router = Router()


def _choices(choices: type[models.TextChoices]) -> Any:
    return Literal[tuple(choices.values)]


# Schemas -------------------------------------------------------------------------------------------


class BusinessStatusOut(Schema):
    id: int
    name: str
    code: str
    order: int
    is_won: bool
    is_lost: bool
    is_default: bool


class BusinessStatusCreate(Input):
    name: Text60 = Field(min_length=1)
    code: Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=30)]
    order: SmallInt = 0
    is_won: bool = False
    is_lost: bool = False
    is_default: bool = False


class PriorityOut(Schema):
    id: int
    name: str
    order: int
    cadence_days: int | None


class PriorityCreate(Input):
    name: Text60 = Field(min_length=1)
    order: SmallInt = 0
    cadence_days: SmallInt | None = None


class ProductOut(Schema):
    id: int
    name: str
    code: str
    cost_price: Decimal
    active: bool


class ProductCreate(Input):
    name: Text200 = Field(min_length=1)
    code: Text50 = ""
    cost_price: Annotated[Decimal, Field(max_digits=10, decimal_places=2, ge=Decimal("0"))] = Decimal("0")
    active: bool = True


class ActivityTypeOut(Schema):
    id: int
    name: str
    kind: _choices(ActivityType.Kind)
    color: str
    order: int
    active: bool
    default_user: int | None
    default_summary: str
    default_note: str
    interval_days: int | None
    chaining: _choices(ActivityType.Chaining)
    suggested_types: list[int]
    triggered_type: int | None
    delay_count: int
    delay_unit: _choices(ActivityType.DelayUnit)
    delay_from: _choices(ActivityType.DelayFrom)


class ActivityTypeCreate(Input):
    name: Text100 = Field(min_length=1)
    kind: _choices(ActivityType.Kind) = ActivityType.Kind.TODO.value
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = "#3b82f6"
    order: SmallInt = 0
    active: bool = True
    default_user: Id | None = None
    default_summary: Text200 = ""
    default_note: Text = ""
    interval_days: SmallInt | None = None
    chaining: _choices(ActivityType.Chaining) = ActivityType.Chaining.NONE.value
    suggested_types: list[Id] = Field([], max_length=100)
    triggered_type: Id | None = None
    # a next activity is due within ten years, so that date arithmetic stays within the calendar
    delay_count: int = Field(0, ge=0, le=3650)
    delay_unit: _choices(ActivityType.DelayUnit) = ActivityType.DelayUnit.DAYS.value
    delay_from: _choices(ActivityType.DelayFrom) = ActivityType.DelayFrom.COMPLETION.value


def _update_schema(create: type[Input]) -> type[Input]:
    """The same fields, none required: a PATCH changes only what it gives."""
    fields = {
        name: (info.annotation, Field(None, description=info.description, json_schema_extra=_no_default, **{
            key: value for key, value in _constraints(info).items()
        }))
        for name, info in create.model_fields.items()
    }
    return create_model(create.__name__.replace("Create", "Update"), __base__=Input, **fields)


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def _constraints(info) -> dict:
    # Field(...)-level constraints (min_length on a name, bounds on a number) live in the metadata
    out = {}
    for item in info.metadata:
        for key in ("min_length", "max_length", "ge", "le", "pattern", "max_digits", "decimal_places"):
            if hasattr(item, key) and getattr(item, key) is not None:
                out[key] = getattr(item, key)
    return out


# The generic endpoints -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Setting:
    path: str
    name: str
    """Singular, for messages and operation ids."""
    plural: str
    model: type[models.Model]
    form: type[forms.ModelForm]
    out: type[Schema]
    create: type[Input]
    render: Callable[[Any], dict]
    queryset: Callable[[], models.QuerySet]
    order: tuple[str, ...]


def _form_data(setting: Setting, instance, given: dict) -> dict:
    """What the form gets: the current values for what a PATCH leaves out, then the given ones."""
    data = {}
    if instance.pk:
        data = model_to_dict(instance, fields=setting.form._meta.fields)
        for key, value in data.items():
            if isinstance(value, list):
                data[key] = [getattr(v, "pk", v) for v in value]
    data.update(given)
    return data


def _save(setting: Setting, instance, given: dict):
    form = setting.form(data=_form_data(setting, instance, given), instance=instance)
    if not form.is_valid():
        raise ModelValidationError(form.errors.as_data())
    return form_save(form=form)


def _register(setting: Setting) -> None:
    slug = setting.name.replace(" ", "_")
    plural_slug = setting.plural.replace(" ", "_")
    update = _update_schema(setting.create)
    tags = [setting.path.strip("/").replace("-", " ")]
    page = page_of(setting.out)

    def queryset():
        return setting.queryset().order_by(*setting.order)

    @router.get(setting.path, response=responses({200: page}), operation_id=f"list_{plural_slug}", tags=tags,
                summary=f"List {setting.plural}")
    def list_view(request, filters: Query[PageParams]):
        return paginate(queryset(), filters, setting.render)

    @router.post(setting.path, response=responses({201: setting.out}), operation_id=f"create_{slug}", tags=tags,
                 summary=f"Create a {setting.name} (administrators)")
    def create_view(request, payload: setting.create):
        if not can_change_settings(request.user):
            forbid()
        obj = _save(setting, setting.model(), payload.model_dump())
        return Status(201, setting.render(queryset().get(pk=obj.pk)))

    @router.get(setting.path + "/{item_id}", response=responses({200: setting.out}, 404),
                operation_id=f"get_{slug}", tags=tags, summary=f"Get a {setting.name}")
    def get_view(request, item_id: Id):
        return setting.render(get_or_404(queryset(), item_id, setting.name))

    @router.patch(setting.path + "/{item_id}", response=responses({200: setting.out}, 404),
                  operation_id=f"update_{slug}", tags=tags, summary=f"Change a {setting.name} (administrators)")
    def update_view(request, item_id: Id, payload: update):
        obj = get_or_404(queryset(), item_id, setting.name)
        if not can_change_settings(request.user):
            forbid()
        _save(setting, obj, payload.model_dump(exclude_unset=True))
        return setting.render(queryset().get(pk=obj.pk))

    @router.delete(setting.path + "/{item_id}", response=responses({204: None}, 404, 409),
                   operation_id=f"delete_{slug}", tags=tags,
                   summary=f"Delete an unused {setting.name} (administrators)")
    def delete_view(request, item_id: Id):
        """One in use cannot be deleted (409): archive it instead, where it has `active`."""
        obj = get_or_404(queryset(), item_id, setting.name)
        if not can_change_settings(request.user):
            forbid()
        instance_delete(instance=obj)
        return Status(204, None)


SETTINGS = [
    Setting(
        "/business-statuses", "business status", "business statuses", BusinessStatus, BusinessStatusForm,
        BusinessStatusOut, BusinessStatusCreate,
        lambda s: {"id": s.pk, "name": s.name, "code": s.code, "order": s.order, "is_won": s.is_won,
                   "is_lost": s.is_lost, "is_default": s.is_default},
        lambda: BusinessStatus.objects.all(), ("order", "name", "id"),
    ),
    Setting(
        "/priorities", "priority", "priorities", Priority, PriorityForm, PriorityOut, PriorityCreate,
        lambda p: {"id": p.pk, "name": p.name, "order": p.order, "cadence_days": p.cadence_days},
        lambda: Priority.objects.all(), ("order", "name", "id"),
    ),
    Setting(
        "/products", "product", "products", Product, ProductForm, ProductOut, ProductCreate,
        lambda p: {"id": p.pk, "name": p.name, "code": p.code, "cost_price": p.cost_price, "active": p.active},
        lambda: Product.objects.all(), ("name", "id"),
    ),
    Setting(
        "/activity-types", "activity type", "activity types", ActivityType, ActivityTypeForm,
        ActivityTypeOut, ActivityTypeCreate,
        lambda t: {
            "id": t.pk, "name": t.name, "kind": t.kind, "color": t.color, "order": t.order, "active": t.active,
            "default_user": t.default_user_id, "default_summary": t.default_summary, "default_note": t.default_note,
            "interval_days": t.interval_days, "chaining": t.chaining,
            "suggested_types": sorted(s.pk for s in t.suggested_types.all()), "triggered_type": t.triggered_type_id,
            "delay_count": t.delay_count, "delay_unit": t.delay_unit, "delay_from": t.delay_from,
        },
        lambda: ActivityType.objects.prefetch_related("suggested_types"), ("order", "name", "id"),
    ),
]

for _setting in SETTINGS:
    _register(_setting)
