-- monitoring: one row per HWB, month with a workbook and attribution (nhs, social_care, joint, total): the
-- actual average daily delays against the expectation and the glide path. The glide path (table glide_path,
-- made by the one definition in dtoc/report/hwb_content.py) runs in a straight line from the baseline daily
-- in the year's first month to the expected daily in the target month (September 2018) and is the
-- expectation from then on. Before the target month an HWB is judged against the glide path, from it on
-- against the expectation: met when actual <= comparator; not judged (null) where a cell was not reported.
-- distance (actual - expected) and months_missed_to_date (from the glide end month) are null before it.
with actuals as (
    select * from monitoring_actuals
),

months as (
    select month, month_index from monitoring_months
),

glide as (
    select hwb_code, month, attribution, glide_path_daily, on_glide_path from glide_path
),

targets as (
    select hwb_code, hwb_name, 'nhs' as attribution, baseline_nhs_daily as baseline_daily,
           expected_nhs_daily as expected_daily from expectations
    union all
    select hwb_code, hwb_name, 'social_care', baseline_asc_daily, expected_asc_daily from expectations
    union all
    select hwb_code, hwb_name, 'joint', baseline_joint_daily, expected_joint_daily from expectations
    union all
    select hwb_code, hwb_name, 'total', baseline_nhs_daily + baseline_asc_daily + baseline_joint_daily,
           expected_total_daily from expectations
),

glided as (
    select
        actuals.*,
        targets.hwb_name,
        months.month_index,
        targets.baseline_daily,
        targets.expected_daily,
        glide.glide_path_daily,
        case when glide.on_glide_path then 'glide_path' else 'expected' end as comparator
    from actuals
    join targets using (hwb_code, attribution)
    join months using (month)
    join glide using (hwb_code, month, attribution)
),

judged as (
    select *, case when comparator = 'expected' then expected_daily else glide_path_daily end as comparator_daily
    from glided
),

final as (
    select
        hwb_code, hwb_name, month, month_index, attribution,
        actual_delayed_days, cells_not_reported, days_in_month, actual_daily,
        baseline_daily, expected_daily, glide_path_daily, comparator, comparator_daily,
        -- a month with any cell not reported ('-') is not judged: met and distance stay null
        case when cells_not_reported = 0 then actual_daily <= comparator_daily end as met,
        case when comparator = 'expected' and cells_not_reported = 0 then actual_daily - expected_daily end
            as distance,
        case when comparator = 'expected' then count(*) filter (
            where comparator = 'expected' and cells_not_reported = 0 and actual_daily > comparator_daily) over (
            partition by hwb_code, attribution order by month rows unbounded preceding) end as months_missed_to_date
    from judged
)

select * from final
order by hwb_code, month, list_position(['nhs', 'social_care', 'joint', 'total'], attribution)
