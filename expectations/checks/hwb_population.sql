-- hwb_population: one row per HWB of hwb_areas with its population after the geography lookup
-- (hwb_population); an HWB without a population row has nulls.
with hwb_areas as (
    select * from hwb_areas
),

hwb_population as (
    select * from hwb_population
),

final as (
    select
        hwb_areas.hwb_code,
        hwb_areas.hwb_name,
        hwb_population.population_18plus,
        hwb_population.population_vintage,
        hwb_population.population_areas,
        array_to_string(hwb_population.areas_without_population, ', ') as areas_without_population,
        format('HWB {} {}', coalesce(hwb_areas.hwb_code, '?'), coalesce(hwb_areas.hwb_name, '?')) as location
    from hwb_areas
    left join hwb_population on hwb_population.hwb_code = hwb_areas.hwb_code
)

select * from final
order by hwb_code, population_18plus
