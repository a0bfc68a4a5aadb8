"""Sign-in throttling (issue 12, part 1): an account locks after 5 failed sign-ins, an address after 20, for 15
minutes or until HR unlocks; a guess while locked costs no password hash; reset links are limited too."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import ResetLinkRequest
from accounts.throttle import client_address

LOGIN = reverse("login")
UNLOCK_URL = reverse("admin:accounts_failedsignin_changelist")


def sign_in(client, email, password, address="127.0.0.1", url=LOGIN):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def fail(client, email, times, address="127.0.0.1", url=LOGIN):
    for _ in range(times):
        response = sign_in(client, email, "not the password", address, url)
    return response


def signed_in(client):
    return "_auth_user_id" in client.session


def later(delta):
    """Time travel: every failed sign-in happened `delta` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)


def until_shown(response):
    return re.search(r"try again after <strong>([^<]+)</strong>", response.content.decode()).group(1)


def test_five_wrong_passwords_lock_the_account_then_the_right_one_is_refused_until_the_cool_off_ends(
    client, pm, password
):
    assert fail(client, "priya@example.com", 4).status_code == 200
    locked = fail(client, "priya@example.com", 1)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Signing in is paused" in body
    assert "There were 5 unsuccessful attempts to sign in to this account" in body
    assert "ask your HR team to unlock your account" in body
    assert 'value="priya@example.com"' in body  # the email typed is kept
    last = AccessAttempt.objects.get().attempt_time
    assert until_shown(locked) == timezone.localtime(last + timedelta(minutes=15)).strftime("%-I:%M%p").lower()

    refused = sign_in(client, "priya@example.com", password)
    assert refused.status_code == 429 and not signed_in(client)
    assert until_shown(refused) == until_shown(locked)  # a guess while locked does not move the time

    later(timedelta(minutes=14))
    assert sign_in(client, "priya@example.com", password).status_code == 429
    later(timedelta(minutes=1, seconds=1))
    assert sign_in(client, "priya@example.com", password).status_code == 302 and signed_in(client)


def test_the_email_in_any_case_or_spacing_is_one_account(client, pm, password):
    for typed in ("PRIYA@example.com", "Priya@Example.com", " priya@example.com ", "priya@EXAMPLE.COM"):
        sign_in(client, typed, "wrong")
    assert fail(client, "priya@example.com", 1).status_code == 429
    assert sign_in(client, "Priya@Example.COM", password).status_code == 429


def test_the_admin_sign_in_counts_and_locks_the_same_way(client, hr_admin, password):
    fail(client, "hana@example.com", 5, url=reverse("admin:login"))
    refused = sign_in(client, "hana@example.com", password, url=reverse("admin:login"))
    assert refused.status_code == 429 and "Signing in is paused" in refused.content.decode()
    assert sign_in(client, "hana@example.com", password).status_code == 429 and not signed_in(client)


def test_a_locked_account_is_refused_from_any_address_and_others_still_sign_in(client, pm, stranger, password):
    fail(client, "priya@example.com", 5, address="10.0.0.1")
    assert sign_in(client, "priya@example.com", password, address="10.0.0.2").status_code == 429
    assert sign_in(client, "sam@example.com", password, address="10.0.0.1").status_code == 302


def test_an_address_locks_after_20_failures_across_accounts(client, pm, password):
    # A busy office's typos, each on a different account, do not lock it: 18 recorded as axes records them...
    AccessAttempt.objects.bulk_create(
        AccessAttempt(username=f"person{n}@example.com", ip_address="127.0.0.1", failures_since_start=1)
        for n in range(18)
    )
    sign_in(client, "person18@example.com", "wrong")  # ...and the 19th through the page
    assert sign_in(client, "priya@example.com", password).status_code == 302
    client.logout()
    locked = sign_in(client, "someone@example.com", "wrong")
    assert locked.status_code == 429
    assert "too many unsuccessful attempts to sign in from your network" in locked.content.decode()
    assert sign_in(client, "priya@example.com", password).status_code == 429 and not signed_in(client)
    assert sign_in(client, "priya@example.com", password, address="10.9.9.9").status_code == 302


def test_a_guess_while_locked_computes_no_password_hash(client, pm, password, django_assert_max_num_queries):
    hasher = MD5PasswordHasher
    with (
        mock.patch.object(hasher, "verify", autospec=True, side_effect=hasher.verify) as verify,
        mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as encode,
    ):
        fail(client, "priya@example.com", 5)
        assert verify.call_count == 5  # the probe sees the hashing of unlocked attempts
        verify.reset_mock()
        encode.reset_mock()
        for guess in ("wrong", password, "another"):
            with django_assert_max_num_queries(3):  # the counts, axes' pruning of stale failures, the time to show
                assert sign_in(client, "priya@example.com", guess).status_code == 429
        assert verify.call_count == 0 and encode.call_count == 0
    assert AccessAttempt.objects.get().failures_since_start == 5  # nor is the guess recorded


def test_hr_admin_who_is_not_a_superuser_unlocks_the_account_in_the_admin(client, pm, hr_admin, password):
    assert not hr_admin.is_superuser
    fail(client, "priya@example.com", 5)
    client.force_login(hr_admin)
    page = client.get(UNLOCK_URL)
    assert page.status_code == 200
    assert "priya@example.com" in page.content.decode()
    attempt = AccessAttempt.objects.get()
    response = client.post(UNLOCK_URL, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True)
    assert "Unlocked 127.0.0.1, priya@example.com." in response.content.decode()
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert sign_in(client, "priya@example.com", password).status_code == 302


@pytest.mark.parametrize("who", ["pm", "staff"])
def test_no_one_but_hr_can_see_or_unlock_failed_sign_ins(client, pm, stranger, who):
    fail(client, "priya@example.com", 5)
    viewer = stranger
    if who == "staff":  # staff without the HR admins group's permissions
        viewer.is_staff = True
        viewer.save()
    client.force_login(viewer)
    attempt = AccessAttempt.objects.get()
    listing = client.get(UNLOCK_URL)
    unlock = client.post(UNLOCK_URL, {"action": "unlock", "_selected_action": [attempt.pk]})
    expected = 403 if who == "staff" else 302
    assert listing.status_code == unlock.status_code == expected
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_choosing_a_new_password_through_a_reset_link_unlocks_the_account(client, pm):
    fail(client, "priya@example.com", 5)
    client.post(reverse("password_reset"), {"email": "priya@example.com"})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form, {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"})
    assert sign_in(client, "priya@example.com", "a brand new passphrase").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy trusted: the header is the client's own word
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # what the one proxy saw, not what the client wrote
        (2, "198.51.100.7, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (1, "not-an-address", "10.0.0.1"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies: not through them
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
    assert client_address(RequestFactory().post("/", REMOTE_ADDR="")) is None  # e.g. a Unix socket: no address


def test_behind_a_proxy_each_client_address_locks_separately(client, settings, pm, password):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        client.post(LOGIN, {"username": f"p{n}@example.com", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    behind_same_proxy = client.post(
        LOGIN, {"username": "priya@example.com", "password": password}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert behind_same_proxy.status_code == 302


def ask_for_link(client, email, address="127.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_reset_links_are_limited_per_email_then_the_page_says_when_to_ask_again(client, pm):
    for _ in range(3):
        assert ask_for_link(client, "priya@example.com").status_code == 302
    assert len(mail.outbox) == 3
    paused = ask_for_link(client, "PRIYA@example.com", address="10.0.0.2")
    assert paused.status_code == 429 and len(mail.outbox) == 3
    body = paused.content.decode()
    assert "We have not sent another link" in body
    assert "several requests for a link for this email address" in body
    assert 'value="PRIYA@example.com"' in body
    first = ResetLinkRequest.objects.order_by("at").first().at
    assert ResetLinkRequest.objects.count() == 6  # 3 by email, 3 by address; the refused request left none
    assert str(ResetLinkRequest.objects.earliest("at")) == f"Reset link asked for at {first:%Y-%m-%d %H:%M}"
    assert f"ask again after <strong>{timezone.localtime(first + timedelta(hours=1)):%-I:%M%p}".lower() in body.lower()
    ResetLinkRequest.objects.update(at=F("at") - timedelta(hours=1, seconds=1))
    assert ask_for_link(client, "priya@example.com").status_code == 302 and len(mail.outbox) == 4


def test_reset_links_are_limited_per_address_and_count_unknown_emails_too(client, pm):
    for n in range(10):
        assert ask_for_link(client, f"nobody{n}@example.com").status_code == 302
    paused = ask_for_link(client, "priya@example.com")
    assert paused.status_code == 429 and mail.outbox == []
    assert "many requests for links from your network" in paused.content.decode()
    assert ask_for_link(client, "priya@example.com", address="10.0.0.2").status_code == 302
    assert len(mail.outbox) == 1


def test_an_address_that_opens_20_reset_links_that_are_not_valid_is_paused_even_for_a_good_one(client, pm):
    bad = reverse("password_reset_confirm", args=["MQ", "guessed-token"])
    for _ in range(20):
        assert client.get(bad).status_code == 200
    good = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(pm.pk)), default_token_generator.make_token(pm)],
    )
    paused = client.get(good)
    assert paused.status_code == 429
    first = ResetLinkRequest.objects.earliest("at").at
    body = paused.content.decode()
    assert "Reset links are paused" in body
    assert f"again after <strong>{timezone.localtime(first + timedelta(hours=1)):%-I:%M%p}".lower() in body.lower()
    assert client.get(good, REMOTE_ADDR="10.0.0.2").status_code == 302  # another address is not paused
    ResetLinkRequest.objects.update(at=F("at") - timedelta(hours=1, seconds=1))
    assert client.get(good).status_code == 302
