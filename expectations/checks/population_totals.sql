-- population_totals: one row per measure (aged 18+, all ages): England's figure (E92000001) beside the sum of
-- the upper-tier areas (unitary E06, metropolitan district E08, London borough E09, county E10). Districts
-- (E07) are inside their county and are not added.
with population as (
    select * from population_raw
),

england as (
    select * from population where ons_code = 'E92000001'
),

upper_tier as (
    select * from population where substr(ons_code, 1, 3) in ('E06', 'E08', 'E09', 'E10')
),

measures as (
    select
        'population_18plus' as measure,
        (select sum(population_18plus) from england) as england_population,
        (select sum(population_18plus) from upper_tier) as upper_tier_population
    union all
    select
        'population_all_ages',
        (select sum(population_all_ages) from england),
        (select sum(population_all_ages) from upper_tier)
),

final as (
    select
        measure,
        cast(england_population as bigint) as england_population,
        cast(upper_tier_population as bigint) as upper_tier_population,
        (select count(*) from upper_tier) as upper_tier_areas,
        cast(coalesce(england_population, 0) - coalesce(upper_tier_population, 0) as bigint) as difference,
        format('{} ({}; upper tier = {} E06/E08/E09/E10 rows)', coalesce((
            select string_agg(format('{} sheet ''{}'' row {} E92000001 ENGLAND', source_file, sheet, row_number), '; ')
            from england), 'no England row E92000001'), measure, (select count(*) from upper_tier)) as location
    from measures
)

select * from final
order by measure
