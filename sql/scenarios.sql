-- scenarios: the published table of a sweep, one row per policy, built a chunk at a time: the policies of the
-- chunk (`scenario_chunk`; policy_number 1 = the first of the POLICIES file or grid; the writer orders by it and
-- leaves it out) with the policy's six numbers under the POLICIES column names, its baseline quarter and
-- population vintage, and its national figures from its group's `scenario_summary` (all groups gathered in
-- `scenario_summary_all`), with the balance of the reduction between NHS and social care (NHS minus social care
-- reduction, daily delays). `annex3` (not in scenarios.csv; ranked.csv carries it) marks a policy whose six
-- numbers are the run's (`run_policy`: dtoc/parameters.toml, Annex 3's thresholds), whatever its baseline
-- quarter and population.
with policies as (
    select * from scenario_chunk
),

summaries as (
    select * from scenario_summary_all
),

run_policy as (
    select * from run_policy
),

final as (
    select
        policies.policy_number,
        policies.policy,
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
        summaries.largest_hwb_reduction_pct,
        policies.nhs_target_rate = run_policy.nhs_target_rate
            and policies.nhs_upper_rate = run_policy.nhs_upper_rate
            and policies.nhs_reduction_cap = run_policy.nhs_reduction_cap
            and policies.asc_target_rate = run_policy.asc_target_rate
            and policies.asc_upper_rate = run_policy.asc_upper_rate
            and policies.asc_reduction_cap = run_policy.asc_reduction_cap as annex3
    from policies
    join summaries using (policy_number)
    cross join run_policy
)

select * from final
