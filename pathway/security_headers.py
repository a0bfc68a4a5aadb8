"""Headers on every response Pathway makes (static files, served by whitenoise before this runs, keep theirs).

Nothing Pathway answers may be kept by a browser or a proxy: its pages, CSVs, PDFs and history are someone's
private data, and a shared computer must not show them again after sign-out. The Permissions-Policy switches
off the browser features Pathway never uses, so injected content could not use them either.
"""

from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
