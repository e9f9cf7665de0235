/* report.html's what-if: Annex 3's six numbers as inputs. Changing one recomputes, in this page and offline,
   England's expected daily delays, the HWBs per band and every HWB's row of the table of every HWB.

   THE RULE BELOW IS A SECOND COPY of sql/macros/band_rule.sql (annex3_band, annex3_expected_rate,
   annex3_expected_daily, distance_to_threshold) and of sql/banding.sql's total (NHS + social care + joint, in
   that order); the rate's decimals copy dtoc/report/display.py's `rate`, the checks on the numbers
   dtoc/config.py's BandPolicy.check. A change to one is a change to the other: tests/report/test_pages_in_browser.py compares this
   copy with `dtoc scenarios` for random policies, figure by figure, to 1e-9.

   The numbers can come from the address, so a what-if can be shared as a link:
   report.html#nhs_cap=0.25&asc_upper=4.0 (keys nhs_target, nhs_upper, nhs_cap, asc_target, asc_upper, asc_cap; a
   key left out keeps Annex 3's number). The fragment's other keys (the table's q, region, band, sort) are kept.
   Every figure shown carries its full-precision value in data-value. Nothing is fetched. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("whatif-data").textContent);
  var problem = document.getElementById("whatif-problem");
  var inputs = {};
  var rows = {};
  data.inputs.forEach(function (input) { inputs[input.key] = document.getElementById("whatif-" + input.key); });
  Array.prototype.forEach.call(document.querySelectorAll("#hwbs tbody tr"), function (row) { rows[row.id] = row; });

  // ---- sql/macros/band_rule.sql, copied ----
  function annex3Band(rate, target, upper) {
    return rate < target ? "maintain" : (rate <= upper ? "reduce_to_target" : "reduce_by_cap");
  }
  function annex3ExpectedRate(band, rate, target, cap) {
    return band === "maintain" ? rate : (band === "reduce_to_target" ? target : rate * (1 - cap));
  }
  function annex3ExpectedDaily(band, baselineDaily, expectedRate, population) {
    return band === "maintain" ? baselineDaily : expectedRate * population / 100000;
  }
  function distanceToThreshold(rate, target, upper) {
    return Math.min(Math.abs(rate - target), Math.abs(rate - upper));
  }
  // ---- end of the copy ----

  // An exact sum, correctly rounded (CPython's math.fsum: Shewchuk's partials), so the order of the HWBs cannot
  // change a national figure.
  function fsum(values) {
    var partials = [];
    values.forEach(function (x) {
      var kept = 0;
      for (var j = 0; j < partials.length; j += 1) {
        var y = partials[j];
        if (Math.abs(x) < Math.abs(y)) { var swap = x; x = y; y = swap; }
        var high = x + y, low = y - (high - x);
        if (low !== 0) { partials[kept] = low; kept += 1; }
        x = high;
      }
      partials.length = kept;
      partials.push(x);
    });
    var n = partials.length, hi = 0, lo = 0;
    if (n > 0) {
      n -= 1;
      hi = partials[n];
      while (n > 0) {
        var before = hi;
        n -= 1;
        hi = before + partials[n];
        lo = partials[n] - (hi - before);
        if (lo !== 0) { break; }
      }
      if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
        var twice = lo * 2, next = hi + twice;
        if (twice === next - hi) { hi = next; }
      }
    }
    return hi;
  }

  function policyFrom(source) {
    var policy = {}, wrong = [];
    data.inputs.forEach(function (input) {
      var text = source(input.key);
      var value = text === null || String(text).trim() === "" ? input.value : Number(text);
      if (!isFinite(value)) { wrong.push(input.label + " must be a number, got '" + text + "'"); }
      policy[input.key] = value;
    });
    data.banded.forEach(function (part) {  // dtoc/config.py BandPolicy.check
      var target = policy[part.short + "_target"], upper = policy[part.short + "_upper"];
      var cap = policy[part.short + "_cap"];
      if (!(target >= 0 && target <= upper)) { wrong.push(part.label + ": 0 <= target <= upper threshold must hold"); }
      if (!(cap >= 0 && cap < 1)) { wrong.push(part.label + ": the cap must be from 0 to below 1 (0.3 for 30%)"); }
    });
    return {policy: policy, wrong: wrong};
  }

  function computeHwb(hwb, policy, counts) {
    var result = {code: hwb.code, parts: {}, sensitive: [], total: 0};
    data.banded.forEach(function (part) {
      var baseline = hwb[part.short], target = policy[part.short + "_target"];
      var upper = policy[part.short + "_upper"], cap = policy[part.short + "_cap"];
      var band = annex3Band(baseline[1], target, upper);
      var rate = annex3ExpectedRate(band, baseline[1], target, cap);
      result.parts[part.short] = {band: band, rate: rate, daily: annex3ExpectedDaily(band, baseline[0], rate, hwb.population)};
      if (distanceToThreshold(baseline[1], target, upper) < data.margin) { result.sensitive.push(part.short); }
      counts[part.short][band] += 1;
    });
    data.held.forEach(function (part) { result.parts[part.short] = {rate: hwb[part.short][1], daily: hwb[part.short][0]}; });
    data.order.forEach(function (short, index) {
      result.total = index === 0 ? result.parts[short].daily : result.total + result.parts[short].daily;
    });
    return result;
  }

  function compute(policy) {
    var counts = {};
    data.banded.forEach(function (part) {
      counts[part.short] = {};
      data.bands.forEach(function (band) { counts[part.short][band.key] = 0; });
    });
    var hwbs = data.hwbs.map(function (hwb) { return computeHwb(hwb, policy, counts); });
    var national = {total: fsum(hwbs.map(function (h) { return h.total; }))};
    data.order.forEach(function (short) {
      national[short] = fsum(hwbs.map(function (h) { return h.parts[short].daily; }));
    });
    return {hwbs: hwbs, national: national, counts: counts};
  }

  // ---- display: dtoc/report/display.py's daily and rate, copied ----
  function daily(value) {
    return value.toLocaleString("en-GB", {minimumFractionDigits: 1, maximumFractionDigits: 1});
  }
  function rate(value, thresholds) {
    var decimals = 2;
    thresholds.forEach(function (threshold) {
      var distance = Math.abs(value - threshold);
      if (distance > 0 && distance < data.margin) {
        decimals = Math.max(decimals, Math.min(8, 1 - Math.floor(Math.log10(distance))));
      }
    });
    return value.toLocaleString("en-GB", {minimumFractionDigits: decimals, maximumFractionDigits: decimals});
  }

  function put(element, text, value) {
    element.textContent = text;
    element.setAttribute("data-value", String(value));
    if (element.hasAttribute("data-sort")) { element.setAttribute("data-sort", String(value)); }
  }

  function showRow(result, policy) {
    var row = rows[result.code];
    if (!row) { return; }
    data.banded.forEach(function (part) {
      var shown = result.parts[part.short], thresholds = [policy[part.short + "_target"], policy[part.short + "_upper"]];
      var band = data.bands.filter(function (b) { return b.key === shown.band; })[0];
      var cell = row.querySelector('[data-key="' + part.short + '_band"]');
      cell.firstChild.textContent = band.short;
      cell.firstChild.title = band.label;
      cell.setAttribute("data-sort", String(band.index));
      cell.setAttribute("data-value", shown.band);
      row.setAttribute("data-" + part.short, shown.band);
      put(row.querySelector('[data-key="expected_' + part.short + '_rate"]'), rate(shown.rate, thresholds), shown.rate);
      put(row.querySelector('[data-key="expected_' + part.short + '_daily"]'), daily(shown.daily), shown.daily);
    });
    put(row.querySelector('[data-key="expected_total_daily"]'), daily(result.total), result.total);
    var flag = row.querySelector(".flag");
    flag.hidden = result.sensitive.length === 0;
    flag.title = "baseline rate near a band threshold: " + result.sensitive.join("; ");
  }

  function show(result, policy) {
    result.hwbs.forEach(function (hwb) { showRow(hwb, policy); });
    data.order.forEach(function (short) {
      put(document.getElementById("whatif-" + short), daily(result.national[short]), result.national[short]);
    });
    put(document.getElementById("whatif-total"), daily(result.national.total), result.national.total);
    var gap = document.getElementById("whatif-ambition");
    if (gap && data.ambition !== null) {
      var difference = result.national.total - data.ambition;
      put(gap, daily(Math.abs(difference)) + (difference <= 0 ? " below" : " above"), difference);
    }
    data.banded.forEach(function (part) {
      data.bands.forEach(function (band) {
        var count = result.counts[part.short][band.key];
        put(document.getElementById("whatif-" + part.short + "-" + band.key), String(count), count);
      });
    });
  }

  function fragment() { return new URLSearchParams(window.location.hash.slice(1)); }

  function apply(source) {
    var read = policyFrom(source);
    problem.textContent = read.wrong.join("; ");
    if (read.wrong.length) { return; }
    show(compute(read.policy), read.policy);
    var band = document.getElementById("band");  // report.js's band filter: the rows' bands may have changed
    if (band && band.value) { band.dispatchEvent(new Event("change")); }
  }

  function fromInputs() {
    var params = fragment();
    data.inputs.forEach(function (input) {
      var value = inputs[input.key].value.trim();
      if (value === "" || Number(value) === input.value) { params.delete(input.key); } else { params.set(input.key, value); }
    });
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    document.getElementById("whatif-link").href = "#" + hash;
    apply(function (key) { return inputs[key].value; });
  }

  // the numbers the address asks for (Annex 3's for a key it leaves out); on opening the page, only if it asks
  function fromAddress(opening) {
    var params = fragment();
    var asked = data.inputs.some(function (input) { return params.has(input.key); });
    data.inputs.forEach(function (input) { inputs[input.key].value = params.get(input.key) || String(input.value); });
    document.getElementById("whatif-link").href = "#" + params.toString();
    if (asked || !opening) { apply(function (key) { return params.get(key); }); }
  }

  data.inputs.forEach(function (input) { inputs[input.key].addEventListener("input", fromInputs); });
  document.getElementById("whatif-reset").addEventListener("click", function () {
    data.inputs.forEach(function (input) { inputs[input.key].value = String(input.value); });
    fromInputs();
  });
  window.addEventListener("hashchange", function () { fromAddress(false); });
  document.getElementById("whatif").hidden = false;
  fromAddress(true);
}());
