import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from presidium.choices import Role
from presidium.forms_renderer import PortalSelect, PortalSelectMultiple

# --- choosing rows --------------------------------------------------------------------------------
# Every select or checkbox list of rows in the portal uses these two fields (forms, FilterSets through
# presidium.filters, model-derived fields through ``bounded_formfield``). A posted id is checked before
# any query: a key that is not a whole number, or lies outside the signed 64-bit range, names no row on
# any backend and is answered with the usual "选择一个有效的选项" error. Without this, SQLite raises
# OverflowError (a 500) on ``pk__in=[2**63]``, which is what a multi-select runs.
SIGNED_64_MIN, SIGNED_64_MAX = -(2**63), 2**63 - 1
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class BoundedKeysMixin:
    """Refuse posted keys of an integer key column that are not bounded whole numbers, before querying."""

    def _has_integer_key(self) -> bool:
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        return isinstance(field, models.IntegerField)  # AutoField and BigAutoField included

    def _is_null_choice(self, value) -> bool:
        """django-filter's "none" option (``null_label``) posts ``null_value``, which is not a key."""
        return getattr(self, "null_label", None) is not None and value == getattr(self, "null_value", None)

    def key_problem(self, value) -> str | None:
        """None if ``value`` may name a row; else the error code to answer with."""
        if value in self.empty_values or isinstance(value, self.queryset.model) or self._is_null_choice(value):
            return None
        if not self._has_integer_key():
            return None
        if isinstance(value, bool):
            return "invalid_pk_value"
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            if not _WHOLE_NUMBER.fullmatch(text):
                return "invalid_pk_value"
            if len(text.lstrip("+-").lstrip("0")) > 19:  # past 64 bits; int() refuses over 4,300 digits
                return "invalid_choice"
            number = int(text)
        return None if SIGNED_64_MIN <= number <= SIGNED_64_MAX else "invalid_choice"


class BoundedChoiceMixin(BoundedKeysMixin):
    """For a field choosing one row (``ModelChoiceField`` and django-filter's variant)."""

    def to_python(self, value):
        if self.key_problem(value) is not None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value})
        return super().to_python(value)


class BoundedMultipleChoiceMixin(BoundedKeysMixin):
    """For a field choosing several rows (``ModelMultipleChoiceField`` and django-filter's variant)."""

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for key in value:
                problem = self.key_problem(key)
                if problem == "invalid_pk_value":
                    raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                                params={"pk": key})
                if problem is not None:
                    raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                                params={"value": key})
        return super()._check_values(value)


class OneQueryChoiceIterator(ModelChoiceIterator):
    """The options of a select of rows, read with one plain query.

    Django's ``ModelChoiceIterator`` reads them with ``QuerySet.iterator()``, which on PostgreSQL opens a
    server-side cursor: ``DECLARE … WITH HOLD`` (outside a transaction), ``FETCH``, ``CLOSE``, four round
    trips for a dozen options. Measured on the county data with the machine busy: a township's 14 deputy
    groups took 5.3 ms that way and 3.4 ms as one query. A select is rendered whole, so reading its rows
    at once costs no more memory. The queryset is cloned, as ``iterator()`` did, so every rendering reads
    the rows anew.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class BoundedModelChoiceField(BoundedChoiceMixin, forms.ModelChoiceField):
    """The portal's ``ModelChoiceField``: the posted key is checked to be a bounded whole number first."""

    iterator = OneQueryChoiceIterator
    widget = PortalSelect


class BoundedModelMultipleChoiceField(BoundedMultipleChoiceMixin, forms.ModelMultipleChoiceField):
    """The portal's ``ModelMultipleChoiceField``: every posted key is checked the same way first."""

    iterator = OneQueryChoiceIterator
    widget = PortalSelectMultiple


def bounded_formfield(db_field, **kwargs):
    """``formfield_callback`` for ``fields_for_model``: relations get the bounded choice fields."""
    if isinstance(db_field, models.ForeignKey):  # OneToOneField too
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    return db_field.formfield(**kwargs)



class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意区分大小写；连续输错 5 次账号将被锁定 1 小时。"),
        "inactive": _("该账号已停用，请联系人大办。"),
    }
    remember = forms.BooleanField(
        label=_("在本机保持登录"), required=False,
        help_text=_("只在自己的手机或电脑上勾选：%(days)d 天内不必再登录。修改密码后，所有设备都要重新登录。"))

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.fields["remember"].help_text = self.fields["remember"].help_text % {"days": settings.REMEMBER_ME_DAYS}


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(label=_("注册邮箱"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class TownshipSettingsForm(forms.Form):
    reply_deadline_months = forms.IntegerField(label=_("建议办理期限（月）"), min_value=1, max_value=12)
    hard_case_deadline_months = forms.IntegerField(label=_("复杂建议办理期限（月）"), min_value=1, max_value=12)


class TermForm(forms.Form):
    ordinal = forms.IntegerField(label=_("届次（数字，如 18）"), min_value=1, max_value=99)
    start_date = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("届满日期"), widget=forms.DateInput(attrs={"type": "date"}))
    make_current = forms.BooleanField(label=_("设为本届"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] <= data["start_date"]:
            self.add_error("end_date", _("届满日期必须晚于起始日期。"))
        return data


class PresidiumMemberForm(forms.Form):
    from presidium.choices import PresidiumPosition as _Position

    name = forms.CharField(label=_("姓名"), max_length=50)
    position = forms.ChoiceField(label=_("职务"), choices=_Position.choices)
    since = forms.DateField(label=_("任职日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class HandlingUnitForm(forms.Form):
    from presidium.choices import HandlingUnitKind as _Kind

    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("单位名称"), max_length=80)
    kind = forms.ChoiceField(label=_("单位类型"), choices=_Kind.choices)
    responsible_leader = forms.CharField(label=_("分管领导"), max_length=50, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.RegexField(label=_("联系电话"), max_length=20, required=False, regex=r"^[0-9\-+ ]{5,20}$",
                                     error_messages={"invalid": _("电话号码只能包含数字、空格、“-”和“+”。")})
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        if townships.count() == 1:
            self.fields["township"].initial = townships.first()
            self.fields["township"].widget = forms.HiddenInput()


def _validated_password(password: str) -> str:
    from django.contrib.auth.password_validation import validate_password

    validate_password(password)
    return password


class RoleScopeForm(forms.Form):
    """A role and its scope (township, or handling unit for a liaison), as one grant."""

    role = forms.ChoiceField(label=_("角色"))
    township = BoundedModelChoiceField(label=_("乡镇"), queryset=None, required=False)
    handling_unit = BoundedModelChoiceField(label=_("承办单位（联络员）"), queryset=None, required=False)

    def __init__(self, *args, role_choices, townships, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices
        self.fields["township"].queryset = townships
        self.fields["handling_unit"].queryset = units

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.UNIT_LIAISON and not data.get("handling_unit"):
            self.add_error("handling_unit", _("承办单位联络员必须选择所在的承办单位。"))
        if role in (Role.PRESIDIUM_CHAIR, Role.PRESIDIUM_STAFF, Role.DEPUTY) and not data.get("township"):
            self.add_error("township", _("请选择该账号所属的乡镇。"))
        return data


class AccountCreateForm(RoleScopeForm):
    username = forms.RegexField(label=_("用户名"), max_length=30, regex=r"^[A-Za-z0-9_.\-]{3,30}$",
                                error_messages={"invalid": _("用户名为 3–30 位字母、数字或 _ . -。")})
    real_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.RegexField(label=_("手机号码"), regex=r"^1[3-9]\d{9}$", required=False,
                              error_messages={"invalid": _("请输入 11 位手机号码，例如 13812345678。")})
    email = forms.EmailField(label=_("邮箱（用于找回密码）"), required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False), min_length=8,
                               error_messages={"min_length": _("初始密码至少 8 个字符。")})
    field_order = ["username", "real_name", "mobile", "email", "password", "role", "township", "handling_unit"]

    def clean_password(self):
        return _validated_password(self.cleaned_data["password"])


class PasswordResetByManagerForm(forms.Form):
    password = forms.CharField(label=_("新的临时密码"), widget=forms.PasswordInput(render_value=False), min_length=8,
                               error_messages={"min_length": _("临时密码至少 8 个字符。")},
                               help_text=_("请当面或电话告知本人，并提醒登录后立即修改。"))

    def clean_password(self):
        return _validated_password(self.cleaned_data["password"])


# The upload formats the portal takes (checked by content in presidium/documents/uploads.check_upload).
DOCUMENT_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.wps,.et,.ofd,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Each is checked by content by the form or the service (check_upload);
    ``accept`` only narrows the phone's file picker."""

    def __init__(self, *args, accept: str = DOCUMENT_ACCEPT, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
