from django.conf import settings
from django.http import Http404


class NotFound(Http404):
    """A 404 whose message is written for readers (in Vietnamese) and shown on the page."""


def client_ip(request) -> str:
    """The client's address, trusting exactly PROXY_COUNT reverse proxies."""
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
