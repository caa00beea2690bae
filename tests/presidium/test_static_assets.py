"""The production static-files build (hashed names, references rewritten) succeeds for every served file.

Production serves static files through a manifest storage that rewrites every url() and sourceMappingURL
in CSS and JS; a vendored file that names a file we do not copy makes ``collectstatic`` fail and the
deployment stop. The check here uses Django's manifest storage (the part of whitenoise's storage that
raises); compressing is left out to keep it fast.
"""

from __future__ import annotations

from django.core.management import call_command
from django.test import override_settings


def test_it_builds_the_hashed_static_files_without_a_missing_reference(tmp_path, settings):
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    names = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert "staticfiles.json" in names
    # The pickers' script and its source map are both served (the script names the map).
    assert "vendor/tom-select/tom-select.complete.min.js.map" in names
