-- hwb_population: one row per HWB with its population aged 18+. An HWB's population is its own ONS
-- area's, plus the areas that the geography lookup says its DToC row covers (Cornwall + Isles of Scilly),
-- unless such an area reports DToC on its own. An HWB with no population row gets a null population.
with hwbs as (
    select hwb_code from hwb_areas
),

components as (
    select lookup.component_code as ons_code, lookup.hwb_code
    from geography_lookup as lookup
    join hwbs on hwbs.hwb_code = lookup.hwb_code
    where lookup.component_code not in (select hwb_code from hwbs)
),

area_to_hwb as (
    select hwb_code as ons_code, hwb_code, false as is_component from hwbs
    union all
    select ons_code, hwb_code, true as is_component from components
),

matched as (
    select
        area_to_hwb.hwb_code,
        area_to_hwb.ons_code,
        area_to_hwb.is_component,
        population_raw.population_18plus,
        population_raw.vintage
    from area_to_hwb
    left join population_raw on population_raw.ons_code = area_to_hwb.ons_code
),

final as (
    select
        hwb_code,
        -- null if the HWB's own area or any component has no population row
        case when count(*) = count(population_18plus) then sum(population_18plus) end::bigint as population_18plus,
        any_value(vintage) as population_vintage,
        string_agg(ons_code, '+' order by is_component, ons_code) as population_areas,
        list(ons_code order by ons_code) filter (where population_18plus is null) as areas_without_population
    from matched
    group by hwb_code
)

select * from final order by hwb_code
