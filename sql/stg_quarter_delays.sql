-- stg_quarter_delays: one row per local authority, month of the baseline quarter and attribution, as the
-- monthly workbooks give it (delayed_days null where the workbook shows '-'), with the cell it came from.
-- The one place the quarter's months and the local-authority rows are chosen; the models read it.
with delayed_days_raw as (
    select * from delayed_days_raw
),

final as (
    select
        month, ons_code, la_code, area_name, region, attribution, delayed_days,
        source_file, source_sha256, sheet, cell_ref, row_number, published, revised,
        name_ref, header_text, header_ref
    from delayed_days_raw
    where area_type = 'local_authority'
      and month between $quarter_first_month and $quarter_last_month
)

select * from final order by ons_code, month, attribution
