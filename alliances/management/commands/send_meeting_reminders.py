from django.core.management.base import BaseCommand

from alliances.actions.reminders import meeting_reminders_send


class Command(BaseCommand):
    help = (
        "Send the meeting reminders due now (the same sweep as the beat task); safe to run anytime."
    )

    def handle(self, *args, **options):
        result = meeting_reminders_send()
        self.stdout.write(" ".join(f"{name}={count}" for name, count in result.as_dict().items()))
