"""The Django admin is for superusers only; everyone else works in the portal's own screens."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(AdminSite):
    site_header = _("乡镇人大主席团工作平台 · 系统管理")
    site_title = _("系统管理")
    index_title = _("系统管理")

    def has_permission(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


class PortalAdminConfig(AdminConfig):
    default_site = "presidium.admin_site.PortalAdminSite"
