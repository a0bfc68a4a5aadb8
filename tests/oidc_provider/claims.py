"""The claims the test provider makes (`people.PEOPLE`), and one way it misbehaves on purpose."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.people import OTHER_CLIENT_ID, PEOPLE


class Validator(OAuth2Validator):
    def get_additional_claims(self, request):
        return dict(PEOPLE.get(request.user.username, {}))

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.username == "mallory":
            claims["aud"] = OTHER_CLIENT_ID
        return claims, expiration_time
