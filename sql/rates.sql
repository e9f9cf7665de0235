-- rates: one row per HWB with its baseline daily delays as a rate per 100,000 population aged 18+.
-- Computed from whole numbers in one division (delayed days x 100,000 / (days x population)), so a rate
-- that is exactly a band threshold (e.g. 2.6) is not pushed below it by rounding in intermediate steps.
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
        (baseline.nhs_delayed_days * 100000)::double
            / (baseline.days_in_quarter * population.population_18plus)::double as baseline_nhs_rate,
        (baseline.asc_delayed_days * 100000)::double
            / (baseline.days_in_quarter * population.population_18plus)::double as baseline_asc_rate,
        (baseline.joint_delayed_days * 100000)::double
            / (baseline.days_in_quarter * population.population_18plus)::double as baseline_joint_rate
    from baseline
    join population using (hwb_code)
)

select * from final order by hwb_code
