from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.PORTAL_SITE_NAME,
        "SITE_SLOGAN": settings.PORTAL_SITE_SLOGAN,
        "SITE_URL": settings.SITE_URL,
    }
