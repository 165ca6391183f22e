from django.urls import path

from customers import views

app_name = "customers"
urlpatterns = [
    path("t/<slug:team>/customers/", views.customer_list, name="list"),
    path("t/<slug:team>/customers/<int:pk>/", views.customer_detail, name="detail"),
]
