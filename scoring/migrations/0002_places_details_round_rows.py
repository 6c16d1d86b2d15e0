"""Scorecards carry the community's city and district; item details move to their own
table; indicator rows carry the round; rescore runs can fail with a reason."""

import django.db.models.deletion
from django.db import migrations, models


def fill_places(apps, schema_editor):
    ScoreCard = apps.get_model("scoring", "ScoreCard")
    for card in ScoreCard.objects.select_related("assessment__community").iterator():
        card.city_id = card.assessment.community.city_id
        card.district_id = card.assessment.community.district_id
        card.save(update_fields=["city", "district"])


def move_items(apps, schema_editor):
    ScoreCard = apps.get_model("scoring", "ScoreCard")
    ScoreDetail = apps.get_model("scoring", "ScoreDetail")
    batch = []
    for pk, items in ScoreCard.objects.values_list("pk", "items").iterator():
        batch.append(ScoreDetail(scorecard_id=pk, items=items))
        if len(batch) >= 1000:
            ScoreDetail.objects.bulk_create(batch)
            batch = []
    ScoreDetail.objects.bulk_create(batch)


def fill_rounds(apps, schema_editor):
    IndicatorScore = apps.get_model("scoring", "IndicatorScore")
    ScoreCard = apps.get_model("scoring", "ScoreCard")
    for card_id, round_id in ScoreCard.objects.values_list("pk", "round_id").iterator():
        IndicatorScore.objects.filter(scorecard_id=card_id).update(round_id=round_id)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_registry_codes_counts_notes"),
        ("scoring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="scorecard",
            name="city",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="assessments.region",
                verbose_name="city",
            ),
        ),
        migrations.AddField(
            model_name="scorecard",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="assessments.region",
                verbose_name="district",
            ),
        ),
        migrations.RunPython(fill_places, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ScoreDetail",
            fields=[
                (
                    "scorecard",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="detail",
                        serialize=False,
                        to="scoring.scorecard",
                        verbose_name="scorecard",
                    ),
                ),
                (
                    "items",
                    models.JSONField(
                        help_text='{"L1P1.1": {"status": "scored", "s": "0.9800", '
                        '"achievement": "0.9800", "met": false}, ...}',
                        verbose_name="item details",
                    ),
                ),
            ],
            options={"verbose_name": "score details", "verbose_name_plural": "score details"},
        ),
        migrations.RunPython(move_items, migrations.RunPython.noop),
        migrations.RemoveField(model_name="scorecard", name="items"),
        migrations.AddField(
            model_name="indicatorscore",
            name="round",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="assessments.round",
                verbose_name="round",
            ),
        ),
        migrations.RunPython(fill_rounds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="indicatorscore",
            name="round",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="assessments.round",
                verbose_name="round",
            ),
        ),
        migrations.AddIndex(
            model_name="indicatorscore",
            index=models.Index(fields=["round", "indicator"], name="indicator_score_round_ind"),
        ),
        migrations.AddIndex(
            model_name="scorecard",
            index=models.Index(
                fields=["round", "city", "-total"], name="scorecard_round_city_total"
            ),
        ),
        migrations.AddIndex(
            model_name="scorecard",
            index=models.Index(
                fields=["round", "district", "-total"], name="scorecard_round_district_total"
            ),
        ),
        migrations.AddIndex(
            model_name="scorecard",
            index=models.Index(fields=["round", "grade"], name="scorecard_round_grade"),
        ),
        migrations.AddField(
            model_name="rescorerun",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
        migrations.AlterField(
            model_name="rescorerun",
            name="status",
            field=models.CharField(
                choices=[("running", "Running"), ("finished", "Finished"), ("failed", "Failed")],
                default="running",
                max_length=16,
                verbose_name="status",
            ),
        ),
    ]
