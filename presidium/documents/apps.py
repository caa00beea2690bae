from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "presidium.documents"
    label = "documents"
    verbose_name = _("文档与导入导出")

    def ready(self) -> None:
        from presidium.choices import Role
        from presidium.documents import import_jobs, list_export, unit_ledger  # noqa: F401 - register the import check, 列表导出 and 承办单位台账 jobs
        from presidium.registry import register_nav

        register_nav("documents", _("文档下载"), "documents:job_list", set(Role), order=990,
                     icon="file-earmark-arrow-down", section=_("工具"))
