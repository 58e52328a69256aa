from .views import activities, demands, projects, resources, stations

app_name = "services"

# Each page module declares its own routes; this keeps the two halves of the app apart.
urlpatterns = [
    *stations.urlpatterns,
    *activities.urlpatterns,
    *resources.urlpatterns,
    *projects.urlpatterns,
    *demands.urlpatterns,
]
