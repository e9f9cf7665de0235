-- delayed_days: one row per delayed-days cell of the monthly workbooks (area x month x attribution),
-- as loaded in delayed_days_raw, with the area's key and the cell's location for messages.
with delayed_days as (
    select * from delayed_days_raw
),

final as (
    select
        *,
        coalesce(ons_code, la_code, area_name) as area_key,
        delayed_days - floor(delayed_days) as delayed_days_fraction,
        format('{} sheet ''{}'' cell {} ({}, {}, {})',
               coalesce(source_file, '?'), coalesce(sheet, '?'), coalesce(cell_ref, '?'),
               coalesce(area_name, '?'), coalesce(attribution, '?'),
               coalesce(strftime(month, '%B %Y'), 'no month')) as location
    from delayed_days
)

select * from final
order by month, source_file, row_number, cell_ref, attribution
