from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .actions import notification_mark_read, notifications_mark_all_read


def _back(request):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)


@require_POST
@login_required
def mark_read(request, pk: int):
    """Mark one notification read and go back (to `next` or the home page)."""
    notification_mark_read(user=request.user, notification_id=pk)
    return _back(request)


@require_POST
@login_required
def mark_all_read(request):
    """Mark all of the user's notifications read and go back."""
    notifications_mark_all_read(user=request.user)
    return _back(request)
