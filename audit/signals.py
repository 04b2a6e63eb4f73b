"""What is recorded without the code that does it knowing: logins and logouts (Django's
auth signals), lockouts (django-axes), every add, change and delete made in the admin
(its LogEntry), exports (portal.exports.export_started). Publishing, hiding, restoring
and import runs are recorded where they happen (audit.services.audit_record)."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.middleware import current_request
from audit.models import AuditEntry
from audit.services import audit_record
from portal.exports import export_started

A = AuditEntry.Action
# Changes of these models are changes of who may do what, or of the site's settings.
PERMISSION_MODELS = {("auth", "user"), ("auth", "group")}
SETTINGS_MODELS = {("pages", "sitesettings"), ("twofactor", "twofactorpolicy")}


@receiver(user_logged_in)
def _login(sender, request, user, **kwargs):
    audit_record(action=A.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def _logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=A.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))
    audit_record(action=A.LOGIN_FAILED, request=request, username=username)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(action=A.LOCKOUT, request=request, username=username or "")


@receiver(post_save, sender=LogEntry)
def _admin_log(sender, instance, created, **kwargs):
    if not created:
        return
    label = (
        (instance.content_type.app_label, instance.content_type.model)
        if instance.content_type_id
        else None
    )
    if instance.action_flag == DELETION:
        action = A.DELETE
    elif label in PERMISSION_MODELS:
        action = A.PERMISSIONS
    elif label in SETTINGS_MODELS:
        action = A.SETTINGS
    elif instance.action_flag == ADDITION:
        action = A.ADD
    elif instance.action_flag == CHANGE:
        action = A.CHANGE
    else:
        return
    # Named as the admin's log names it: the object may be gone (a deletion).
    audit_record(
        action=action, request=current_request(), user=instance.user,
        detail=instance.get_change_message(), content_type_id=instance.content_type_id,
        object_id=instance.object_id or "", object_repr=instance.object_repr,
    )  # fmt: skip


@receiver(export_started)
def _export(sender, request, filename, **kwargs):
    audit_record(action=A.EXPORT, request=request, detail=filename)
