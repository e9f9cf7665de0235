-- monitoring_national: one row per month with a workbook and attribution (nhs, social_care, joint, total):
-- the HWBs' actual average daily delays added up against their expectations and glide path added up, and
-- how many HWBs met their comparator. Sums run over the rows of `monitoring`, so they add up exactly.
with monitoring as (
    select * from monitoring
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
        hwbs_reported - hwbs_met as hwbs_not_met
    from summed
)

select * from final order by month, list_position(['nhs', 'social_care', 'joint', 'total'], attribution)
