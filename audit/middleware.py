import contextvars

_current_request = contextvars.ContextVar("audit_request", default=None)


def current_request():
    """The request being served, for entries written from signals (the admin's LogEntry),
    which are not handed one. None outside a request (a command, the shell)."""
    return _current_request.get()


class AuditRequestMiddleware:
    """Remembers the request while it is served: a context variable, no query, no I/O."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
