from django.conf import settings

from portal import fragments


def shared(request):
    """The site's address and the content generation that keys the fragment caches."""
    return {
        "SITE_URL": settings.SITE_URL,
        # A plain number, read once per request: nearly every page keys fragments by it,
        # and a lazy object costs more at each of a page's ten fragments than the read.
        "CONTENT_GEN": fragments.generation_for(request),
    }
