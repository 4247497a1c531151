"""skjema's URLs: the county's pages, IMDi's review, spreadsheets, notifications, meetings."""

from django.urls import path

from .views import meetings, notifications, review, review_queue, spreadsheets, tasks
from .views.county import bulk, dashboard, editing, receipts
from .views.county import overview as submission_overview

app_name = "skjema"


def _submission_urls(segment: str, kind: str, prefix: str):
    base = f"<int:year>/{segment}/<str:number>/"
    return [
        path(
            base,
            submission_overview.overview,
            {"kind": kind},
            name=prefix if kind == "profile" else "county-submission",
        ),
        path(
            f"{base}send-inn/", submission_overview.submit, {"kind": kind}, name=f"{prefix}-submit"
        ),
        path(
            f"{base}bekreft/<slug:section_key>/",
            submission_overview.confirm,
            {"kind": kind},
            name=f"{prefix}-confirm",
        ),
        path(
            f"{base}svar/<int:comment_id>/",
            submission_overview.answer,
            {"kind": kind},
            name=f"{prefix}-answer",
        ),
        path(
            f"{base}<slug:section_key>/",
            editing.section_edit,
            {"kind": kind},
            name=f"{prefix}-section",
        ),
    ]


COUNTY = [
    path("", dashboard.index, name="index"),
    path("oppgaver/", tasks.tasks, name="tasks"),
    path("<int:year>/", dashboard.dashboard, name="dashboard"),
    path("<int:year>/fylke/", dashboard.own_county_submission, name="county-submission-own"),
    path("<int:year>/kommuner/samlet/", bulk.bulk, name="bulk"),
    *_submission_urls("kommuner", "profile", "profile"),
    *_submission_urls("fylke", "county", "county"),
    path("<int:year>/kvittering/<int:version_id>/", receipts.receipt, name="receipt"),
    path(
        "<int:year>/kvittering/<int:version_id>.docx",
        receipts.receipt_document,
        name="receipt-docx",
    ),
]


REVIEW = [
    path("<int:year>/oversikt/", review.round_overview, name="round-overview"),
    path(
        "<int:year>/oversikt/fylke/<str:county_number>/", review.round_county, name="round-county"
    ),
    path("<int:year>/gjennomgang/", review_queue.queue, name="review-queue"),
    path("<int:year>/gjennomgang/godkjenn/", review_queue.bulk_accept, name="review-bulk-accept"),
    path("<int:year>/gjennomgang/<int:submission_id>/", review.review, name="review"),
    path(
        "<int:year>/gjennomgang/<int:submission_id>/neste/",
        review_queue.next_for_review,
        name="review-next",
    ),
    path(
        "<int:year>/gjennomgang/<int:submission_id>/returner/",
        review.return_view,
        name="review-return",
    ),
    path(
        "<int:year>/gjennomgang/<int:submission_id>/godkjenn/",
        review.accept_view,
        name="review-accept",
    ),
    path(
        "<int:year>/gjennomgang/<int:submission_id>/gjenapne/",
        review.reopen_view,
        name="review-reopen",
    ),
    path("<int:year>/apne/", review.open_round, name="open-round"),
    path("versjoner/sammenlign/", review.compare_pick, name="compare-pick"),
    path("versjoner/<int:a_id>/mot/<int:b_id>/", review.compare, name="compare"),
    path("innsendinger/<int:submission_id>/versjoner/", review.versions, name="versions"),
]


SPREADSHEETS = [
    path("<int:year>/regneark/", spreadsheets.spreadsheet, name="spreadsheet"),
    path(
        "<int:year>/regneark/arbeidsbok.xlsx",
        spreadsheets.download_workbook,
        name="spreadsheet-download",
    ),
    path(
        "<int:year>/regneark/sjekker/<uuid:file_id>/",
        spreadsheets.checking,
        name="spreadsheet-checking",
    ),
    path("<int:year>/regneark/<uuid:token>/", spreadsheets.preview, name="spreadsheet-preview"),
    path(
        "<int:year>/regneark/<uuid:token>/bekreft/",
        spreadsheets.confirm,
        name="spreadsheet-confirm",
    ),
    path(
        "<int:year>/regneark/<uuid:token>/avviste.xlsx",
        spreadsheets.refused_workbook,
        name="spreadsheet-refused",
    ),
    path(
        "<int:year>/regneark/<uuid:token>/send-inn/",
        spreadsheets.submit,
        name="spreadsheet-submit",
    ),
    path("<int:year>/eksport/", spreadsheets.export_page, name="export"),
    path("<int:year>/eksport.xlsx", spreadsheets.export_xlsx, name="export-xlsx"),
    path("<int:year>/eksport.csv", spreadsheets.export_csv, name="export-csv"),
]


NOTIFICATIONS = [
    path("varsler/", notifications.notification_list, name="notifications"),
    path("varsler/lest/", notifications.mark_read, name="notifications-read"),
]


MEETINGS = [
    path("<int:year>/oversikt/moter/", meetings.round_meetings, name="round-meetings"),
    path("<int:year>/oversikt/eksport.csv", meetings.export_csv, name="round-overview-csv"),
    path("<int:year>/oversikt/eksport.xlsx", meetings.export_xlsx, name="round-overview-xlsx"),
    path(
        "<int:year>/moter/<int:meeting_id>/dokument/",
        meetings.document_page,
        name="meeting-document",
    ),
    path(
        "<int:year>/moter/<int:meeting_id>/dokument.docx",
        meetings.document_docx_view,
        name="meeting-document-docx",
    ),
    path(
        "<int:year>/moter/<int:meeting_id>/dokument.pdf",
        meetings.document_pdf_view,
        name="meeting-document-pdf",
    ),
    path(
        "<int:year>/moter/<int:meeting_id>/dokument/lag-pa-nytt/",
        meetings.regenerate,
        name="meeting-document-regenerate",
    ),
    path(
        "<int:year>/moter/<int:meeting_id>/dokument/godkjenn/",
        meetings.approve,
        name="meeting-document-approve",
    ),
    path(
        "<int:year>/moter/<int:meeting_id>/dokument/lag/",
        meetings.generate,
        name="meeting-document-generate",
    ),
    path(
        "<int:year>/moter/<int:meeting_id>/dokument/send/",
        meetings.send,
        name="meeting-document-send",
    ),
]


urlpatterns = [*COUNTY, *REVIEW, *SPREADSHEETS, *NOTIFICATIONS, *MEETINGS]
