"""Spreadsheets: the county's workbook round trip (download, upload with a preview, confirm)
and IMDi's export of a round's profiles to XLSX and CSV."""
