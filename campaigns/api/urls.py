"""Routes of the campaigns resources under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("campaigns", views.CampaignViewSet)
router.register("hashtags", views.HashtagViewSet)
router.register("assignments", views.AssignmentViewSet)
router.register("campaign-reports", views.CampaignReportViewSet)
router.register("stated-facts", views.StatedFactViewSet)

urlpatterns = router.urls
