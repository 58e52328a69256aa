from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST

from portal.core.actions_views import redirect_back

from .actions import notification_mark_read, notifications_mark_all_read


@require_POST
@login_required
def mark_read(request, pk: int):
    """Mark one notification read and go back (to `next` or the home page)."""
    notification_mark_read(user=request.user, notification_id=pk)
    return redirect_back(request, "home")


@require_POST
@login_required
def mark_all_read(request):
    """Mark all of the user's notifications read and go back."""
    notifications_mark_all_read(user=request.user)
    return redirect_back(request, "home")
