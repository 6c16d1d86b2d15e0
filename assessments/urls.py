from django.urls import path

from assessments.views import evidence, excel, page, review, workflow

app_name = "assessments"

urlpatterns = [
    path("assessments/<int:pk>/", page.assessment_page, name="page"),
    path(
        "assessments/<int:pk>/indicators/<str:code>/save/",
        page.indicator_save,
        name="indicator-save",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/preview/",
        page.indicator_preview,
        name="indicator-preview",
    ),
    path("assessments/<int:pk>/history/", page.history, name="history"),
    path("assessments/<int:pk>/evidence/", evidence.evidence_add, name="evidence-add"),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/delete/",
        evidence.evidence_delete,
        name="evidence-delete",
    ),
    path("evidence/<int:evidence_id>/file/", evidence.evidence_file, name="evidence-file"),
    path(
        "evidence/<int:evidence_id>/thumbnail/",
        evidence.evidence_thumbnail,
        name="evidence-thumbnail",
    ),
    path("assessments/<int:pk>/submit/", workflow.submit, name="submit"),
    path("assessments/<int:pk>/review/", review.review_page, name="review"),
    path("assessments/<int:pk>/review/items/<str:code>/", review.item_review, name="item-review"),
    path("assessments/<int:pk>/review/return/", review.return_for_correction, name="return"),
    path("assessments/<int:pk>/review/approve/", review.approve, name="approve"),
    path("assessments/<int:pk>/review/reopen/", review.reopen, name="reopen"),
    path("review/approve/", review.bulk_approve, name="bulk-approve"),
    path("assessments/<int:pk>/excel/", excel.assessment_workbook, name="excel"),
    path("assessments/excel/", excel.round_workbook, name="excel-round"),
    path("assessments/excel/upload/", excel.upload, name="excel-upload"),
]
