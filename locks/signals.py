from django.dispatch import receiver

from locks.services import lock_renew
from portal.sessions import session_kept_alive


@receiver(session_kept_alive)
def _renew_locks(sender, request, **kwargs):
    if request.user.is_authenticated and request.session.session_key:
        lock_renew(user=request.user, session_key=request.session.session_key)
