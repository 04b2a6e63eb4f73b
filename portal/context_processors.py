from django.conf import settings

from portal import fragments


def shared(request):
    """The site's address and the content generation that keys the fragment caches."""
    return {
        "SITE_URL": settings.SITE_URL,
        "CONTENT_GEN": fragments.lazy_generation(request),
    }
