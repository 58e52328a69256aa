from django.core.management.base import BaseCommand

from portal.core.outbox import mail_send, pending_tasks_drain


class Command(BaseCommand):
    help = (
        "Send the outbox's mail that is due and publish the tasks kept while the broker was down "
        "(the same as the beat tasks); safe to run anytime, also beside them."
    )

    def handle(self, *args, **options):
        mail = mail_send().as_dict()
        tasks = pending_tasks_drain().as_dict()
        self.stdout.write(
            " ".join(
                [f"mail_{name}={count}" for name, count in mail.items()]
                + [f"tasks_{name}={count}" for name, count in tasks.items()]
            )
        )
