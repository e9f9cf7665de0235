-- population_raw: one row per ONS area of the mid-year estimates workbook, as loaded in population_raw,
-- with the fractional parts of the counts and the row's location for messages.
with population as (
    select * from population_raw
),

final as (
    select
        *,
        population_18plus - floor(population_18plus) as population_18plus_fraction,
        population_all_ages - floor(population_all_ages) as population_all_ages_fraction,
        format('{} sheet ''{}'' row {} ({} {})', coalesce(source_file, '?'), coalesce(sheet, '?'),
               coalesce(cast(row_number as varchar), '?'), coalesce(ons_code, 'no code'),
               coalesce(area_name, '?')) as location
    from population
)

select * from final
order by row_number, ons_code
