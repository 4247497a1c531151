"""County pages: dashboard, profile and county-submission forms, submit, receipts."""

urlpatterns = []
