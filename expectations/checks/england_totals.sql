-- england_totals: one row per month and attribution: the England row's delayed days beside the sum of the
-- local authority rows and the non-England rows (Resident in Wales / Scotland / outside GB), '-' as 0.
with delayed_days as (
    select * from delayed_days_raw
),

sums as (
    select
        month, attribution,
        count(*) filter (where area_type = 'england') as england_rows,
        cast(sum(coalesce(delayed_days, 0)) filter (where area_type = 'england') as bigint) as england_days,
        cast(coalesce(sum(coalesce(delayed_days, 0)) filter (where area_type = 'local_authority'), 0) as bigint)
            as area_days,
        cast(coalesce(sum(coalesce(delayed_days, 0)) filter (where area_type = 'non_england'), 0) as bigint)
            as non_england_days,
        string_agg(distinct source_file, ', ' order by source_file) as source_file,
        string_agg(cell_ref, ', ' order by row_number, cell_ref) filter (where area_type = 'england') as england_cell
    from delayed_days
    group by month, attribution
),

final as (
    select
        *,
        area_days + non_england_days as parts_days,
        coalesce(england_days, 0) - (area_days + non_england_days) as difference,
        format('{} England row {} ({}, {})', coalesce(source_file, '?'),
               coalesce('cell ' || england_cell, 'missing'), coalesce(attribution, '?'),
               coalesce(strftime(month, '%B %Y'), 'no month')) as location
    from sums
)

select * from final
order by month, attribution
