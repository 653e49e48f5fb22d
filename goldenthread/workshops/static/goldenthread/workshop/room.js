// The room's view of the wall: the projector screen fits what it shows to the screen, and the facilitator's
// board gets an "Overview" (every card on one screen) and scrolls itself while a card is dragged near an edge.
// live.js keeps both pages up to date; this file only re-fits after each refresh. Without JavaScript the
// projector shows the same things (it may scroll) and the board keeps its "Move to…" menus.
(function () {
  "use strict";
  var SMALL = 641;  // below this width (a phone) nothing is fitted: the page scrolls as usual
  var KEY = "goldenthread-wall-overview";

  // Shrink an element's text (everything inside is sized in em) until its content fits inside it, starting
  // from ``largest`` px (else its own size).
  function fit(el, largest) {
    el.style.removeProperty("font-size");
    if (window.innerWidth < SMALL) { return; }
    var size = largest || parseFloat(window.getComputedStyle(el).fontSize) || 16;
    el.style.setProperty("font-size", size + "px");
    for (var i = 0; i < 60 && size > 6; i += 1) {
      if (el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1) { return; }
      size = Math.max(6, size * 0.93);
      el.style.setProperty("font-size", size.toFixed(2) + "px");
    }
  }

  function fitAll() {
    // A part may grow to its data-fit (px on a 1920×1080 screen, in proportion on others) when there is
    // room, and shrinks from there until it fits.
    var scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    Array.prototype.forEach.call(document.querySelectorAll("[data-fit]"), function (el) {
      fit(el, (parseFloat(el.getAttribute("data-fit")) || 0) * scale);
    });
    overview(isOn());
  }

  // The board's overview: the wall fills the screen and its text shrinks until every card is on it.
  function isOn() {
    try { return sessionStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function overview(on) {
    var wall = document.querySelector("[data-wall]");
    var toggle = document.querySelector("[data-overview-toggle]");
    if (!wall || !toggle) { return; }
    toggle.hidden = false;
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    document.documentElement.classList.toggle("ws-overview-on", on);
    if (on) { fit(wall, 15); } else { wall.style.removeProperty("font-size"); }
  }

  document.addEventListener("click", function (e) {
    var toggle = e.target.closest && e.target.closest("[data-overview-toggle]");
    if (!toggle) { return; }
    var on = !isOn();
    try { sessionStorage.setItem(KEY, on ? "on" : "off"); } catch (err) { /* storage off */ }
    overview(on);
    toggle.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && isOn() && document.querySelector("[data-overview-toggle]")) {
      try { sessionStorage.setItem(KEY, "off"); } catch (err) { /* storage off */ }
      overview(false);
    }
  });

  // Dragging a card near the edge of the wall (or of the window) scrolls it, so every column can be reached.
  var EDGE = 70, STEP = 24, pending = false, lastX = 0, lastY = 0;
  function scrollNearEdge() {
    pending = false;
    var wall = document.querySelector("[data-wall]");
    if (!wall || !document.body.classList.contains("ws-dragging")) { return; }
    var box = wall.getBoundingClientRect();
    if (lastY >= box.top && lastY <= box.bottom) {
      if (lastX < box.left + EDGE) { wall.scrollLeft -= STEP; } else if (lastX > box.right - EDGE) { wall.scrollLeft += STEP; }
    }
    if (lastY < EDGE) { window.scrollBy(0, -STEP); } else if (lastY > window.innerHeight - EDGE) { window.scrollBy(0, STEP); }
  }
  document.addEventListener("dragover", function (e) {
    lastX = e.clientX; lastY = e.clientY;
    if (!pending) { pending = true; window.requestAnimationFrame(scrollNearEdge); }
  });

  // live.js swaps in a fresh copy of the page's live part after every change: fit that too.
  var live = document.querySelector("[data-live]");
  if (live && window.MutationObserver) {
    new MutationObserver(function () { window.requestAnimationFrame(fitAll); }).observe(live, { childList: true });
  }
  var resizing = null;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(fitAll, 150); });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fitAll); } else { fitAll(); }
}());
