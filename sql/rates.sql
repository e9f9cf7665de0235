-- rates: one row per HWB with its baseline daily delays as a rate per 100,000 population aged 18+.
with baseline as (
    select * from baseline
),

population as (
    select hwb_code, population_18plus, population_vintage from hwb_population
),

final as (
    select
        baseline.hwb_code,
        population.population_18plus,
        population.population_vintage,
        baseline.baseline_nhs_daily,
        baseline.baseline_asc_daily,
        baseline.baseline_joint_daily,
        baseline.baseline_nhs_daily / population.population_18plus * 100000 as baseline_nhs_rate,
        baseline.baseline_asc_daily / population.population_18plus * 100000 as baseline_asc_rate,
        baseline.baseline_joint_daily / population.population_18plus * 100000 as baseline_joint_rate
    from baseline
    join population using (hwb_code)
)

select * from final order by hwb_code
