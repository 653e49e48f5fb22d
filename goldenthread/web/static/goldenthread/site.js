// GOV.UK Frontend styles its JavaScript-enhanced components only when the page says so
// (set here, not in an inline script, because the Content-Security-Policy allows none).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

// Move focus to the error summary so screen-reader and keyboard users hear what went wrong first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary], .govuk-error-summary");
  if (summary) { summary.focus(); }
});

// "Print" buttons (no inline onclick: the Content-Security-Policy allows no inline script).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) { window.print(); }
});
