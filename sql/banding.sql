-- banding: one row per HWB with the Annex 3 band for NHS and for adult social care delays and the
-- expected rate per 100,000 aged 18+ that the band implies. Joint delays are held at the baseline.
--   rate <  target           -> maintain          (expected rate = baseline rate)
--   target <= rate <= upper  -> reduce_to_target  (expected rate = target)
--   rate >  upper            -> reduce_by_cap     (expected rate = rate x (1 - cap))
with rates as (
    select * from rates
),

banded as (
    select
        *,
        case
            when baseline_nhs_rate < $nhs_target_rate then 'maintain'
            when baseline_nhs_rate <= $nhs_upper_rate then 'reduce_to_target'
            else 'reduce_by_cap'
        end as nhs_band,
        case
            when baseline_asc_rate < $asc_target_rate then 'maintain'
            when baseline_asc_rate <= $asc_upper_rate then 'reduce_to_target'
            else 'reduce_by_cap'
        end as asc_band
    from rates
),

final as (
    select
        *,
        case nhs_band
            when 'maintain' then baseline_nhs_rate
            when 'reduce_to_target' then $nhs_target_rate::double
            else baseline_nhs_rate * (1 - $nhs_reduction_cap::double)
        end as expected_nhs_rate,
        case asc_band
            when 'maintain' then baseline_asc_rate
            when 'reduce_to_target' then $asc_target_rate::double
            else baseline_asc_rate * (1 - $asc_reduction_cap::double)
        end as expected_asc_rate,
        baseline_joint_rate as expected_joint_rate,
        least(abs(baseline_nhs_rate - $nhs_target_rate), abs(baseline_nhs_rate - $nhs_upper_rate))
            as nhs_distance_to_threshold,
        least(abs(baseline_asc_rate - $asc_target_rate), abs(baseline_asc_rate - $asc_upper_rate))
            as asc_distance_to_threshold
    from banded
)

select * from final order by hwb_code
