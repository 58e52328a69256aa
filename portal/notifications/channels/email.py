"""The e-mail channel: hands the notice to the mail outbox (portal.core.outbox), today's path."""

from __future__ import annotations

from portal.core.outbox import mail_store

from .base import Channel, SendResult, guarded


class EmailChannel(Channel):
    name = "email"

    def is_configured(self) -> bool:
        return True  # EMAIL_URL always names a backend (the console by default)

    def address(self, delivery) -> str:
        return (delivery.user.email if delivery.user else "") or ""

    @guarded
    def send(self, delivery) -> SendResult:
        mail = mail_store(
            recipients=[self.address(delivery)],
            subject=delivery.payload.get("subject", ""),
            body=delivery.payload.get("body", delivery.text),
        )
        # The outbox owns the mail from here, with its own retries.
        return SendResult(ok=True, message_id=f"mail:{mail.pk}")
