from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from kadans.accounts.permissions import can_edit_activity
from kadans.activities.access import activity_for_edit
from kadans.activities.models import Activity, ActivityType
from kadans.activities.selectors import visible_activities
from kadans.core.forms import is_id
from kadans.documents import services
from kadans.documents.forms import SignForm, UploadForm
from kadans.documents.models import Document
from kadans.notifications.models import Invitation


@require_GET
def activity_actions(request, pk: int):
    """The actions an activity's kind brings (write e-mail, invitation, documents, signature), loaded into
    the activity page; empty for someone who may not change the activity."""
    activity = get_object_or_404(Activity.objects.select_related("type", "contact", "relation"), pk=pk)
    context = {
        "activity": activity, "kind": activity.type.kind, "Kind": ActivityType.Kind,
        "can_edit": can_edit_activity(request.user, activity),
        "documents": list(Document.objects.filter(activity=activity).order_by("created_at", "id")),
        "invitation": Invitation.objects.filter(activity=activity).first(),
    }
    return render(request, "documents/activity_actions.html", context)


def _back(activity):
    return redirect(f"{activity.get_absolute_url()}#kind-actions")


@require_POST
def upload(request, pk: int):
    activity = activity_for_edit(request, pk)
    try:
        services.document_upload(activity=activity, user=request.user, uploaded=request.FILES.get("file"))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Document saved."))
    return _back(activity)


def download(request, pk: int):
    """Files are served only to users who may see their activity."""
    document = get_object_or_404(Document.objects.filter(activity__in=visible_activities(request.user)), pk=pk)
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name,
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def send_upload_link(request, pk: int):
    activity = activity_for_edit(request, pk)
    try:
        link, _token = services.upload_link_send(activity=activity, user=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Upload link sent to %(email)s.") % {"email": link.email})
    return _back(activity)


@require_POST
def request_signature(request, pk: int):
    activity = activity_for_edit(request, pk)
    document_id = request.POST.get("document", "")
    document = Document.objects.filter(activity=activity, pk=int(document_id) if is_id(document_id) else 0).first()
    try:
        if document is None:
            raise ValidationError(_("Choose a document of this action."))
        sig, _token = services.signature_request_send(activity=activity, document=document, user=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Signature request sent to %(email)s.") % {"email": sig.email})
    return _back(activity)


def _closed(request):
    return render(request, "documents/public_closed.html", status=404)


@login_not_required
def public_upload(request, token: str):
    link = services.upload_link_find(token)
    if link is None:
        return _closed(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.upload_by_link(token=token, uploaded=form.cleaned_data["file"])
        except ValidationError as e:
            form.add_error("file", e.messages)
        else:
            if document is None:
                return _closed(request)
            return render(request, "documents/public_done.html", {"message": _("Thank you: your file was received.")})
    return render(request, "documents/public_upload.html", {"form": form, "link": link})


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@login_not_required
def public_sign(request, token: str):
    sig = services.signature_request_find(token)
    if sig is None:
        return _closed(request)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.signature_sign(
                token=token, name=form.cleaned_data["name"], signature_data_url=form.cleaned_data["signature"],
                consent=form.cleaned_data["consent"], ip_address=_client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if done is None:
                return _closed(request)
            return render(request, "documents/public_done.html", {"message": _("Thank you: the document is signed.")})
    return render(request, "documents/public_sign.html", {"form": form, "sig": sig, "token": token})


@login_not_required
@xframe_options_sameorigin
def public_sign_document(request, token: str):
    sig = services.signature_request_find(token)
    if sig is None:
        raise Http404
    document = sig.document
    response = FileResponse(document.file.open("rb"), filename=document.name, content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
