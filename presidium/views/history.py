from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from presidium import access
from presidium.history import changes_for, history_entry


@login_required
def object_history(request, key: str, pk: int):
    entry = history_entry(key)
    if entry is None:
        raise Http404
    obj = get_object_or_404(entry.visible(request.user), pk=pk)
    if not access.has_perm(request.user, access.VIEW_HISTORY, entry.township_of(obj)):
        raise PermissionDenied
    return render(request, "presidium/object_history.html", {
        "object": obj,
        "title": entry.title(obj),
        "model_name": obj._meta.verbose_name,
        "changes": changes_for(obj),
    })
