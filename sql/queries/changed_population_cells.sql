-- changed_population_cells: one row per area whose population aged 18+ differs between two runs' databases
-- (attached as old_run and new_run).
select n.ons_code as area, n.area_name, o.source_file as old_file, n.source_file as new_file, n.sheet,
       o.cells_summed as old_cell_ref, n.cells_summed as cell_ref, o.population_18plus as old_value, n.population_18plus as new_value
from new_run.population_raw as n
join old_run.population_raw as o using (ons_code)
where o.population_18plus is distinct from n.population_18plus
order by area
