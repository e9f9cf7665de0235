-- reported_totals: one row per Total cell (area x month) beside the sum of the NHS, Social Care and Both
-- cells of the same worksheet row ('-' counted as 0). A row on one side only has nulls on the other.
with reported_totals as (
    select * from reported_totals
),

delayed_days as (
    select * from delayed_days_raw
),

attribution_sums as (
    select
        month, source_file, sheet, row_number,
        any_value(area_name) as attribution_area_name,
        count(*) as attribution_rows,
        cast(sum(coalesce(delayed_days, 0)) as bigint) as attributions_total
    from delayed_days
    group by month, source_file, sheet, row_number
),

final as (
    select
        totals.* replace (
            coalesce(totals.month, sums.month) as month,
            coalesce(totals.area_name, sums.attribution_area_name) as area_name,
            coalesce(totals.source_file, sums.source_file) as source_file,
            coalesce(totals.sheet, sums.sheet) as sheet,
            coalesce(totals.row_number, sums.row_number) as row_number
        ),
        coalesce(totals.ons_code, totals.area_name, sums.attribution_area_name) as area_key,
        coalesce(sums.attribution_rows, 0) as attribution_rows,
        sums.attributions_total,
        coalesce(totals.reported_total, 0) - coalesce(sums.attributions_total, 0) as total_difference,
        format('{} sheet ''{}'' {} ({}, {})',
               coalesce(totals.source_file, sums.source_file, '?'), coalesce(totals.sheet, sums.sheet, '?'),
               coalesce('cell ' || totals.cell_ref, 'row ' || sums.row_number, '?'),
               coalesce(totals.area_name, sums.attribution_area_name, '?'),
               coalesce(strftime(coalesce(totals.month, sums.month), '%B %Y'), 'no month')) as location
    from reported_totals as totals
    full join attribution_sums as sums
        on totals.month = sums.month
        and totals.source_file = sums.source_file
        and totals.sheet = sums.sheet
        and totals.row_number = sums.row_number
)

select * from final
order by month, source_file, row_number, cell_ref
