-- changed_population_cells: one row per area whose population aged 18+ differs between two runs' databases
-- (attached as old_run and new_run); hwb_code is the HWB whose population the area is, or is part of (the Isles
-- of Scilly, Cornwall's), in the new run; null for the areas that are no HWB (districts, regions, nations).
-- The parts of each HWB are restated from new_run's hwb_areas and geography_lookup (the rule of hwb_population.sql)
-- rather than read from a model, so that a publication made by an earlier version, which has only those tables,
-- can still be compared.
with hwb_parts as (
    select hwb_code as ons_code, hwb_code from new_run.hwb_areas
    union all
    select component_code, hwb_code from new_run.geography_lookup
    where hwb_code in (select hwb_code from new_run.hwb_areas)
      and component_code not in (select hwb_code from new_run.hwb_areas)
),

final as (
    select n.ons_code as area, n.area_name, parts.hwb_code,
           o.source_file as old_file, o.sheet as old_sheet, o.cells_summed as old_cell_ref,
           n.source_file as new_file, n.sheet, n.cells_summed as cell_ref,
           o.population_18plus as old_value, n.population_18plus as new_value
    from new_run.population_raw as n
    join old_run.population_raw as o using (ons_code)
    left join hwb_parts as parts on parts.ons_code = n.ons_code
    where o.population_18plus is distinct from n.population_18plus
)

select * from final order by area
