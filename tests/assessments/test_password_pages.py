import re

from django.core import mail
from django.urls import reverse


def test_password_change_page_renders_styled_for_a_signed_in_person(client, pm):
    client.force_login(pm)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Change your password</h1>" in html
    assert 'href="/static/css/pathway.css"' in html  # our layout, not the admin's


def test_password_change_works_and_says_so(client, pm, password):
    client.force_login(pm)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Your password has been changed" in response.content.decode()
    pm.refresh_from_db()
    assert pm.check_password("a new long passphrase")


def test_password_change_with_wrong_old_password_explains_and_changes_nothing(client, pm, password):
    client.force_login(pm)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    pm.refresh_from_db()
    assert pm.check_password(password)


def test_password_reset_pages_render_for_anyone(client, db):
    for name, heading in (
        ("password_reset", "Reset your password"),
        ("password_reset_done", "Check your email"),
        ("password_reset_complete", "Your password has been set"),
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert f"<h1>{heading}</h1>" in response.content.decode()


def test_password_reset_email_contains_a_working_link(client, pm):
    response = client.post(reverse("password_reset"), {"email": "PRIYA@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Pathway password"
    assert message.to == ["priya@example.com"]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
        follow=True,
    )
    assert "Your password has been set" in response.content.decode()
    pm.refresh_from_db()
    assert pm.check_password("a brand new passphrase")


def test_password_reset_for_unknown_email_sends_nothing_and_looks_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_expired_or_used_reset_link_explains(client, pm):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert response.status_code == 200
    assert "This link has expired or has already been used" in response.content.decode()


def test_imported_person_can_reset_their_password(client, framework):
    from assessments.people.importer import import_people

    import_people("email,name\nnew@example.com,New Person\n")
    client.post(reverse("password_reset"), {"email": "new@example.com"})
    assert len(mail.outbox) == 1
