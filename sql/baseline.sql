-- baseline: one row per HWB with its delayed days in the baseline quarter by attribution, and the average
-- daily delays (delayed days summed over the quarter's months / the days in those months).
-- A value not reported ('-', null in delayed_days_raw) counts as 0.
with quarter_days as (
    select ons_code as hwb_code, attribution, delayed_days, delayed_days is null as not_reported
    from stg_quarter_delays
),

summed as (
    select
        hwb_code,
        sum(coalesce(delayed_days, 0)) filter (where attribution = 'nhs') as nhs_delayed_days,
        sum(coalesce(delayed_days, 0)) filter (where attribution = 'social_care') as asc_delayed_days,
        sum(coalesce(delayed_days, 0)) filter (where attribution = 'joint') as joint_delayed_days,
        count(*) filter (where not_reported) as cells_not_reported
    from quarter_days
    group by hwb_code
),

final as (
    select
        hwb_code,
        nhs_delayed_days::bigint as nhs_delayed_days,
        asc_delayed_days::bigint as asc_delayed_days,
        joint_delayed_days::bigint as joint_delayed_days,
        cells_not_reported,
        $days_in_quarter::integer as days_in_quarter,
        nhs_delayed_days / $days_in_quarter::double as baseline_nhs_daily,
        asc_delayed_days / $days_in_quarter::double as baseline_asc_daily,
        joint_delayed_days / $days_in_quarter::double as baseline_joint_daily
    from summed
)

select * from final order by hwb_code
