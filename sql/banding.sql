-- banding: one row per policy and HWB with the Annex 3 band for NHS and for adult social care delays, the
-- expected rate per 100,000 aged 18+ that the band implies, and the expected daily delays. The thresholds
-- come from `policies` (one row per policy: its name and the six numbers): `dtoc run` loads one row from
-- dtoc/parameters.toml, `dtoc scenarios` many; both read this file. Joint delays are held at the baseline.
--   rate <  target           -> maintain          (expected rate = baseline rate)
--   target <= rate <= upper  -> reduce_to_target  (expected rate = target)
--   rate >  upper            -> reduce_by_cap     (expected rate = rate x (1 - cap))
-- Expected daily delays = expected rate x population 18+ / 100,000; where the band keeps the baseline
-- (maintain, and joint delays) the baseline daily figure is carried over as it is, so no rounding creeps in.
with rates as (
    select * from rates
),

policies as (
    select * from policies
),

banded as (
    select
        policies.*,
        rates.*,
        case
            when baseline_nhs_rate < nhs_target_rate then 'maintain'
            when baseline_nhs_rate <= nhs_upper_rate then 'reduce_to_target'
            else 'reduce_by_cap'
        end as nhs_band,
        case
            when baseline_asc_rate < asc_target_rate then 'maintain'
            when baseline_asc_rate <= asc_upper_rate then 'reduce_to_target'
            else 'reduce_by_cap'
        end as asc_band
    from policies
    cross join rates
),

expected_rates as (
    select
        *,
        case nhs_band
            when 'maintain' then baseline_nhs_rate
            when 'reduce_to_target' then nhs_target_rate::double
            else baseline_nhs_rate * (1 - nhs_reduction_cap::double)
        end as expected_nhs_rate,
        case asc_band
            when 'maintain' then baseline_asc_rate
            when 'reduce_to_target' then asc_target_rate::double
            else baseline_asc_rate * (1 - asc_reduction_cap::double)
        end as expected_asc_rate,
        baseline_joint_rate as expected_joint_rate,
        least(abs(baseline_nhs_rate - nhs_target_rate), abs(baseline_nhs_rate - nhs_upper_rate))
            as nhs_distance_to_threshold,
        least(abs(baseline_asc_rate - asc_target_rate), abs(baseline_asc_rate - asc_upper_rate))
            as asc_distance_to_threshold
    from banded
),

expected_daily as (
    select
        *,
        case when nhs_band = 'maintain' then baseline_nhs_daily
             else expected_nhs_rate * population_18plus / 100000 end as expected_nhs_daily,
        case when asc_band = 'maintain' then baseline_asc_daily
             else expected_asc_rate * population_18plus / 100000 end as expected_asc_daily,
        baseline_joint_daily as expected_joint_daily
    from expected_rates
),

final as (
    select
        *,
        expected_nhs_daily + expected_asc_daily + expected_joint_daily as expected_total_daily
    from expected_daily
)

-- no order: `expectations` and the sweep order their own rows (a sweep's millions of rows are sorted once, there)
select * from final
