// source: written for this project; the report's only script, copied into report/assets/ (no network).
// Filters the rows of a table marked "filterable" on the current page as you type.
document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("filter");
  if (!input) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.filterable tbody tr"));
  input.addEventListener("input", function () {
    var query = input.value.toLowerCase();
    rows.forEach(function (row) {
      row.hidden = query !== "" && row.textContent.toLowerCase().indexOf(query) < 0;
    });
  });
});
