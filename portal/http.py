from django.http import Http404


class NotFound(Http404):
    """A 404 whose message is written for readers (in Vietnamese) and shown on the page."""
