"""tell(): the one way the portal tells people something (portal.notifications.actions)."""

import pytest
from django.utils import translation

from portal.notifications.actions import tell
from portal.notifications.models import Notification, OutgoingMail
from tests.factories import MemberUnitFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "members/email/contact_invited"


def mail_context(unit):
    return {"unit": unit, "inviter": StaffFactory(), "username": "u", "password_url": "http://x/"}


def test_each_active_user_gets_one_notification_and_one_mail_in_the_site_language():
    unit = MemberUnitFactory(name="新虹科技")
    alice, bob = UserFactory(unit=unit), UserFactory(unit=unit)
    gone = UserFactory(unit=unit, is_active=False)
    actor = StaffFactory()

    with translation.override("en"):  # whoever's request it was, the news is in Chinese
        told = tell(
            [alice, bob, alice, gone, None, actor],
            TEMPLATE,
            mail_context(unit),
            "/units/1/",
            exclude=actor,
            body="正文",
        )

    assert told == [alice, bob]
    notes = Notification.objects.order_by("user_id")
    assert [(n.user, n.title, n.body, n.url) for n in notes] == [
        (alice, "您被邀请成为“新虹科技”的联系人", "正文", "/units/1/"),
        (bob, "您被邀请成为“新虹科技”的联系人", "正文", "/units/1/"),
    ]
    mails = OutgoingMail.objects.order_by("pk")
    assert [m.recipients for m in mails] == [[alice.email], [bob.email]]
    assert {m.subject for m in mails} == {"您被邀请成为“新虹科技”的联系人"}


def test_together_sends_one_mail_to_all_and_mail_false_none():
    unit = MemberUnitFactory()
    alice, bob = UserFactory(unit=unit), UserFactory(unit=unit, email="")

    tell([alice, bob], TEMPLATE, mail_context(unit), "/x/", together=True)
    assert [m.recipients for m in OutgoingMail.objects.all()] == [[alice.email]]

    OutgoingMail.objects.all().delete()
    tell([alice, bob], None, {}, "/y/", mail=False, title="只在门户里")
    assert not OutgoingMail.objects.exists()
    assert Notification.objects.filter(url="/y/", title="只在门户里").count() == 2
