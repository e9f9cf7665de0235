-- scenario_ranked: the policies of a sweep whose national expected total lies within the question's tolerance
-- of its ambition (`question`: one row, daily delays), one row per policy, ranked (rank 1 = best): by how
-- evenly NHS and social care share the reduction (|reduction_balance|), then by the largest reduction asked of
-- one HWB, then in input order (policy_number, left out when published as ranked.csv). `annex3` marks the
-- run's policy (Annex 3's thresholds).
with scenarios as (
    select * from scenarios
),

question as (
    select * from question
),

near as (
    select
        scenarios.*,
        scenarios.expected_total_daily - question.ambition as distance_to_ambition
    from scenarios
    cross join question
    where abs(scenarios.expected_total_daily - question.ambition) <= question.tolerance
),

final as (
    select
        row_number() over (
            order by abs(reduction_balance), largest_hwb_reduction_pct, policy_number
        ) as rank,
        policy_number,
        policy,
        expected_total_daily,
        distance_to_ambition,
        nhs_reduction_daily,
        asc_reduction_daily,
        reduction_balance,
        largest_hwb_reduction_pct,
        nhs_target,
        nhs_upper,
        nhs_cap,
        asc_target,
        asc_upper,
        asc_cap,
        baseline,
        population_vintage,
        annex3
    from near
)

select * from final
