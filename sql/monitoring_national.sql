-- monitoring_national: one row per month with a workbook and attribution (nhs, social_care, joint, total):
-- the HWBs' actual average daily delays added up against their expectations and glide path added up, and
-- how many HWBs met their comparator. Sums run over the rows of `monitoring`, so they add up exactly.
-- Beside them, England as published: the workbook's England row (which also counts delays of people resident
-- outside England, so it is not the sum of the HWBs), as delayed days and average daily delays.
with monitoring as (
    select * from monitoring
),

england_rows as (
    select month, attribution, delayed_days
    from monitoring_delayed_days_raw
    where area_type = 'england'
),

england as (
    select month, attribution, sum(delayed_days) as england_delayed_days from england_rows group by month, attribution
    union all
    select month, 'total', sum(delayed_days) from england_rows group by month
),

summed as (
    select
        month,
        attribution,
        any_value(month_index) as month_index,
        any_value(days_in_month) as days_in_month,
        any_value(comparator) as comparator,
        count(*) as hwbs_reported,
        sum(actual_delayed_days)::bigint as actual_delayed_days,
        sum(actual_daily) as actual_daily,
        sum(expected_daily) as expected_daily,
        sum(glide_path_daily) as glide_path_daily,
        sum(comparator_daily) as comparator_daily,
        count(*) filter (where met) as hwbs_met
    from monitoring
    group by month, attribution
),

final as (
    select
        month, month_index, attribution, hwbs_reported, actual_delayed_days, days_in_month,
        actual_daily, expected_daily, glide_path_daily, comparator, comparator_daily,
        actual_daily <= comparator_daily as met,
        case when comparator = 'expected' then actual_daily - expected_daily end as distance,
        hwbs_met,
        hwbs_reported - hwbs_met as hwbs_not_met,
        england.england_delayed_days::bigint as england_published_delayed_days,
        england.england_delayed_days / days_in_month::double as england_published_daily
    from summed
    left join england using (month, attribution)
)

select * from final order by month, list_position(['nhs', 'social_care', 'joint', 'total'], attribution)
