"""Display names become unique up to look-alikes (core.text.display_name_key).

Existing names are cleaned (bidi controls, invisible characters, repeated spaces) and
keyed. Where two or more people already share a key, the person who joined first keeps
the name and each later one gets " (2)", " (3)", … appended: nobody loses an account or
a login, the names stay recognisable, and the person can choose a better name in the
profile. Coordinators see the changed names in the people list.
"""

from django.db import migrations, models

from core.text import clean_line, display_name_key

MAX_LENGTH = 80


def _free_name(base: str, taken: set[str]) -> tuple[str, str | None]:
    n = 2
    while True:
        suffix = f" ({n})"
        name = f"{base[: MAX_LENGTH - len(suffix)].rstrip()}{suffix}"
        key = display_name_key(name)
        if key not in taken:
            return name, key
        n += 1


def key_existing_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken: set[str] = set()
    for user in User.objects.order_by("date_joined", "pk").only("pk", "display_name"):
        name = clean_line(user.display_name)[:MAX_LENGTH]
        key = display_name_key(name)
        if key is not None and key in taken:
            name, key = _free_name(name, taken)
        if key is not None:
            taken.add(key)
        User.objects.filter(pk=user.pk).update(display_name=name, display_name_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_suspension_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(key_existing_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="display_name_key",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
    ]
