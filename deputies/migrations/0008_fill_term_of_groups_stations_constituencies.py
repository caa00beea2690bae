"""Existing constituencies, groups and stations belong to their township's current term (or, without one,
its latest): the change of term copies them to the next term, so each row says which term it serves."""

from django.db import migrations


def fill_term(apps, schema_editor):
    Term = apps.get_model("presidium", "Term")
    terms: dict[int, int] = {}
    for term in Term.objects.order_by("township_id", "-is_current", "-ordinal"):
        terms.setdefault(term.township_id, term.pk)
    for name in ("Constituency", "DeputyGroup", "LiaisonStation"):
        model = apps.get_model("deputies", name)
        for township_id, term_id in terms.items():
            model.objects.filter(township_id=township_id, term__isnull=True).update(term_id=term_id)


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0007_term_on_groups_stations_constituencies"),
        ("presidium", "0002_form_submissions"),
    ]

    operations = [migrations.RunPython(fill_term, migrations.RunPython.noop)]
