"""The notifications app's URLs in the access matrix (tests/test_access_matrix.py).

A notification belongs to its recipient, not to a township: the deputy of township A opens their
own (302 to its link); every other role, in any township, gets 404 — as does everyone for a
notification of a user in another county. ``account_settings`` is listed in tests/presidium.
"""

from presidium.choices import Role
from presidium.notifications.services import notify
from tests.access_matrix import Case, expect
from tests.factories import UserFactory


def _deputys_notification(world):
    (notification,) = notify(recipients=[world.user(Role.DEPUTY)], title="矩阵", channels=())
    return [notification.pk]


def _foreign_users_notification(world):
    (notification,) = notify(recipients=[UserFactory()], title="外县", channels=())
    return [notification.pk]


CASES = [
    Case("notifications:inbox", expect(200)),
    Case("notifications:open", expect(404, deputy=302), own=_deputys_notification,
         other=_foreign_users_notification, note="only the recipient opens a notification"),
    Case("notifications:mark_all_read", expect(302), method="post", note="marks only the caller's own"),
]
