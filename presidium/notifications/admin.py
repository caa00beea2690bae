"""Operators look at messages here; the only change they make is sending failed messages again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from presidium.notifications.choices import Channel
from presidium.notifications.models import Notification, OutboxMessage, Reminder, ReminderLedger
from presidium.notifications.outbox import LetterGone, email_texts, outbox_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows change only through services: the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username", "recipient__real_name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("subject_or_text", "channel", "address", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "channel")
    search_fields = ("address", "subject", "recipient__username", "recipient__real_name")
    readonly_fields = ("text_sent",)
    actions = ["retry"]

    @admin.display(description=_("发送的正文"))
    def text_sent(self, obj):
        """What the row sends as plain text: stored, or written from its notification."""
        try:
            return email_texts(obj)[0] if obj.channel == Channel.EMAIL else obj.body
        except LetterGone as error:
            return str(error)

    @admin.display(description=_("主题/内容"))
    def subject_or_text(self, obj):
        return obj.subject or obj.body[:40]

    @admin.action(description=_("重新发送选中的失败消息"), permissions=["view"])
    def retry(self, request, queryset):
        count = outbox_retry(messages=queryset, by=request.user)
        self.message_user(request, _("已重新排队 %(n)s 条消息。") % {"n": count}, messages.SUCCESS)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("kind", "content_type", "object_id", "due_at", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", "content_type")
    search_fields = ("kind", "last_error")
    date_hierarchy = "due_at"


@admin.register(ReminderLedger)
class ReminderLedgerAdmin(ReadOnlyAdmin):
    list_display = ("kind", "content_type", "object_id", "due_date", "recipient_count", "sent_at")
    list_filter = ("kind", "content_type")
