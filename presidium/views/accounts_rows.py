"""The accounts screen's table rows, written in Python: the same markup as the per-row template they replace (kept
as the reference in tests/presidium/test_accounts_rows.py), without its ~50 template nodes and the three to five
URL reversals per account; a county page lists 50 accounts (docs/performance.md, seventh round)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presidium.notifications.links import pk_links


class AccountRows:
    """Writes the rows of one page (``csrf_token``: the page's token, for the revoke forms)."""

    def __init__(self, csrf_token: str):
        self.csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
        self.revoke_url = pk_links(lambda pk: reverse("presidium:role_revoke", args=[pk]))
        self.grant_url = pk_links(lambda pk: reverse("presidium:account_role_grant", args=[pk]))
        self.reset_url = pk_links(lambda pk: reverse("presidium:account_password_reset", args=[pk]))
        self.labels = {key: esc(_(text)) for key, text in (
            ("name", "姓名"), ("username", "用户名"), ("mobile", "手机"), ("roles", "角色与范围"), ("inactive", "停用"),
            ("confirm", "确定撤销该角色？"), ("revoke", "撤销"), ("grant", "授予角色"), ("reset", "重置密码"))}

    def role(self, ra, *, refused: bool) -> str:
        badge = f'{esc(ra.get_role_display())} · {esc(ra.scope)}'
        if refused:
            return f'\n            <span class="badge text-bg-light border">{badge}</span>\n          '
        lab = self.labels
        return (f'\n          <form method="post" action="{self.revoke_url(ra.pk)}" class="d-inline" '
                f'data-confirm="{lab["confirm"]}">{self.csrf_input}\n'
                f'            <span class="badge text-bg-light border">{badge}\n'
                f'              <button class="btn btn-link btn-sm p-0 ms-1 text-danger" type="submit" '
                f'aria-label="{lab["revoke"]}"><i class="bi bi-x-circle"></i></button></span>\n'
                '          </form>\n          ')

    def __call__(self, account) -> SafeString:
        """The ``<tr>`` of ``account`` (with ``managed_roles`` and ``refusal`` set by the view)."""
        lab, refusal = self.labels, account.refusal
        inactive = "" if account.is_active else f' <span class="badge text-bg-secondary">{lab["inactive"]}</span>'
        roles = "".join(f"\n          {self.role(ra, refused=bool(refusal))}\n        " for ra in account.managed_roles)
        if refusal:
            actions = ('\n          <span class="small text-muted account-refusal"><i class="bi bi-lock" '
                       f'aria-hidden="true"></i> {esc(refusal)}</span>\n        ')
        else:
            actions = ('\n        <span class="nowrap">\n'
                       f'        <a class="btn btn-sm btn-outline-secondary" href="{self.grant_url(account.pk)}">'
                       f'<i class="bi bi-person-plus"></i> {lab["grant"]}</a>\n'
                       f'        <a class="btn btn-sm btn-outline-secondary" href="{self.reset_url(account.pk)}">'
                       f'<i class="bi bi-key"></i> {lab["reset"]}</a>\n'
                       '        </span>\n        ')
        return mark_safe(
            '<tr>\n'
            f'      <td data-label="{lab["name"]}">{esc(account.real_name or "—")}{inactive}</td>\n'
            f'      <td data-label="{lab["username"]}">{esc(account.username)}</td>\n'
            f'      <td data-label="{lab["mobile"]}" class="nowrap">{esc(account.mobile or "—")}</td>\n'
            f'      <td data-label="{lab["roles"]}">\n'
            f'        {roles}\n'
            '      </td>\n'
            '      <td class="text-end">\n'
            f'        {actions}\n'
            '      </td>\n'
            '    </tr>')
