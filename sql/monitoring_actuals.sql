-- monitoring_actuals: one row per HWB of the expectations, month with a workbook and attribution (nhs,
-- social_care, joint, total): the delayed days the month's workbook gives the HWB and the average daily
-- delays (delayed days / days in the month). A value not reported ('-') counts as 0, as in the baseline,
-- and is counted in cells_not_reported. An HWB absent from a month's workbook has no rows for that month.
with delays as (
    select month, ons_code as hwb_code, attribution, delayed_days
    from monitoring_delayed_days_raw
    where area_type = 'local_authority'
),

hwbs as (
    select hwb_code from expectations
),

months as (
    select month, days_in_month from monitoring_months
),

by_attribution as (
    select
        delays.hwb_code,
        delays.month,
        delays.attribution,
        coalesce(delays.delayed_days, 0) as actual_delayed_days,
        (delays.delayed_days is null)::integer as cells_not_reported
    from delays
    join hwbs using (hwb_code)
),

totals as (
    select
        hwb_code,
        month,
        'total' as attribution,
        sum(actual_delayed_days) as actual_delayed_days,
        sum(cells_not_reported) as cells_not_reported
    from by_attribution
    group by hwb_code, month
),

final as (
    select
        combined.hwb_code,
        combined.month,
        combined.attribution,
        combined.actual_delayed_days::bigint as actual_delayed_days,
        combined.cells_not_reported::integer as cells_not_reported,
        months.days_in_month,
        combined.actual_delayed_days / months.days_in_month::double as actual_daily
    from (select * from by_attribution union all by name select * from totals) as combined
    join months using (month)
)

select * from final order by hwb_code, month, attribution
