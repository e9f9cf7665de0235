-- scenarios: the published table of a sweep, one row per policy in the order of the POLICIES file: the
-- policy's six numbers under the POLICIES column names, its baseline quarter and population vintage, and its
-- national figures from each group's `scenario_summary` (gathered in `scenario_summaries`), with the balance
-- of the reduction between NHS and social care (NHS minus social care reduction, daily delays).
with policies as (
    select * from policies
),

summaries as (
    select * from scenario_summaries
),

final as (
    select
        policies.policy_number,
        policies.policy::varchar as policy,
        policies.nhs_target_rate as nhs_target,
        policies.nhs_upper_rate as nhs_upper,
        policies.nhs_reduction_cap as nhs_cap,
        policies.asc_target_rate as asc_target,
        policies.asc_upper_rate as asc_upper,
        policies.asc_reduction_cap as asc_cap,
        policies.baseline,
        policies.population_vintage,
        summaries.expected_nhs_daily,
        summaries.expected_asc_daily,
        summaries.expected_joint_daily,
        summaries.expected_total_daily,
        summaries.nhs_reduction_daily,
        summaries.asc_reduction_daily,
        summaries.nhs_reduction_daily - summaries.asc_reduction_daily as reduction_balance,
        summaries.nhs_maintain_hwbs,
        summaries.nhs_reduce_to_target_hwbs,
        summaries.nhs_reduce_by_cap_hwbs,
        summaries.asc_maintain_hwbs,
        summaries.asc_reduce_to_target_hwbs,
        summaries.asc_reduce_by_cap_hwbs,
        summaries.largest_hwb_reduction_pct
    from policies
    join summaries using (policy)
)

select * exclude (policy_number) from final order by policy_number
