"""SCIM 2.0 provisioning (RFC 7643/7644) at /scim/v2/: the company directory creates, changes and closes people.

Payloads are read and written with scim2-models; the mapping onto accounts and people is ours (`users.py`,
`groups.py`); filters become database queries (`filters.py`). Clients sign in with a bearer token
(`models.ScimToken`, made by `manage.py create_scim_token`).
"""
