"""The dashboard: results for administrators and officials, every page reachable from
``/dashboard/`` by links."""

from django.urls import path

from reports.views import (
    batches,
    community,
    compare,
    exports,
    heatmap,
    notices,
    overview,
    ranking,
    regions,
    stability,
    summary,
    trends,
)

app_name = "dashboard"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("ranking/", ranking.ranking, name="ranking"),
    path("ranking/export/", exports.ranking_export, name="ranking-export"),
    path("communities/<int:pk>/", community.community, name="community"),
    path("communities/<int:pk>/next-grade/", community.next_grade, name="next-grade"),
    path("communities/<int:pk>/scorecard.pdf", community.scorecard_pdf, name="scorecard-pdf"),
    path("compare/", compare.compare, name="compare"),
    path("heatmap/", heatmap.heatmap, name="heatmap"),
    path("heatmap/regions/", heatmap.heatmap_regions, name="heatmap-regions"),
    path("heatmap/export/", exports.matrix_export, name="matrix-export"),
    path("regions/", regions.province, name="regions"),
    path("regions/<int:pk>/", regions.region, name="region"),
    path("summary.pdf", summary.summary_pdf, name="summary-pdf"),
    path("trends/", trends.trends, name="trends"),
    path("stability/", stability.stability, name="stability"),
    path("stability/run/", stability.stability_run, name="stability-run"),
    path("exports/<int:pk>/", exports.export_status, name="export-status"),
    path("exports/<int:pk>/download/", exports.export_download, name="export-download"),
    path("scorecards/", batches.batch_new, name="batches"),
    path("scorecards/<int:pk>/", batches.batch_status, name="batch-status"),
    path("scorecards/<int:pk>/download/", batches.batch_download, name="batch-download"),
    path("notices/", notices.notices, name="notices"),
    path("notices/new/", notices.notice_new, name="notice-new"),
    path("notices/<int:pk>/withdraw/", notices.notice_withdraw, name="notice-withdraw"),
]
