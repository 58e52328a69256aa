from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from portal.core.mixins import DistrictStaffRequiredMixin

from ..actions import imports


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An XLSX or CSV file made from the import template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_FILE_SIZE:
            raise imports.too_large()
        return upload


class UnitImportView(DistrictStaffRequiredMixin, FormView):
    """Staff upload a filled template; every row is created, or the page lists what to correct."""

    template_name = "members/unit_import.html"
    form_class = UnitImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            max_rows=imports.MAX_ROWS,
            max_size_mb=imports.MAX_FILE_SIZE // (1024 * 1024),
            required_columns=[c.header for c in imports.COLUMNS if c.required],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            result = imports.import_units(form.cleaned_data["file"], user=self.request.user)
        except imports.ImportFileError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        return render(
            self.request,
            "members/unit_import_result.html",
            {"result": result, "form": self.form_class()},
        )


class UnitImportTemplateView(DistrictStaffRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(imports.template_bytes(), content_type=imports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename="成员单位导入模板.xlsx"
        )
        return response
