/* report.html: search, filter and sort the table of every HWB (a header's data-column is the index of the column
   it heads). Nothing is fetched; without the script the whole table is shown. The address's fragment can preset
   the view: #q=shrop&region=London&band=asc:maintain&sort=expected_total_daily&dir=desc (whatif.js reads the
   what-if's keys of the same fragment). */
(function () {
  "use strict";
  var table = document.getElementById("hwbs");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.querySelectorAll("th[data-key]"));
  var search = document.getElementById("search");
  var region = document.getElementById("region");
  var band = document.getElementById("band");
  var shown = document.getElementById("shown");

  function value(row, column) {
    var cell = row.cells[column];
    var sort = cell.getAttribute("data-sort");
    if (sort === null) { sort = cell.getAttribute("data-value"); }
    if (sort === null) { return cell.textContent.trim().toLowerCase(); }
    var number = parseFloat(sort);
    return isNaN(number) ? sort : number;
  }

  function filter() {
    var query = search.value.trim().toLowerCase();
    var wanted = band.value.split(":");
    var count = 0;
    rows.forEach(function (row) {
      var match = (!query || row.getAttribute("data-search").indexOf(query) >= 0) &&
        (!region.value || row.getAttribute("data-region") === region.value) &&
        (!band.value || row.getAttribute("data-" + wanted[0]) === wanted[1]);
      row.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " HWBs shown";
  }

  function sortBy(header, descending) {
    var column = Number(header.getAttribute("data-column"));
    var direction = descending ? -1 : 1;
    rows.sort(function (a, b) {
      var x = value(a, column), y = value(b, column);
      return (x < y ? -1 : x > y ? 1 : 0) * direction;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  headers.forEach(function (header) {
    header.tabIndex = 0;
    header.title = "Sort by this column";
    var toggle = function () { sortBy(header, header.getAttribute("aria-sort") === "ascending"); };
    header.addEventListener("click", toggle);
    header.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
    });
  });
  [search, region, band].forEach(function (control) {
    control.addEventListener("input", filter);
    control.addEventListener("change", filter);
  });

  var preset = new URLSearchParams(window.location.hash.slice(1));
  search.value = preset.get("q") || "";
  region.value = preset.get("region") || "";
  band.value = preset.get("band") || "";
  var key = preset.get("sort");
  headers.forEach(function (header) {
    if (header.getAttribute("data-key") === key) { sortBy(header, preset.get("dir") === "desc"); }
  });
  document.getElementById("controls").hidden = false;
  filter();
}());
