-- quarter_months: one row per month that is requested (the baseline quarter) or present in the delayed days.
with delayed_days as (
    select * from delayed_days_raw
),

requested as (
    select cast(generate_series as date) as month
    from generate_series(cast($quarter_first_month as date), cast($quarter_last_month as date), interval 1 month)
),

present as (
    select
        month,
        count(distinct coalesce(ons_code, la_code, area_name)) as areas,
        string_agg(distinct source_file, ', ' order by source_file) as source_file
    from delayed_days
    group by month
),

final as (
    select
        coalesce(requested.month, present.month) as month,
        requested.month is not null as requested,
        present.month is not null as present,
        coalesce(present.areas, 0) as areas,
        present.source_file,
        format('month {} ({})', coalesce(strftime(coalesce(requested.month, present.month), '%B %Y'), 'null'),
               coalesce(present.source_file, 'no rows in delayed_days_raw')) as location
    from requested
    full join present on requested.month = present.month
)

select * from final
order by month
