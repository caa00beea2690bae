"""403/404/500 in Chinese. The 500 page renders without context processors or the database."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def permission_denied(request, exception=None):
    # A refusal that carries a reason written for the user (access.AccountRefused) shows it; others stay generic.
    return render(request, "403.html", {"reason": getattr(exception, "reason", "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render())
