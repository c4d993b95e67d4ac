"""Every emulated file, batch and video belongs to the API key that made it (issue 18).

Rows made before this belong to the playground's own key (settings.EMULATOR_API_KEY), the one
its pages have always used, so the playground keeps following its jobs.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import migrations, models


def installation_owner(apps, schema_editor) -> None:
    # The digest as playground.emulator.access.key_digest makes it (copied: migrations stay
    # as they were written).
    owner = hashlib.sha256(settings.EMULATOR_API_KEY.encode("utf-8")).hexdigest()
    for name in ("EmulatedFile", "EmulatedBatch", "EmulatedVideo"):
        apps.get_model("emulator", name).objects.filter(owner="").update(owner=owner)


class Migration(migrations.Migration):
    dependencies = [
        ("emulator", "0003_file_hash_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="emulatedbatch",
            name="owner",
            field=models.CharField(db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="emulatedfile",
            name="owner",
            field=models.CharField(db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="emulatedvideo",
            name="owner",
            field=models.CharField(db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(installation_owner, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="emulatedfile",
            name="name",
            field=models.CharField(max_length=40),
        ),
        migrations.AddConstraint(
            model_name="emulatedfile",
            constraint=models.UniqueConstraint(
                fields=("owner", "name"), name="emulated_file_name_per_owner"
            ),
        ),
    ]
