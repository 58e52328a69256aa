"""Glue shared by the pages that run an action: `ActionView` for a step taken on one object (POST),
`ActionFormMixin` for the create/update form pages, the safe way back and the refusal's text."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from .forms import apply_validation_error


def redirect_back(request, fallback, *args, **kwargs):
    """Redirect to the POSTed `next` when it is on this host (and https when the request is);
    otherwise to `fallback` (an object, a URL or a URL name, with its arguments)."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(fallback, *args, **kwargs)


def error_text(exc: ValidationError) -> str:
    """Every message of a refusal, field errors included, on one line."""
    return " ".join(error_list(exc))


def error_list(exc: ValidationError) -> list[str]:
    """Every message of a refusal, field errors included, one by one."""
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def form_error_list(form) -> list[str]:
    """Every error of a bound form, one by one, in the form's order."""
    return [m for ms in form.errors.values() for m in ms]


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


class ActionView(View):
    """One step taken on one object (POST): the object from the restricted queryset or 404, the form
    bound to the POST, `perform(obj, form)` calling the action, then a message and the way back.

    Declare `get_queryset()` (the scoped rows: `Model.objects.restrict(user, CHANGE)` or a
    selector), `form_class` (or none), `perform()`, `success_message` (formatted with
    `get_message_data()`), `fallback_url` (a URL name; the object's page when unset) and, for a
    board row that posts with htmx, `htmx_template` with `get_row_context()`.

    A refusal (`ValidationError` from the action, or an invalid form) never escapes: by default its
    messages go into `messages` (one line, or one message each with `one_error_message = False`) and
    the user is sent back; with htmx the row comes back with them. `errors_on_form = True` puts the
    action's refusal on the form instead and answers with `form_invalid()`, which a page that shows
    the form again overrides (status 400).
    """

    pk_url_kwarg = "pk"
    form_class = None
    success_message = ""
    fallback_url: str | None = None
    follow_next = True  # a safe POSTed `next` wins over the fallback
    htmx_template: str | None = None
    errors_on_form = False
    one_error_message = True
    denied_in_row = False  # with htmx, a PermissionDenied of the action comes back in the row

    # --- the object and the form ---------------------------------------------------------------

    def get_queryset(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_queryset().")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self):
        if self.form_class is None:
            return None
        return self.form_class(self.request.POST, **self.get_form_kwargs())

    def perform(self, obj, form):
        """Call the action; what it returns is handed to the success message and the way back."""
        raise NotImplementedError

    # --- the answer ----------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.form = form = self.get_form()
        if form is not None and not form.is_valid():
            return self.form_invalid(form)
        try:
            result = self.perform(self.object, form)
        except ValidationError as exc:
            return self.refused(form, exc)
        except PermissionDenied as exc:
            row = self.row_response([str(exc)]) if self.denied_in_row else None
            if row is None:
                raise
            return row
        return self.done(result)

    def is_htmx(self) -> bool:
        return is_htmx(self.request)

    def done(self, result):
        row = self.row_response()
        if row is not None:
            return row
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return self.back()

    def get_message_data(self, result) -> dict:
        return {}

    def get_success_message(self, result) -> str:
        return self.success_message % self.get_message_data(result)

    def refused(self, form, exc: ValidationError):
        if form is not None and self.errors_on_form:
            self.apply_errors(form, exc)
            return self.form_invalid(form)
        return self.fail(self.refusal_messages(exc))

    def apply_errors(self, form, exc: ValidationError) -> None:
        apply_validation_error(form, exc)

    def refusal_messages(self, exc: ValidationError) -> list[str]:
        return error_list(exc)

    def form_invalid(self, form):
        return self.fail(form_error_list(form))

    def fail(self, errors: list[str]):
        """A refusal told where the user is: in the htmx row, else in `messages` on the way back."""
        row = self.row_response(errors)
        if row is not None:
            return row
        if self.one_error_message:
            errors = [" ".join(str(e) for e in errors)] if errors else []
        for error in errors:
            messages.error(self.request, error)
        return self.back()

    def get_fallback_url(self):
        return self.fallback_url or self.object

    def back(self):
        if self.follow_next:
            return redirect_back(self.request, self.get_fallback_url())
        return redirect(self.get_fallback_url())

    def get_row_context(self, errors) -> dict:
        return {"object": self.object, "row_errors": list(errors)}

    def row_response(self, errors=()):
        """The htmx answer (the object's row again), or None when this is no htmx row's request."""
        if self.htmx_template is None or not self.is_htmx():
            return None
        return render(self.request, self.htmx_template, self.get_row_context(errors))


class ActionFormMixin:
    """For a FormView, CreateView or UpdateView whose form runs an action: `perform(form)` calls it
    and returns what it saved; a `ValidationError` goes on the form (on the field it names) and the
    page comes back with `invalid_status`; otherwise `success_message` (formatted with
    `get_message_data()`) and a redirect to `get_success_url()` (the saved object's page)."""

    success_message = ""
    invalid_status = 400

    def perform(self, form):
        raise NotImplementedError

    def apply_errors(self, form, exc: ValidationError) -> None:
        apply_validation_error(form, exc)

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as exc:
            self.apply_errors(form, exc)
            return self.form_invalid(form)
        return self.done(result)

    def done(self, result):
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url(result))

    def get_message_data(self, result) -> dict:
        return {}

    def get_success_message(self, result) -> str:
        return self.success_message % self.get_message_data(result)

    def get_success_url(self, result=None):
        return resolve_url(result)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=self.invalid_status)
