-- published_rows: the published expectations of one HWB ($hwb_code), or of every HWB when it is null.
select * from expectations
where $hwb_code is null or hwb_code = $hwb_code
order by hwb_code
