from django.http import HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from banners.models import Banner
from portal.http import NotFound
from stats import counting


@require_safe
@never_cache
def banner_click(request, pk):
    """Count a click and send the reader to the banner's stored address, and only there:
    nothing in the request can change the target (no open redirect)."""
    url = Banner.objects.live().filter(pk=pk).values_list("url", flat=True).first()
    if not url:  # none, over, or an image banner without a link
        raise NotFound("Liên kết này không tồn tại hoặc đã hết hạn.")
    counting.count("banner_click", pk, request)
    response = HttpResponseRedirect(url)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
