"""The test provider's people, the claims it makes about them, and its registered clients."""

PASSWORD = "provider-password"
CLIENT_ID = "pathway"
CLIENT_SECRET = "pathway-client-secret"
OTHER_CLIENT_ID = "another-app"

# username at the provider → the claims it makes about them.
PEOPLE = {
    # Her address in another case than Pathway has it: found all the same.
    "priya": {"email": "Priya@Example.com", "email_verified": True, "name": "Priya Product"},
    "uma": {"email": "uma@example.com", "email_verified": False, "name": "Uma Unverified"},
    "nina": {"email": "nina@example.com", "email_verified": True, "name": "Nina Newcomer"},
    "leo": {"email": "leo@example.com", "email_verified": True, "name": "Leo Leaver"},
    "ada": {"email": "ada@example.com", "email_verified": True, "name": "Ada Admin"},
    # Her ID tokens are issued for another application: Pathway must refuse them.
    "mallory": {"email": "mallory@example.com", "email_verified": True, "name": "Mallory Mixup"},
}
