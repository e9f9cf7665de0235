"""Report: the publication pack for people: per-HWB files, the national workbook, report.html and its charts."""
