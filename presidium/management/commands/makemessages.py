"""``makemessages`` that also extracts ``_l("...")`` — the project's alias of ``gettext_lazy``.

Services write stored text with ``record(_l("..."), {...})`` (presidium/records.py); Django's own
command only knows ``gettext_lazy`` by its full name. Subclassing and extending ``xgettext_options``
is the customisation Django documents for this.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
