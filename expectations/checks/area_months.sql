-- area_months: one row per area of the delayed days other than a local authority (England and the rows for
-- residents of Wales, Scotland and outside Great Britain), with the months (of those present) it is missing
-- from. Local authorities are checked in one place, before the models run: a quarter whose months do not list
-- the same local authorities stops there (dtoc.model.geography.check_same_areas_each_month).
with delayed_days as (
    select *, coalesce(ons_code, la_code, area_name) as area_key from delayed_days_raw
    where area_type <> 'local_authority'
),

months as (
    select distinct month from delayed_days
),

areas as (
    select
        area_key,
        any_value(area_name order by month) as area_name,
        any_value(area_type order by month) as area_type,
        count(distinct month) as months_present,
        string_agg(format('{} row {}', source_file, row_number), '; ' order by month, source_file, row_number)
            as present_in
    from (select distinct area_key, area_name, area_type, month, source_file, row_number from delayed_days)
    group by area_key
),

missing as (
    select areas.area_key, string_agg(strftime(months.month, '%B %Y'), ', ' order by months.month) as missing_months
    from areas
    cross join months
    anti join delayed_days on delayed_days.area_key = areas.area_key and delayed_days.month = months.month
    group by areas.area_key
),

final as (
    select
        areas.*,
        (select count(*) from months) - areas.months_present as months_missing,
        missing.missing_months,
        format('{} ({}), rows: {}', coalesce(areas.area_name, '?'), coalesce(areas.area_key, '?'),
               areas.present_in) as location
    from areas
    left join missing on missing.area_key = areas.area_key
)

select * from final
order by area_key
