"""Staff-only image upload for the body editor (static/js/body-image-upload.js).

Answers JSON only, errors included, so the editor can show the message next to the control:
a login page or an HTML error page would be useless to the script.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse

from news import images, services

MAX_CAPTION = 300
# The multipart envelope around the file: boundaries, headers, the caption field.
_ENVELOPE_BYTES = 64 * 1024


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def body_image_upload(request):
    if request.method != "POST":
        response = _error("Chỉ nhận tải ảnh lên bằng phương thức POST.", 405)
        response["Allow"] = "POST"
        return response
    user = request.user
    if not user.is_authenticated:
        return _error("Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại rồi thử lại.", 403)
    if not (user.is_active and user.is_staff and user.has_perm("news.add_bodyimage")):
        return _error("Bạn không có quyền tải ảnh lên.", 403)

    # Refuse an oversize body before Django reads it into a temporary file.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > images.MAX_IMAGE_BYTES + _ENVELOPE_BYTES:
        return _error(_too_large_message(), 413)

    uploaded = request.FILES.get("image")
    if uploaded is None:
        return _error("Hãy chọn một tệp ảnh để tải lên.", 400)
    if not uploaded.size:
        return _error("Tệp ảnh rỗng.", 400)
    if uploaded.size > images.MAX_IMAGE_BYTES:
        return _error(_too_large_message(), 413)
    caption = " ".join(request.POST.get("caption", "").split())[:MAX_CAPTION]

    try:
        body_image = services.body_image_upload(uploaded=uploaded, user=user)
    except ValidationError as exc:
        return _error(" ".join(exc.messages), 400)
    return JsonResponse(
        {
            "url": body_image.image.url,
            "width": body_image.width,
            "height": body_image.height,
            "alt": caption,
        },
        status=201,
        json_dumps_params={"ensure_ascii": False},
    )


def _too_large_message() -> str:
    return f"Ảnh quá lớn; tối đa {images.MAX_IMAGE_BYTES // 1048576} MB."
