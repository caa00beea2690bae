app_name = "bulletins"
urlpatterns = []
