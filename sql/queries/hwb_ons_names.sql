-- hwb_ons_names: one row per published HWB whose own code has a row in the population estimates the run read,
-- with the name ONS gives that area there ('Kingston upon Hull, City of' where the DToC workbooks print
-- 'Kingston Upon Hull UA'). The pages show it; the workbooks' name stays the published hwb_name.
with expectations as (
    select hwb_code from expectations
),

population as (
    select ons_code, area_name from population_raw
),

final as (
    select expectations.hwb_code, any_value(population.area_name order by population.area_name) as ons_name
    from expectations
    join population on population.ons_code = expectations.hwb_code
    where population.area_name is not null
    group by expectations.hwb_code
)

select * from final order by hwb_code
