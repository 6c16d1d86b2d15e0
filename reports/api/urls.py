from reports.api import dashboard, pdfs, rankings, scorecards

urlpatterns = [
    *scorecards.urlpatterns,
    *rankings.urlpatterns,
    *dashboard.urlpatterns,
    *pdfs.urlpatterns,
]
