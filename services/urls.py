from .views import activities, resources, stations

app_name = "services"

# Each page module declares its own routes; this keeps the two halves of the app apart.
urlpatterns = [*stations.urlpatterns, *activities.urlpatterns, *resources.urlpatterns]
