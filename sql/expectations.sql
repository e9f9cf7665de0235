-- expectations: the published table, one row per HWB, in the column order of the CLI contract: the run's
-- one policy in `banding` (where the bands and the expected figures are computed), with the HWB's name.
-- After the 19 contract columns: band_sensitive, then region (the workbooks' Region column, via hwb_areas).
with banding as (
    select * from banding
),

areas as (
    select hwb_code, hwb_name, region from hwb_areas
),

named as (
    select banding.*, areas.hwb_name, areas.region
    from banding
    join areas using (hwb_code)
),

final as (
    select
        hwb_code, hwb_name, population_18plus, population_vintage,
        baseline_nhs_daily, baseline_asc_daily, baseline_joint_daily,
        baseline_nhs_rate, baseline_asc_rate, baseline_joint_rate,
        nhs_band, asc_band,
        expected_nhs_rate, expected_asc_rate, expected_joint_rate,
        expected_nhs_daily, expected_asc_daily, expected_joint_daily,
        expected_total_daily,
        nullif(concat_ws('; ',
            case when nhs_distance_to_threshold < $sensitivity_margin then 'nhs' end,
            case when asc_distance_to_threshold < $sensitivity_margin then 'asc' end), '') as band_sensitive,
        region
    from named
)

select * from final order by hwb_code
