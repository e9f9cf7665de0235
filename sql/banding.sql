-- banding: one row per policy and HWB with the Annex 3 band for NHS and for adult social care delays, the
-- expected rate per 100,000 aged 18+ that the band implies, and the expected daily delays. The policies come
-- in long form, one row per policy and attribution (its rule: banded by a target, an upper threshold and a cap,
-- or held at the baseline): `dtoc run` loads its one policy from dtoc/parameters.toml, `dtoc scenarios` many;
-- both read this file. The rule itself is sql/macros/band_rule.sql, written once; joint delays are held at the baseline.
with rates as (
    select * from rates
),

policies as (
    select * from policies
),

-- each banded attribution's numbers side by side, one row per policy (any other column of `policies`, such as a
-- sweep's policy_number, carried along)
thresholds as (
    select
        * exclude (attribution, rule, target_rate, upper_rate, reduction_cap),
        any_value(target_rate) filter (where attribution = 'nhs') as nhs_target_rate,
        any_value(upper_rate) filter (where attribution = 'nhs') as nhs_upper_rate,
        any_value(reduction_cap) filter (where attribution = 'nhs') as nhs_reduction_cap,
        any_value(target_rate) filter (where attribution = 'asc') as asc_target_rate,
        any_value(upper_rate) filter (where attribution = 'asc') as asc_upper_rate,
        any_value(reduction_cap) filter (where attribution = 'asc') as asc_reduction_cap
    from policies
    group by all
),

banded as (
    select
        thresholds.*,
        rates.*,
        annex3_band(baseline_nhs_rate, nhs_target_rate, nhs_upper_rate) as nhs_band,
        annex3_band(baseline_asc_rate, asc_target_rate, asc_upper_rate) as asc_band
    from thresholds
    cross join rates
),

expected_rates as (
    select
        *,
        annex3_expected_rate(nhs_band, baseline_nhs_rate, nhs_target_rate, nhs_reduction_cap) as expected_nhs_rate,
        annex3_expected_rate(asc_band, baseline_asc_rate, asc_target_rate, asc_reduction_cap) as expected_asc_rate,
        baseline_joint_rate as expected_joint_rate,
        distance_to_threshold(baseline_nhs_rate, nhs_target_rate, nhs_upper_rate) as nhs_distance_to_threshold,
        distance_to_threshold(baseline_asc_rate, asc_target_rate, asc_upper_rate) as asc_distance_to_threshold
    from banded
),

expected_daily as (
    select
        *,
        annex3_expected_daily(nhs_band, baseline_nhs_daily, expected_nhs_rate, population_18plus)
            as expected_nhs_daily,
        annex3_expected_daily(asc_band, baseline_asc_daily, expected_asc_rate, population_18plus)
            as expected_asc_daily,
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
