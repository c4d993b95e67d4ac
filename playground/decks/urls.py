from __future__ import annotations

from django.urls import path

from playground.decks import views

app_name = "decks"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_deck, name="import"),
    path("add/", views.add, name="add"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/present/", views.present, name="present"),
    path("<int:pk>/export.json", views.export, name="export"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/steps/<int:step>/move/", views.step_move, name="step_move"),
    path("<int:pk>/steps/<int:step>/edit/", views.step_edit, name="step_edit"),
    path("<int:pk>/steps/<int:step>/delete/", views.step_delete, name="step_delete"),
]
