-- The Annex 3 rule, written once, as macros every model of a band runs through (sql/banding.sql, and so the
-- sweep's views): which band a baseline rate falls in, the expected rate and daily delays that band sets, and how
-- near the rate lies to a threshold. The bands are dtoc/vocabulary.py's BAND_LIST, in its order:
--   rate <  target           -> maintain          (expected rate = baseline rate)
--   target <= rate <= upper  -> reduce_to_target  (expected rate = target)
--   rate >  upper            -> reduce_by_cap     (expected rate = rate x (1 - cap))
-- Where the band keeps the baseline, the baseline daily figure is carried over as it is (no rounding creeps in).
create or replace temp macro annex3_band(rate, target_rate, upper_rate) as
    case
        when rate < target_rate then 'maintain'
        when rate <= upper_rate then 'reduce_to_target'
        else 'reduce_by_cap'
    end;

create or replace temp macro annex3_expected_rate(band, rate, target_rate, reduction_cap) as
    case band
        when 'maintain' then rate
        when 'reduce_to_target' then target_rate::double
        else rate * (1 - reduction_cap::double)
    end;

create or replace temp macro annex3_expected_daily(band, baseline_daily, expected_rate, population) as
    case when band = 'maintain' then baseline_daily else expected_rate * population / 100000 end;

create or replace temp macro distance_to_threshold(rate, target_rate, upper_rate) as
    least(abs(rate - target_rate), abs(rate - upper_rate));
