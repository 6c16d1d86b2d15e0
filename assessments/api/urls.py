from assessments.api import answers, assessments, catalogue, evidence, history, imports, workflow

urlpatterns = [
    *catalogue.urlpatterns,
    *assessments.urlpatterns,
    *answers.urlpatterns,
    *history.urlpatterns,
    *evidence.urlpatterns,
    *workflow.urlpatterns,
    *imports.urlpatterns,
]
