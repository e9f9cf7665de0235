-- expectations: one row per HWB of the expectations table or of hwb_areas, with the checks' derived values:
-- the reduction of each expected value from its baseline (1 - expected / baseline; 0 when both are 0, minus
-- infinity when only the baseline is 0) and the relative gap between the total and its three parts.
with expectations as (
    select * from expectations
),

hwb_areas as (
    select * from hwb_areas
),

reductions as (
    select
        *,
        count(hwb_code) over (partition by hwb_code) as expectation_rows,
        case when baseline_nhs_rate <> 0 then 1 - expected_nhs_rate / baseline_nhs_rate
             when expected_nhs_rate = 0 then 0.0 when expected_nhs_rate is not null then '-Infinity' end
            as nhs_rate_reduction,
        case when baseline_asc_rate <> 0 then 1 - expected_asc_rate / baseline_asc_rate
             when expected_asc_rate = 0 then 0.0 when expected_asc_rate is not null then '-Infinity' end
            as asc_rate_reduction,
        case when baseline_joint_rate <> 0 then 1 - expected_joint_rate / baseline_joint_rate
             when expected_joint_rate = 0 then 0.0 when expected_joint_rate is not null then '-Infinity' end
            as joint_rate_reduction,
        case when baseline_nhs_daily <> 0 then 1 - expected_nhs_daily / baseline_nhs_daily
             when expected_nhs_daily = 0 then 0.0 when expected_nhs_daily is not null then '-Infinity' end
            as nhs_daily_reduction,
        case when baseline_asc_daily <> 0 then 1 - expected_asc_daily / baseline_asc_daily
             when expected_asc_daily = 0 then 0.0 when expected_asc_daily is not null then '-Infinity' end
            as asc_daily_reduction,
        case when baseline_joint_daily <> 0 then 1 - expected_joint_daily / baseline_joint_daily
             when expected_joint_daily = 0 then 0.0 when expected_joint_daily is not null then '-Infinity' end
            as joint_daily_reduction,
        (expected_total_daily - (expected_nhs_daily + expected_asc_daily + expected_joint_daily))
            / greatest(abs(expected_total_daily), 1e-300) as total_relative_difference
    from expectations
),

final as (
    select
        reductions.* replace (
            coalesce(reductions.hwb_code, hwb_areas.hwb_code) as hwb_code,
            coalesce(reductions.hwb_name, hwb_areas.hwb_name) as hwb_name,
            coalesce(reductions.expectation_rows, 0) as expectation_rows
        ),
        hwb_areas.hwb_code is not null as in_hwb_areas,
        format('HWB {} {}', coalesce(reductions.hwb_code, hwb_areas.hwb_code, '?'),
               coalesce(reductions.hwb_name, hwb_areas.hwb_name, '?')) as location
    from reductions
    full join (select distinct hwb_code, hwb_name from hwb_areas) as hwb_areas
        on hwb_areas.hwb_code = reductions.hwb_code
)

select * from final
order by hwb_code, expected_total_daily
