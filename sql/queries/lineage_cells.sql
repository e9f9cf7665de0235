-- lineage_cells: the cells behind the figures of one HWB ($hwb_code), or of every HWB when it is null, in the
-- order `dtoc explain` prints them.
select hwb_code, input, month, value, not_reported, source_file, source_sha256, sheet, cell_ref, revised,
       population_area, lookup_reason, area_name, name_ref, header_text, header_ref
from lineage
where $hwb_code is null or hwb_code = $hwb_code
order by hwb_code, input, month, population_area
