from pages import site as site_settings


def site(request):
    """Site name, slogan, footer and logo from the cached settings record (no query once
    the cache is warm; pages.site)."""
    block = site_settings.load(request)
    record = block.settings
    return {
        "SITE_NAME": record.site_name,
        "SITE_SLOGAN": record.slogan,
        "SITE_SETTINGS": record,
        "FOOTER_PAGES": block.footer_pages,
    }
