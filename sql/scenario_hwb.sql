-- scenario_hwb: one row per policy and HWB of one group of a sweep (the policies sharing a baseline quarter
-- and a population vintage): the bands and expected figures that `banding`, the model `dtoc run` uses,
-- gives each HWB under each policy. Policy names, HWB codes and bands are DuckDB ENUM types made by
-- dtoc/scenarios/sweep.py (policy_name in the order of the POLICIES file, hwb_code_value, band_value from
-- dtoc/vocabulary.py), so millions of rows sort and write as small integers. The sweep orders the rows.
with banding as (
    select * from banding
),

final as (
    select
        policy,
        hwb_code::hwb_code_value as hwb_code,
        nhs_band::band_value as nhs_band,
        asc_band::band_value as asc_band,
        expected_nhs_rate,
        expected_asc_rate,
        expected_nhs_daily,
        expected_asc_daily,
        expected_joint_daily,
        expected_total_daily
    from banding
)

select * from final
