"""Sign-in protection: what a locked-out client sees, and the rate-limited password reset, whose
mail goes through the outbox like every other mail (a mail server that is down loses nothing)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.core.outbox import mail_store
from portal.core.ratelimit import client_ip, rate_exceeded


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429 after too many failed sign-ins: JSON in the API's error format, a page in the browser."""
    message = _(
        "Too many failed sign-in attempts for this user from your address. "
        "Try again in %(minutes)d minutes, or reset your password."
    ) % {"minutes": cooloff_minutes()}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "client_error",
                "errors": [{"code": "throttled", "detail": message, "attr": None}],
            },
            status=429,
        )
    body = render_to_string("registration/locked_out.html", {"message": message}, request=request)
    return HttpResponse(body, status=429)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail is written to the outbox instead of sent at once.

    Django sends the link inside the request and only logs a failure ("Failed to send password
    reset email"), so a reset asked for while SMTP is down never arrived. The outbox keeps the
    mail and sends it when the server answers again (docs/operations.md).
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        mail_store(recipients=[to_email], subject=subject, body=body)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with PASSWORD_RESET_RATE_LIMIT requests per client address and
    its mail through the outbox."""

    form_class = OutboxPasswordResetForm

    def post(self, request, *args, **kwargs):
        if rate_exceeded("password-reset", client_ip(request), settings.PASSWORD_RESET_RATE_LIMIT):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None, _("Too many password reset requests from your address; try again later.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
