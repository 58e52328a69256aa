from django import forms
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView

from portal.core.history import history_entries
from portal.core.mixins import DistrictStaffRequiredMixin, ScopedViewMixin

from .actions import IMPORT_HEADERS, IMPORT_MAX_ROWS, import_template, regions_import
from .filters import RegionFilterSet
from .forms import RegionForm
from .models import Region
from .selectors import region_list, region_tree


class RegionTreeView(TemplateView):
    """The whole tree, folded; with a filter, the matching regions as a paginated list."""

    template_name = "regions/region_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Region.objects.restrict(self.request.user)
        filterset = RegionFilterSet(
            self.request.GET or None, queryset=region_list(queryset=visible)
        )
        context["filter"] = filterset
        if filterset.is_bound and any(self.request.GET.get(k) for k in filterset.filters):
            context["page_obj"] = Paginator(filterset.qs, 50).get_page(self.request.GET.get("page"))
            query = self.request.GET.copy()
            query.pop("page", None)
            context["query"] = query.urlencode()
        else:
            context["tree"] = region_tree(queryset=visible)
        return context


class RegionDetailView(ScopedViewMixin, DetailView):
    model = Region
    queryset = Region.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        context["ancestors"] = region.ancestors()
        context["children"] = region_list(
            queryset=Region.objects.restrict(self.request.user).filter(parent=region)
        )
        if self.request.user.is_authenticated and self.request.user.is_district_staff:
            context["history"] = history_entries(region, limit=50)
        return context


class RegionCreateView(DistrictStaffRequiredMixin, SuccessMessageMixin, CreateView):
    model = Region
    form_class = RegionForm
    success_message = _("Region %(name)s was created.")

    def get_initial(self):
        initial = super().get_initial()
        parent_id = self.request.GET.get("parent", "")
        if parent_id.isdigit():
            initial["parent"] = Region.objects.filter(pk=parent_id).first()
        return initial


class RegionUpdateView(DistrictStaffRequiredMixin, SuccessMessageMixin, UpdateView):
    model = Region
    form_class = RegionForm
    success_message = _("Region %(name)s was saved.")


class RegionImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An XLSX file made from the import template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class RegionImportView(DistrictStaffRequiredMixin, FormView):
    """Staff add a street's communities and grids from a filled template: all rows, or the wrong
    rows listed and nothing saved."""

    template_name = "regions/region_import.html"
    form_class = RegionImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(headers=IMPORT_HEADERS, max_rows=IMPORT_MAX_ROWS, **kwargs)

    def form_valid(self, form):
        try:
            result = regions_import(form.cleaned_data["file"], by=self.request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return render(
            self.request,
            "regions/region_import_result.html",
            {"result": result, "form": self.form_class()},
            status=200 if result.ok else 400,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RegionImportTemplateView(DistrictStaffRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            import_template(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename="社区和网格导入模板.xlsx"
        )
        return response
