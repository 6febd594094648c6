"""Issue 13, item 7: sign-up takes the same time whether or not the address exists.

With ACCOUNT_PREVENT_ENUMERATION allauth answers both alike ("check your mail"), but a
new address cost a password hash (the expensive part) and an existing one did not: the
difference in time told an attacker who has an account. We assert the work, not the
clock: both paths hash the password once and send exactly one mail the same way.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client

from accounts.adapter import AccountAdapter
from tests.accounts.conftest import sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(monkeypatch):
    """Counts password hashes and mails sent through the adapter during a request."""
    counts = {"hash": 0, "mail": []}
    encode, send_mail = MD5PasswordHasher.encode, AccountAdapter.send_mail

    def counting_encode(self, password, salt):
        counts["hash"] += 1
        return encode(self, password, salt)

    def counting_send_mail(self, template_prefix, email, context):
        counts["mail"].append(email)
        return send_mail(self, template_prefix, email, context)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    monkeypatch.setattr(AccountAdapter, "send_mail", counting_send_mail)
    return counts


def _signup_work(work, email: str, name: str) -> tuple[int, int, int]:
    work["hash"], work["mail"] = 0, []
    before = len(mail.outbox)
    response = sign_up(Client(), email, name=name)
    assert response.status_code == 302
    return work["hash"], len(work["mail"]), len(mail.outbox) - before


def test_new_and_existing_address_do_the_same_work(work, member):
    new = _signup_work(work, "ganz-neu@example.org", "Gabi Neu")
    existing = _signup_work(work, member.email, "Noch Jemand")
    assert new == existing == (1, 1, 1)


def test_both_answers_look_the_same(member):
    a = sign_up(Client(), "noch-neuer@example.org", name="Nina Neu")
    b = sign_up(Client(), member.email, name="Nick Neu")
    assert a["Location"] == b["Location"]
