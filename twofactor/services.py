"""Two-step login: who needs it, enrolment, backup codes, reset."""

from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from audit.services import audit_record
from twofactor.models import TwoFactorPolicy

BACKUP_CODES = 10
DEVICE_NAME = "Ứng dụng xác thực"


def required_for(user) -> bool:
    policy = TwoFactorPolicy.objects.filter(pk=1).first()
    if policy is None:
        return False
    return policy.required_groups.filter(pk__in=user.groups.values("pk")).exists()


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user) -> TOTPDevice:
    """The not-yet-confirmed device being enrolled (one per user; made on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def two_factor_enrol(*, request, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app by one code from it; returns the new backup codes, or None."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    codes = backup_codes_renew(user=user)
    audit_record(action=AuditEntry.Action.TWO_FACTOR_ENROLLED, request=request, obj=user)
    return codes


def backup_codes_renew(*, user) -> list[str]:
    """New one-time backup codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Mã dự phòng", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify(user, token: str):
    """The device that accepted `token` (a TOTP code not used before, or an unused backup
    code, which is then spent), or None."""
    token = "".join(token.split())
    if not token or len(token) > 16:
        return None
    return match_token(user, token)


def two_factor_reset(*, user, request=None, reason: str = "") -> int:
    """Remove every device (the phone is lost): the next login asks for the password only,
    then for a new enrolment if the user's group requires it."""
    n = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        n += 1
    audit_record(
        action=AuditEntry.Action.TWO_FACTOR_RESET, request=request, obj=user, detail=reason
    )
    return n
