from django.urls import path, re_path

from .actions.claims import claim_accept, claim_withdraw
from .actions.demands import ACTIONS
from .actions.resources import resource_offer_restore, resource_offer_withdraw
from .views import activities, claims, demands, projects, resources, stations

app_name = "services"

urlpatterns = [
    # stations
    path("stations/", stations.StationListView.as_view(), name="station-list"),
    path("stations/new/", stations.StationCreateView.as_view(), name="station-create"),
    path("stations/<int:pk>/", stations.StationDetailView.as_view(), name="station-detail"),
    path("stations/<int:pk>/edit/", stations.StationUpdateView.as_view(), name="station-update"),
    path("stations/<int:pk>/close/", stations.StationCloseView.as_view(), name="station-close"),
    path("stations/<int:pk>/reopen/", stations.StationReopenView.as_view(), name="station-reopen"),
    path("catalogue/", stations.ServiceCategoryListView.as_view(), name="service-category-list"),
    path(
        "catalogue/<int:pk>/edit/",
        stations.ServiceCategoryUpdateView.as_view(),
        name="service-category-update",
    ),
    path(
        "catalogue/<int:pk>/active/",
        stations.ServiceCategoryActiveView.as_view(),
        name="service-category-active",
    ),
    # activities
    path("activities/", activities.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", activities.ActivityCreateView.as_view(), name="activity-create"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity-detail"),
    path(
        "activities/<int:pk>/edit/", activities.ActivityUpdateView.as_view(), name="activity-update"
    ),
    path(
        "activities/<int:pk>/photos/<int:photo_pk>/delete/",
        activities.ActivityPhotoDeleteView.as_view(),
        name="activity-photo-delete",
    ),
    # resources
    path("resources/", resources.ResourceOfferListView.as_view(), name="resource-list"),
    path("resources/new/", resources.ResourceOfferCreateView.as_view(), name="resource-create"),
    path(
        "resources/<int:pk>/", resources.ResourceOfferDetailView.as_view(), name="resource-detail"
    ),
    path(
        "resources/<int:pk>/edit/",
        resources.ResourceOfferUpdateView.as_view(),
        name="resource-update",
    ),
    path(
        "resources/<int:pk>/withdraw/",
        resources.ResourceOfferActiveView.as_view(action=resource_offer_withdraw),
        name="resource-withdraw",
    ),
    path(
        "resources/<int:pk>/restore/",
        resources.ResourceOfferActiveView.as_view(action=resource_offer_restore),
        name="resource-restore",
    ),
    # projects
    path("projects/", projects.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", projects.ProjectCreateView.as_view(), name="project-create"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:pk>/edit/", projects.ProjectUpdateView.as_view(), name="project-update"),
    path(
        "projects/<int:pk>/transition/",
        projects.ProjectTransitionView.as_view(),
        name="project-transition",
    ),
    path(
        "projects/<int:pk>/progress/",
        projects.ProjectProgressView.as_view(),
        name="project-progress",
    ),
    path(
        "projects/<int:pk>/amounts/", projects.ProjectAmountsView.as_view(), name="project-amounts"
    ),
    path(
        "projects/<int:pk>/milestones/",
        projects.MilestoneAddView.as_view(),
        name="project-milestone-add",
    ),
    path(
        "projects/<int:pk>/milestones/<int:milestone_pk>/done/",
        projects.MilestoneDoneView.as_view(),
        name="project-milestone-done",
    ),
    path("projects/<int:pk>/claim/", projects.ProjectClaimView.as_view(), name="project-claim"),
    path("projects/<int:pk>/invite/", projects.ProjectInviteView.as_view(), name="project-invite"),
    path(
        "projects/<int:pk>/request-resource/",
        projects.ProjectResourceRequestView.as_view(),
        name="project-request-resource",
    ),
    path(
        "demands/<int:pk>/project/",
        projects.ProjectFromDemandView.as_view(),
        name="project-from-demand",
    ),
    path("demands/<int:pk>/claim/", claims.DemandClaimView.as_view(), name="demand-claim"),
    path(
        "demands/<int:pk>/request-resource/",
        claims.DemandResourceRequestView.as_view(),
        name="demand-request-resource",
    ),
    path("claims/", claims.ClaimListView.as_view(), name="claim-list"),
    path(
        "claims/<int:pk>/accept/",
        claims.ClaimAnswerView.as_view(action=claim_accept),
        name="claim-accept",
    ),
    path("claims/<int:pk>/decline/", claims.ClaimDeclineView.as_view(), name="claim-decline"),
    path(
        "claims/<int:pk>/withdraw/",
        claims.ClaimAnswerView.as_view(action=claim_withdraw),
        name="claim-withdraw",
    ),
    # demands
    path("demands/", demands.DemandListView.as_view(), name="demand-list"),
    path("demands/new/", demands.DemandCreateView.as_view(), name="demand-create"),
    path("demands/deadlines/", demands.DemandDeadlinesView.as_view(), name="demand-deadlines"),
    path("demands/<int:pk>/", demands.DemandDetailView.as_view(), name="demand-detail"),
    path("demands/<int:pk>/edit/", demands.DemandUpdateView.as_view(), name="demand-update"),
    path(
        "demands/<int:pk>/attachments/",
        demands.DemandAttachmentAddView.as_view(),
        name="demand-attachment-add",
    ),
    path(
        "demands/<int:pk>/attachments/<int:attachment_id>/",
        demands.DemandAttachmentView.as_view(),
        name="demand-attachment",
    ),
    # Only the named steps: other paths below a demand (its project, say) belong to other views.
    re_path(
        rf"^demands/(?P<pk>[0-9]+)/(?P<action>{'|'.join(ACTIONS)})/$",
        demands.DemandActionView.as_view(),
        name="demand-action",
    ),
    path("campaigns/", demands.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/new/", demands.CampaignFormView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", demands.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", demands.CampaignUpdateView.as_view(), name="campaign-update"),
]
