-- lineage: one row per HWB and input cell that its figures depend on: each month's delayed days per
-- attribution (from the DToC workbooks) and the population rows (from the MYE workbook, after the
-- geography lookup), with file, sha256, sheet, A1 reference, value, month and revision date; for a delay cell
-- also what proves which cell it is: the row's area name and its cell, the column's header text and its cell,
-- as the workbook prints them.
with hwbs as (
    select hwb_code from hwb_areas
),

delay_cells as (
    select
        raw.ons_code as hwb_code,
        raw.attribution as input,
        raw.month,
        raw.delayed_days as value,
        raw.delayed_days is null as not_reported,
        raw.source_file, raw.source_sha256, raw.sheet, raw.cell_ref, raw.revised,
        null as population_area, null as lookup_reason,
        raw.area_name, raw.name_ref, raw.header_text, raw.header_ref
    from stg_quarter_delays as raw
),

population_areas as (
    select hwb_code, hwb_code as ons_code, null as lookup_reason from hwbs
    union all
    select lookup.hwb_code, lookup.component_code, lookup.reason
    from geography_lookup as lookup
    where lookup.hwb_code in (select hwb_code from hwbs)
      and lookup.component_code not in (select hwb_code from hwbs)
),

population_cells as (
    select
        areas.hwb_code,
        'population_18plus' as input,
        null::date as month,
        population.population_18plus as value,
        false as not_reported,
        population.source_file, population.source_sha256, population.sheet,
        population.cells_summed as cell_ref, null as revised,
        areas.ons_code || ' ' || population.area_name as population_area,
        areas.lookup_reason,
        population.area_name, null as name_ref, null as header_text, null as header_ref
    from population_areas as areas
    join population_raw as population on population.ons_code = areas.ons_code
),

final as (
    select * from delay_cells
    union all by name
    select * from population_cells
)

select * from final order by hwb_code, input, month, population_area
