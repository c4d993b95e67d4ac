from __future__ import annotations

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("emulator", "0001_files_and_batches"),
    ]

    operations = [
        migrations.CreateModel(
            name="EmulatedVideo",
            fields=[
                ("id", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("model", models.CharField(max_length=100)),
                ("prompt", models.TextField()),
                ("options", models.JSONField(blank=True, default=dict)),
                ("width", models.PositiveIntegerField()),
                ("height", models.PositiveIntegerField()),
                ("seconds", models.PositiveIntegerField()),
                ("frame_rate", models.PositiveIntegerField()),
                ("failure", models.TextField(blank=True)),
                ("first_frame", models.BinaryField(blank=True, null=True)),
                ("last_frame", models.BinaryField(blank=True, null=True)),
                ("mp4", models.BinaryField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
    ]
