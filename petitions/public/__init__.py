"""The petitioner's side of 信访: the public online form, the query-code look-up, and the notices.

A small Django app nested in ``petitions`` (label ``petitions_public``): it owns the public pages
(``urls.py``, mounted at ``xinfang/``), the staff downloads of notices (``notice_urls.py``, mounted at
``petitions/notices/``), the database-backed rate limit (``throttle.py`` and its one model), and
registers the deputies' visit-opinion → petition conversion (``wiring.py``).
"""
