import smtplib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kadans.activities.access import activity_for_edit
from kadans.activities.models import Activity
from kadans.activities.open_activities import nav_counters
from kadans.activities.services import activity_complete
from kadans.core.forms import is_id
from kadans.core.services import form_save
from kadans.notifications import invitations, mail, services
from kadans.notifications.forms import EmailForm, PreferencesForm
from kadans.notifications.models import Notification


def _back(activity):
    return redirect(f"{activity.get_absolute_url()}#kind-actions")


def compose(request, pk: int):
    """Write an e-mail to the activity's contact, pre-filled from its subject and remark."""
    activity = activity_for_edit(request, pk)
    initial = {
        "to": activity.contact.email if activity.contact else "",
        "subject": activity.summary or str(activity.type), "body": activity.note,
        "complete": activity.status == Activity.Status.PLANNED,
    }
    form = EmailForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                mail.send_to_contact(activity=activity, user=request.user, to=data["to"], subject=data["subject"],
                                     body=data["body"])
                if data["complete"] and activity.status == Activity.Status.PLANNED:
                    activity_complete(activity=activity, user=request.user)
        except (smtplib.SMTPException, OSError):
            form.add_error(None, _("The e-mail could not be sent: the mail server refused it or is unreachable."))
        else:
            messages.success(request, _("E-mail sent to %(to)s.") % {"to": data["to"]})
            return redirect(activity.relation.get_absolute_url())
    return render(request, "notifications/compose.html", {"form": form, "activity": activity})


@require_POST
def send_invitation(request, pk: int):
    activity = activity_for_edit(request, pk)
    try:
        invitation = invitations.invitation_send(activity=activity, user=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    except (smtplib.SMTPException, OSError):
        messages.error(request, _("The e-mail could not be sent: the mail server refused it or is unreachable."))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.attendee})
    return _back(activity)


def notification_list(request):
    notifications = list(
        Notification.objects.filter(user=request.user)
        .select_related("activity__relation", "activity__type", "actor")[:100]
    )
    for n in notifications:
        n.text = services.notification_text(n)
    preferences = services.preferences_for(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=preferences)
    if request.method == "POST" and form.is_valid():
        form_save(form=form)
        messages.success(request, _("Your settings are saved."))
        return redirect("notifications:list")
    return render(request, "notifications/list.html", {"notifications": notifications, "form": form})


@require_GET
def bell(request):
    """The bell with the unread count, and the navigation's activity counters out of band."""
    return render(request, "notifications/bell.html", {
        "unread": services.unread_count(request.user), "nav_counters": nav_counters(request.user),
    })


@require_POST
def mark_read(request):
    pk = request.POST.get("notification", "")
    services.mark_read(request.user, int(pk) if is_id(pk) else None)
    if is_id(pk):
        notification = Notification.objects.filter(user=request.user, pk=pk).first()
        if notification is not None:
            return redirect("activities:detail", notification.activity_id)
    return redirect("notifications:list")
