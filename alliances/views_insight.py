# Placeholder so that the URLconf imports; the insight work replaces this file.
from django.http import Http404
from django.views import View


class InsightView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


InsightExportView = InsightView
