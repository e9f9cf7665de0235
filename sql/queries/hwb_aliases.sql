-- hwb_aliases: every name and code a run's database holds for a published HWB, one row each: the published
-- name and ONS code, its names and LA codes in the quarter's DToC workbooks, its name in the population
-- estimates, and the areas (code and name) the geography lookup adds to its DToC row.
with hwbs as (
    select hwb_code from expectations
),

aliases as (
    select hwb_code, hwb_name as alias, 'published' as source, null as part_name from expectations
    union all select hwb_code, hwb_code, 'code', null from expectations
    union all select distinct ons_code, area_name, 'dtoc_name', null from delayed_days_raw
        where ons_code in (select hwb_code from hwbs)
    union all select distinct ons_code, la_code, 'la_code', null from delayed_days_raw
        where ons_code in (select hwb_code from hwbs) and la_code is not null
    union all select ons_code, area_name, 'mye_name', null from population_raw
        where ons_code in (select hwb_code from hwbs)
    union all select lookup.hwb_code, alias, 'part', lookup.component_name
        from geography_lookup as lookup, unnest([lookup.component_code, lookup.component_name]) as t(alias)
        where lookup.hwb_code in (select hwb_code from hwbs)
    union all select lookup.hwb_code, population.area_name, 'part', lookup.component_name
        from geography_lookup as lookup join population_raw as population on population.ons_code = lookup.component_code
        where lookup.hwb_code in (select hwb_code from hwbs)
),

final as (
    select distinct * from aliases
)

select * from final order by all
