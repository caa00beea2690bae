from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def inbox(request):  # placeholder: replaced by the notifications work
    return render(request, "notifications/inbox.html", {})


@login_required
def account_settings(request):  # placeholder: replaced by the notifications work
    return render(request, "notifications/inbox.html", {})
