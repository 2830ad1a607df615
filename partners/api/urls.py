"""Routes of the partners resources under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet)
router.register("partners", views.PartnerCompanyViewSet)
router.register("kols", views.KolViewSet)
router.register("channels", views.ChannelViewSet)
router.register("memberships", views.RosterMembershipViewSet)
router.register("channel-metrics", views.ChannelMetricViewSet)
router.register("mous", views.MouViewSet)
router.register("people", views.PersonViewSet)
router.register("mou-people", views.MouPersonViewSet)

urlpatterns = router.urls
