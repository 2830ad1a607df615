"""Responses made outside DRF's views (middleware, handlers): JSON for API clients, plain text for people."""

from django.http import HttpResponse, JsonResponse

API_PREFIX = "/api/"


def is_api_request(request):
    return request.path_info.startswith(API_PREFIX)


def error_response(request, message, status):
    """``{"detail": message}`` under /api/, the bare message elsewhere."""
    if is_api_request(request):
        return JsonResponse({"detail": str(message)}, status=status)
    return HttpResponse(str(message), status=status, content_type="text/plain; charset=utf-8")
