"""Assurance of local DToC plans (BCF KLOE 33-35) against a published expectations run, and the CCG split.

Stages: `sources` reads a plans or shares file (CSV or workbook, bounded) as rows with their row numbers, and
`fields` its cells; `publication` reads the expectations publication it is judged against; `plans` and `shares`
check the rows; `judge` compares every planned month with the glide path of dtoc.report.hwb_content and
`feedback` words its verdict; `split` shares an HWB's NHS figures among its CCGs; `workbook`, `page` and `outputs`
write the results inside one publication transaction; `commands` is what the CLI calls. `verdicts` holds the
verdicts, their wording, the allowance and the columns.
"""
