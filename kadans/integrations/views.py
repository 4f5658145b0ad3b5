"""Settings pages for web forms and webhooks, the import wizard (upload, mapping, dry run, commit) and the
CSV/XLSX exports of the lists."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kadans.accounts.access import require_settings_access
from kadans.activities import selectors as activity_selectors
from kadans.activities.filters import MyActivitiesFilterSet
from kadans.activities.models import Product
from kadans.core.exports import FORMATS, export_response
from kadans.core.services import form_save, instance_delete
from kadans.core.time import today_bounds
from kadans.integrations.forms import ImportUploadForm, MappingForm, WebFormForm, WebhookForm
from kadans.integrations.importer import KINDS, import_job_create, import_job_run
from kadans.integrations.intake_views import HONEYPOT
from kadans.integrations.models import ImportJob, WebForm, WebhookSubscription
from kadans.integrations.tabular import TableError, read_table
from kadans.relations import selectors as relation_selectors
from kadans.relations.filters import RelationFilterSet

# --- web forms and webhooks (administrators) -------------------------------------------------------


def webform_list(request):
    require_settings_access(request)
    forms_ = WebForm.objects.select_related("representative", "team", "plan")
    return render(request, "integrations/webform_list.html", {"web_forms": forms_})


def webform_edit(request, pk: int | None = None):
    require_settings_access(request)
    instance = get_object_or_404(WebForm, pk=pk) if pk else None
    form = WebFormForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        web_form = form_save(form=form)
        messages.success(request, _("Web form saved."))
        return redirect("integrations:webform_edit", pk=web_form.pk)
    endpoint = request.build_absolute_uri(reverse("intake", args=[instance.key])) if instance else ""
    return render(request, "integrations/webform_form.html", {
        "form": form, "object": instance, "endpoint": endpoint, "honeypot": HONEYPOT,
    })


@require_POST
def webform_delete(request, pk: int):
    require_settings_access(request)
    instance_delete(instance=get_object_or_404(WebForm, pk=pk))
    messages.success(request, _("Web form deleted."))
    return redirect("integrations:webform_list")


def webhook_list(request):
    require_settings_access(request)
    return render(request, "integrations/webhook_list.html", {"subscriptions": WebhookSubscription.objects.all()})


def webhook_edit(request, pk: int | None = None):
    require_settings_access(request)
    instance = get_object_or_404(WebhookSubscription, pk=pk) if pk else None
    form = WebhookForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        subscription = form_save(form=form)
        messages.success(request, _("Webhook saved."))
        return redirect("integrations:webhook_edit", pk=subscription.pk)
    deliveries = instance.deliveries.all()[:50] if instance else []
    return render(request, "integrations/webhook_form.html", {
        "form": form, "object": instance, "deliveries": deliveries,
    })


@require_POST
def webhook_delete(request, pk: int):
    require_settings_access(request)
    instance_delete(instance=get_object_or_404(WebhookSubscription, pk=pk))
    messages.success(request, _("Webhook deleted."))
    return redirect("integrations:webhook_list")


# --- import (administrators) ------------------------------------------------------------------------


def import_upload(request):
    require_settings_access(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None,
                            initial={"kind": request.GET.get("kind", "relations")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            header, _rows = read_table(content, upload.name)
        except TableError as e:
            form.add_error("file", str(e))
        else:
            job = import_job_create(kind=form.cleaned_data["kind"], filename=upload.name, content=content,
                                    header=header, user=request.user)
            return redirect("integrations:import_map", pk=job.pk)
    return render(request, "integrations/import_upload.html", {"form": form})


def import_map(request, pk: int):
    require_settings_access(request)
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    header, rows = read_table(bytes(job.content), job.filename)
    form = MappingForm(request.POST or None, kind=job.kind, header=header, initial=job.mapping)
    report = job.report or None
    if request.method == "POST" and job.status != ImportJob.Status.DONE and form.is_valid():
        dry_run = request.POST.get("action") != "commit"
        result = import_job_run(job=job, header=header, rows=rows, mapping=form.mapping(), user=request.user,
                                dry_run=dry_run)
        report = result.as_dict()
        if job.status == ImportJob.Status.DONE:
            messages.success(request, _("%(count)s rows imported.") % {"count": result.imported})
    return render(request, "integrations/import_map.html", {
        "job": job, "form": form, "report": report, "kind_label": KINDS[job.kind][0], "preview": rows[:5],
        "header": header,
    })


# --- exports (everyone: the same rows as the lists) -------------------------------------------------


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _refused(filterset) -> HttpResponseBadRequest:
    """An export asked with filters that do not validate: a different set of rows than the page would
    show is worse than none."""
    return HttpResponseBadRequest(
        " ".join(f"{name}: {message}" for name, messages in filterset.error_messages().items() for message in messages),
        content_type="text/plain; charset=utf-8",
    )


@require_GET
def export_relations(request, fmt: str):
    """The relation list with the filters of the page (the query string), every page of it."""
    fmt = _format(fmt)
    filterset = RelationFilterSet(request.GET or None, queryset=relation_selectors.relation_list(user=request.user))
    if filterset.is_bound and not filterset.is_valid():
        return _refused(filterset)
    columns = [_("Id"), _("Name"), _("Kind"), _("VAT number"), _("Street"), _("Postal code"), _("City"),
               _("Country"), _("Phone"), _("E-mail"), _("Website"), _("Representative"), _("Business status"),
               _("Priority")]
    rows = (
        [r.pk, r.name, r.kind, r.vat_number, r.street, r.postal_code, r.city, r.country, r.phone, r.email,
         r.website, r.representative.username if r.representative else "",
         r.business_status.code if r.business_status else "", r.priority.name if r.priority else ""]
        for r in filterset.qs.iterator(chunk_size=2000)
    )
    return export_response(rows, columns, format=fmt, filename="relations")


@require_GET
def export_my_activities(request, fmt: str):
    """My open activities with the filters of the page, overdue first then by due date."""
    fmt = _format(fmt)
    today_start, tomorrow_start = today_bounds()
    filterset = MyActivitiesFilterSet(
        request.GET or None, queryset=activity_selectors.user_open_activities(request.user),
        today_start=today_start, tomorrow_start=tomorrow_start,
    )
    if filterset.is_bound and not filterset.is_valid():
        return _refused(filterset)
    today = timezone.localdate()
    columns = [_("Id"), _("State"), _("Due"), _("Start"), _("End"), _("All day"), _("Type"), _("Relation"),
               _("Contact"), _("Subject"), _("Representative"), _("Remark")]
    rows = (
        [a.pk, a.state(today), a.due_date, a.start, a.end, a.all_day, a.type.name, a.relation.name,
         str(a.contact) if a.contact_id else "", a.summary, a.representative.username, a.note]
        for a in filterset.qs.iterator(chunk_size=2000)
    )
    return export_response(rows, columns, format=fmt, filename="activities")


@require_GET
def export_products(request, fmt: str):
    fmt = _format(fmt)
    columns = [_("Id"), _("Name"), _("Code"), _("Cost price"), _("Active")]
    rows = ([p.pk, p.name, p.code, p.cost_price, p.active] for p in Product.objects.order_by("name", "pk"))
    return export_response(rows, columns, format=fmt, filename="products")
