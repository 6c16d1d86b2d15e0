"""The dashboard: results for administrators and officials, every page reachable from
``/dashboard/`` by links."""

from django.urls import path

from reports.views import (
    community,
    compare,
    exports,
    heatmap,
    overview,
    ranking,
    regions,
    stability,
    trends,
)

app_name = "dashboard"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("ranking/", ranking.ranking, name="ranking"),
    path("ranking/export/", exports.ranking_export, name="ranking-export"),
    path("communities/<int:pk>/", community.community, name="community"),
    path("communities/<int:pk>/next-grade/", community.next_grade, name="next-grade"),
    path("compare/", compare.compare, name="compare"),
    path("heatmap/", heatmap.heatmap, name="heatmap"),
    path("heatmap/regions/", heatmap.heatmap_regions, name="heatmap-regions"),
    path("heatmap/export/", exports.matrix_export, name="matrix-export"),
    path("regions/", regions.province, name="regions"),
    path("regions/<int:pk>/", regions.region, name="region"),
    path("trends/", trends.trends, name="trends"),
    path("stability/", stability.stability, name="stability"),
    path("stability/run/", stability.stability_run, name="stability-run"),
    path("exports/<int:pk>/", exports.export_status, name="export-status"),
    path("exports/<int:pk>/download/", exports.export_download, name="export-download"),
]
