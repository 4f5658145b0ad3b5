"""Personal data pages: administrators export or erase a contact or a person-relation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kadans.accounts.permissions import can_change_settings
from kadans.privacy import services
from kadans.privacy.forms import EraseForm
from kadans.relations.models import Contact, Relation


def _admin_only(request) -> None:
    # personal data of anyone is the administrators' business, as settings are
    if not can_change_settings(request.user):
        raise PermissionDenied


def _subject(kind: str, pk: int) -> services.Subject:
    if kind == "contact":
        return services.subject_for_contact(get_object_or_404(Contact.objects.select_related("relation"), pk=pk))
    return services.subject_for_relation(get_object_or_404(Relation, pk=pk))


@require_GET
def relation_page(request, pk: int):
    _admin_only(request)
    relation = get_object_or_404(Relation, pk=pk)
    return render(request, "privacy/relation.html", {
        "relation": relation, "contacts": list(relation.contacts.order_by("last_name", "first_name")),
        "is_person": relation.kind == Relation.Kind.PERSON, "form": EraseForm(),
    })


@require_GET
def export(request, kind: str, pk: int):
    _admin_only(request)
    try:
        subject = _subject(kind, pk)
    except ValidationError as e:
        raise PermissionDenied(" ".join(e.messages)) from None
    data = services.personal_data_export(subject=subject, user=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{kind}-{pk}.zip"'
    return response


@require_http_methods(["POST"])
def erase(request, kind: str, pk: int):
    _admin_only(request)
    try:
        subject = _subject(kind, pk)
    except ValidationError as e:
        raise PermissionDenied(" ".join(e.messages)) from None
    relation_pk = subject.relation.pk
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("privacy:relation", relation_pk)
    services.personal_data_erase(subject=subject, user=request.user)
    messages.success(request, _("The personal data were erased."))
    return redirect("privacy:relation", relation_pk)
