"""An address carrying a NUL character is refused before any view reads it: 400, with a sentence.

Every view, admin filter, admin search and the admin's autocomplete read `request.GET`; PostgreSQL refuses a NUL
byte in any text it is asked to compare, so one such character in a query string would otherwise be a server
error wherever it lands. Form posts are checked at their fields (Django's CharField refuses NUL).
"""

from django.shortcuts import render

from pathway.text import unstorable_character


def unusable_character_in_address(request) -> str | None:
    found = unstorable_character(request.path_info)
    for key, values in request.GET.lists():
        found = found or unstorable_character(key) or next(filter(None, map(unstorable_character, values)), None)
    return found


class RefuseUnusableAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = unusable_character_in_address(request)
        if found:
            message = f"This address contains {found}, which Pathway cannot use."
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
