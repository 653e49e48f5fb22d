// The batch progress page reloads itself while the run is going (no inline scripts: the CSP forbids them).
(function () {
  var el = document.querySelector("[data-refresh-seconds]");
  if (!el) { return; }
  var seconds = parseInt(el.getAttribute("data-refresh-seconds"), 10) || 5;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
