"""The task worker's jobs, under the names that jobs queued by earlier versions carry. New jobs are queued
under the modules that define them (services, invitations)."""

from kadans.notifications.invitations import sync_invitation
from kadans.notifications.services import send_digest, send_notification_email, send_reminder

__all__ = ["send_digest", "send_notification_email", "send_reminder", "sync_invitation"]
