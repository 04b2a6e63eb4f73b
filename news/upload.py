"""Staff-only image upload for the body editor (filled in by the editor-upload work)."""

from django.http import JsonResponse


def body_image_upload(request):
    return JsonResponse({"error": "Chưa hỗ trợ."}, status=501)
