"""The generic action page: refusals become messages or row errors, never a 500; the way back is safe."""

from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from portal.core.actions_views import ActionFormMixin, ActionView


class Thing:
    name = "甲"

    def get_absolute_url(self):
        return "/things/1/"


class DayForm(forms.Form):
    on = forms.DateField()


class StepView(ActionView):
    form_class = DayForm
    success_message = "%(name)s done."
    refusal = None

    def get_object(self):
        return Thing()

    def perform(self, obj, form):
        if self.refusal is not None:
            raise self.refusal

    def get_message_data(self, result):
        return {"name": self.object.name}


class RowStepView(StepView):
    def row_response(self, errors=()):
        if not self.is_htmx():
            return None
        return HttpResponse("|".join(errors) or "row")


def post(view, data, **headers):
    request = RequestFactory().post("/x/", data, headers=headers)
    request._messages = CookieStorage(request)
    response = view(request, pk=1)
    return response, [str(m) for m in request._messages]


def test_success_adds_the_message_and_follows_only_a_safe_next():
    response, said = post(StepView.as_view(), {"on": "2026-01-05", "next": "/list/"})
    assert response.status_code == 302 and response["Location"] == "/list/"
    assert said == ["甲 done."]
    response, _said = post(StepView.as_view(), {"on": "2026-01-05", "next": "//evil.example/"})
    assert response["Location"] == "/things/1/"
    response, _said = post(
        StepView.as_view(follow_next=False), {"on": "2026-01-05", "next": "/list/"}
    )
    assert response["Location"] == "/things/1/"


def test_a_refusal_of_any_shape_is_a_message_on_the_way_back():
    for refusal in (
        ValidationError("不行。"),
        ValidationError({"on": ["太早。"], "x": ["再说。"]}),
    ):
        response, said = post(StepView.as_view(refusal=refusal), {"on": "2026-01-05"})
        assert response.status_code == 302 and response["Location"] == "/things/1/"
        assert said == [" ".join(refusal.messages)]
    refusal = ValidationError({"on": ["太早。"], "x": ["再说。"]})
    _response, said = post(
        StepView.as_view(refusal=refusal, one_error_message=False), {"on": "2026-01-05"}
    )
    assert said == ["太早。", "再说。"]


def test_an_invalid_form_is_refused_without_calling_the_action():
    response, said = post(StepView.as_view(refusal=AssertionError()), {"on": "someday"})
    assert response.status_code == 302 and len(said) == 1


def test_htmx_gets_the_row_with_the_errors_and_no_message():
    view = RowStepView.as_view(refusal=ValidationError("不行。"))
    response, said = post(view, {"on": "2026-01-05"}, HX_Request="true")
    assert response.status_code == 200 and response.content.decode() == "不行。" and said == []
    response, said = post(RowStepView.as_view(), {"on": "2026-01-05"}, HX_Request="true")
    assert response.content == b"row" and said == []


class FormPage(ActionFormMixin):
    """A stand-in for a FormView: what ActionFormMixin needs of it."""

    def __init__(self, request, refusal=None):
        self.request, self.refusal = request, refusal

    def perform(self, form):
        if self.refusal is not None:
            raise self.refusal
        return Thing()

    def get_context_data(self, **kwargs):
        return kwargs

    def render_to_response(self, context, status=200):
        response = HttpResponse(status=status)
        response.context = context
        return response


def test_the_form_mixin_puts_the_refusal_on_the_field_it_names_with_400():
    request = RequestFactory().post("/x/")
    request._messages = CookieStorage(request)
    form = DayForm({"on": "2026-01-05"})
    assert form.is_valid()
    refusal = ValidationError({"on": ["太早。"], "elsewhere": ["再说。"]})
    response = FormPage(request, refusal).form_valid(form)
    assert response.status_code == 400
    assert form.errors["on"] == ["太早。"] and form.non_field_errors() == ["再说。"]
    response = FormPage(request).form_valid(DayForm({"on": "2026-01-05"}))
    assert response.status_code == 302 and response["Location"] == "/things/1/"
