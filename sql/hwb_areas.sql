-- hwb_areas: one row per Health and Wellbeing Board, i.e. per local authority that has a row in the
-- DToC workbooks of the baseline quarter. Its name is the one in the quarter's last month.
with quarter_rows as (
    select month, ons_code, la_code, area_name, region from stg_quarter_delays
),

latest_name as (
    select
        ons_code,
        arg_max(area_name, month) as hwb_name,
        arg_max(la_code, month) as la_code,
        arg_max(region, month) as region,
        count(distinct month) as months_present
    from quarter_rows
    group by ons_code
),

final as (
    select ons_code as hwb_code, hwb_name, la_code, region, months_present
    from latest_name
)

select * from final order by hwb_code
