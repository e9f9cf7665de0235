-- scenario_summary: one row per policy (by policy_number) of one group of a sweep (the policies sharing a
-- baseline quarter and a population vintage), for the chunk of policies being computed: England's expected
-- daily delays by attribution, the reduction from the baseline (baseline minus expected), the HWBs in each
-- band, and the largest reduction asked of one HWB for NHS or social care delays (100 x (1 - expected /
-- baseline daily); none where the baseline is 0). Sums are compensated (fsum), so the order in which DuckDB's
-- threads deliver the rows does not change them.
with banding as (
    select * from banding
),

reductions as (
    select
        *,
        100 * (1 - expected_nhs_daily / nullif(baseline_nhs_daily, 0)) as nhs_reduction_pct,
        100 * (1 - expected_asc_daily / nullif(baseline_asc_daily, 0)) as asc_reduction_pct
    from banding
),

final as (
    select
        policy_number,
        fsum(expected_nhs_daily) as expected_nhs_daily,
        fsum(expected_asc_daily) as expected_asc_daily,
        fsum(expected_joint_daily) as expected_joint_daily,
        fsum(expected_total_daily) as expected_total_daily,
        fsum(baseline_nhs_daily - expected_nhs_daily) as nhs_reduction_daily,
        fsum(baseline_asc_daily - expected_asc_daily) as asc_reduction_daily,
        count(*) filter (where nhs_band = 'maintain') as nhs_maintain_hwbs,
        count(*) filter (where nhs_band = 'reduce_to_target') as nhs_reduce_to_target_hwbs,
        count(*) filter (where nhs_band = 'reduce_by_cap') as nhs_reduce_by_cap_hwbs,
        count(*) filter (where asc_band = 'maintain') as asc_maintain_hwbs,
        count(*) filter (where asc_band = 'reduce_to_target') as asc_reduce_to_target_hwbs,
        count(*) filter (where asc_band = 'reduce_by_cap') as asc_reduce_by_cap_hwbs,
        coalesce(max(greatest(nhs_reduction_pct, asc_reduction_pct)), 0) as largest_hwb_reduction_pct
    from reductions
    group by policy_number
)

select * from final
