"""Pathway's own "Page not found" in development too.

With DEBUG on, Django answers a 404 with its technical page (the URL patterns tried). `make run` is where people
first meet Pathway, so it shows the product's page instead, as production does; set DEBUG_TECHNICAL_404=1 to
see Django's page while working on URLs.
"""

from django.conf import settings
from django.shortcuts import render

TECHNICAL_MARK = b"DEBUG = True"


class ProductNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.DEBUG_TECHNICAL_404
            and response.status_code == 404
            and not response.streaming
            and TECHNICAL_MARK in response.content
        ):
            return render(request, "404.html", status=404)
        return response
