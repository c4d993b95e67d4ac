// Sortable tables: a heading's button (data-sort-column) orders the rows by the cells'
// data-sort-value, as numbers; rows without a value go last. Clicking again reverses.
// Delegated, so tables swapped in later (the compare summary arrives over the socket) sort too.
(function () {
  "use strict";

  function valueOf(row, column) {
    var cell = row.children[column];
    var value = cell ? parseFloat(cell.dataset.sortValue) : NaN;
    return isNaN(value) ? null : value;
  }

  function sortBy(button) {
    var heading = button.closest("th");
    var table = button.closest("table");
    var body = table && table.tBodies[0];
    if (!heading || !body) return;
    var column = parseInt(button.dataset.sortColumn, 10);
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = valueOf(a, column), y = valueOf(b, column);
      if (x === null || y === null) return (x === null) - (y === null);
      return ascending ? x - y : y - x;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th[aria-sort]").forEach(function (th) {
      th.removeAttribute("aria-sort");
    });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-sort-column]");
    if (button) sortBy(button);
  });
})();
