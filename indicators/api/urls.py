from rest_framework.routers import SimpleRouter

from indicators.api.views import FrameworkViewSet

router = SimpleRouter()
router.register("frameworks", FrameworkViewSet, basename="framework")

urlpatterns = router.urls
