"""Report: the publication pack for people: per-HWB files and briefs (PDF, HTML), the national workbook,
report.html and its charts, and the page and workbook writers the other commands share."""
