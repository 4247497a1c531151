"""IMDi pages: round dashboard, review of a submission, version comparison."""

urlpatterns = []
