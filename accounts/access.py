"""Access policy for accounts: whose account a user may change. The only place this rule lives.

Every page that changes an account asks it: the account admin, the person form (name and email address),
"Mark as leaver" and the people CSV import.
"""


def may_change_account(user, account) -> bool:
    """May `user` change `account` (its name, email address, password or access) or close it?

    HR admins change everyone's account but a superuser's: only a superuser changes a superuser's, because a new
    email address and a password reset would hand the account to whoever chose the address.
    """
    return bool(user.is_superuser) or not account.is_superuser
