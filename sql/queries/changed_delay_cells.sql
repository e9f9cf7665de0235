-- changed_delay_cells: one row per delayed-days cell whose value differs between two runs' databases
-- (attached as old_run and new_run), matched by month, area and attribution; hwb_code is the HWB the area is
-- (in the new run), null for the rows that are no HWB (England, the non-England rows).
select n.month, coalesce(n.ons_code, n.area_name) as area, n.area_name, n.attribution, hwbs.hwb_code,
       o.source_file as old_file, o.sheet as old_sheet, o.cell_ref as old_cell_ref,
       n.source_file as new_file, n.sheet, n.cell_ref,
       o.delayed_days as old_value, n.delayed_days as new_value
from new_run.delayed_days_raw as n
join old_run.delayed_days_raw as o
  on o.month = n.month and o.attribution = n.attribution
 and coalesce(o.ons_code, o.area_name) = coalesce(n.ons_code, n.area_name)
left join new_run.hwb_areas as hwbs on hwbs.hwb_code = n.ons_code
where o.delayed_days is distinct from n.delayed_days
order by n.month, area, n.attribution
