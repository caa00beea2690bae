from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from presidium.documents.xlsx_safety import XLSX_ACCEPT
from presidium.forms import BoundedModelChoiceField


class TownshipChoiceMixin:
    """A township select limited to the given queryset; hidden when there is only one choice."""

    def setup_township(self, townships) -> None:
        field = self.fields["township"]
        field.queryset = townships
        if len(field.queryset) == 1:
            field.initial = field.queryset[0]
            field.widget = forms.HiddenInput()


class ImportUploadForm(TownshipChoiceMixin, forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
        error_messages={"required": _("请选择要上传的 Excel 文件。"), "empty": _("上传的文件是空的。")},
    )

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_township(townships)
        self.fields["file"].help_text = _("只接受 .xlsx 格式，不超过 %(size)s。") % {
            "size": filesizeformat(settings.UPLOAD_MAX_BYTES)}


class TownshipJobForm(TownshipChoiceMixin, forms.Form):
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_township(townships)
