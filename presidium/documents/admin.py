from django.contrib import admin

from presidium.documents.models import DocumentJob, ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: batches change only through the import flow's services."""

    list_display = ("original_name", "kind", "township", "status", "uploaded_by", "created_at", "committed_at")
    list_filter = ("kind", "status", "township")
    search_fields = ("original_name", "sha256")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through the job runner."""

    list_display = ("kind", "township", "status", "requested_by", "created_at", "finished_at")
    list_filter = ("kind", "status", "township")
    search_fields = ("file_name", "error")
    readonly_fields = [f.name for f in DocumentJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
