from django.contrib import admin

from presidium.documents.models import DocumentIssuer, DocumentJob, DocumentNumber, ImportBatch


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


@admin.register(DocumentIssuer)
class DocumentIssuerAdmin(admin.ModelAdmin):
    """发文机关 per township: the masthead name and the 机关代字 of its document numbers."""

    list_display = ("township", "name", "code", "updated_at")
    search_fields = ("township__name", "name", "code")
    fields = ("township", "name", "code")

    def get_readonly_fields(self, request, obj=None):
        return ("township",) if obj else ()

    def save_model(self, request, obj, form, change):
        from presidium.documents.services import document_issuer_update

        saved = document_issuer_update(township=obj.township, by=request.user, name=obj.name, code=obj.code)
        obj.pk = saved.pk


@admin.register(DocumentNumber)
class DocumentNumberAdmin(admin.ModelAdmin):
    """Read-only: numbers are given by ``document_number_issue`` and never change."""

    list_display = ("__str__", "township", "kind", "title", "issued_at", "issued_by")
    list_filter = ("township", "year", "kind")
    search_fields = ("title", "code")
    readonly_fields = [f.name for f in DocumentNumber._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
