-- scenario_hwb: one row per policy and HWB of one group of a sweep (the policies sharing a baseline quarter
-- and a population vintage) for the chunk of policies being computed (`policies` is the group's part of
-- main.scenario_chunk): the bands and expected figures that `banding`, the model `dtoc run` uses, gives each
-- HWB under each policy. policy_number (1 = the first policy of the input) orders the rows; the sweep sorts
-- each chunk by policy_number then hwb_code and streams it to scenarios_hwb.parquet without policy_number.
with banding as (
    select * from banding
),

final as (
    select
        policy_number,
        policy,
        hwb_code,
        nhs_band,
        asc_band,
        expected_nhs_rate,
        expected_asc_rate,
        expected_nhs_daily,
        expected_asc_daily,
        expected_joint_daily,
        expected_total_daily
    from banding
)

select * from final
