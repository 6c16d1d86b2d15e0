"""Communities get a registry code and city/district links; assessments keep counts of
answered and evidenced items; notes move from answers to indicators."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Q


def fill_communities(apps, schema_editor):
    Community = apps.get_model("assessments", "Community")
    for community in Community.objects.select_related("region").iterator():
        community.code = f"C{community.pk:08d}"
        community.city_id = community.region.city_id
        community.district_id = community.region.district_id
        community.save(update_fields=["code", "city", "district"])


def fill_counts(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Answer = apps.get_model("assessments", "Answer")
    Evidence = apps.get_model("assessments", "Evidence")
    answered = dict(
        Answer.objects.order_by().values_list("assessment_id").annotate(n=Count("item_id"))
    )
    evidenced = dict(
        Evidence.objects.order_by()
        .values_list("assessment_id")
        .annotate(n=Count("item_id", distinct=True))
    )
    for pk in set(answered) | set(evidenced):
        Assessment.objects.filter(pk=pk).update(
            answered_count=answered.get(pk, 0), evidenced_count=evidenced.get(pk, 0)
        )


def move_notes(apps, schema_editor):
    Answer = apps.get_model("assessments", "Answer")
    IndicatorNote = apps.get_model("assessments", "IndicatorNote")
    notes: dict[tuple[int, int], list[str]] = {}
    for assessment_id, indicator_id, note in (
        Answer.objects.exclude(note="")
        .order_by("assessment_id", "item__order")
        .values_list("assessment_id", "item__indicator_id", "note")
    ):
        notes.setdefault((assessment_id, indicator_id), []).append(note)
    IndicatorNote.objects.bulk_create(
        IndicatorNote(assessment_id=a, indicator_id=i, text="\n".join(texts))
        for (a, i), texts in notes.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("indicators", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="community",
            name="code",
            field=models.CharField(max_length=32, null=True, verbose_name="registry code"),
        ),
        migrations.AddField(
            model_name="community",
            name="city",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="assessments.region",
                verbose_name="city",
            ),
        ),
        migrations.AddField(
            model_name="community",
            name="district",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="assessments.region",
                verbose_name="district",
            ),
        ),
        migrations.RunPython(fill_communities, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="community",
            name="code",
            field=models.CharField(
                help_text="The community's code in the registry, e.g. its statistical division code.",
                max_length=32,
                unique=True,
                verbose_name="registry code",
            ),
        ),
        migrations.AddConstraint(
            model_name="community",
            constraint=models.CheckConstraint(
                condition=models.Q(("code", ""), _negated=True), name="community_code_not_empty"
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="answered_count",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Items answered or marked not applicable; kept by the services.",
                verbose_name="answered items",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="evidenced_count",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Kept by the services.", verbose_name="items with evidence"
            ),
        ),
        migrations.RunPython(fill_counts, migrations.RunPython.noop),
        migrations.CreateModel(
            name="IndicatorNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="note")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notes",
                        to="assessments.assessment",
                        verbose_name="assessment",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="indicators.indicator",
                        verbose_name="indicator",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="updated by",
                    ),
                ),
            ],
            options={
                "verbose_name": "indicator note",
                "verbose_name_plural": "indicator notes",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("assessment", "indicator"),
                        name="indicator_note_one_per_indicator",
                    ),
                    models.CheckConstraint(
                        condition=Q(("text", ""), _negated=True), name="indicator_note_not_empty"
                    ),
                ],
            },
        ),
        migrations.RunPython(move_notes, migrations.RunPython.noop),
        migrations.RemoveField(model_name="answer", name="note"),
    ]
