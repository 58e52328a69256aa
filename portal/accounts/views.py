"""Accounts in the browser: the signed-in user's API tokens (list, create — the key is shown once —
revoke) and, for district staff, the export log (who downloaded which list, when, with which filter)."""

from urllib.parse import unquote_plus

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from portal.core.forms import apply_validation_error
from portal.core.mixins import DistrictStaffRequiredMixin, FilteredListMixin

from .actions import api_token_create, api_token_revoke
from .filters import ExportRecordFilterSet
from .forms import ApiTokenForm
from .selectors import export_record_list, user_api_tokens


@method_decorator(never_cache, name="dispatch")
class ApiTokenListView(LoginRequiredMixin, ListView):
    template_name = "accounts/api_token_list.html"
    context_object_name = "tokens"
    paginate_by = 50

    def get_queryset(self):
        return user_api_tokens(self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ApiTokenForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        """Create a token and show its key in this answer only: it is stored nowhere in clear."""
        form = ApiTokenForm(request.POST)
        created = key = None
        if form.is_valid():
            try:
                created, key = api_token_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                form = ApiTokenForm()
        self.object_list = self.get_queryset()
        context = self.get_context_data(form=form, created=created, new_key=key)
        return self.render_to_response(context)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        token = api_token_revoke(user=request.user, token_id=pk)
        messages.success(
            request,
            _("The token “%(name)s” is revoked: it is refused from now on.")
            % {"name": token.name or token.prefix},
        )
        return redirect("accounts:api-tokens")


class ExportRecordListView(
    LoginRequiredMixin, DistrictStaffRequiredMixin, FilteredListMixin, ListView
):
    template_name = "accounts/export_log.html"
    paginate_by = 50
    filterset_class = ExportRecordFilterSet
    context_object_name = "records"

    def get_base_queryset(self):
        return export_record_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for record in context["records"]:
            record.filter_text = unquote_plus(record.query_string)
        return context
