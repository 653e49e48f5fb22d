// Makes a workshop page live: a websocket tells every screen when something changed, and the page
// fetches its own fresh copy. Without JavaScript every page still works as plain forms.
(function () {
  "use strict";
  var root = document.getElementById("workshop");
  if (!root || !window.WebSocket) { return; }
  var code = root.getAttribute("data-code");
  var status = document.querySelector("[data-live-status]");
  var version = parseInt(root.getAttribute("data-version"), 10) || 0;
  var socket = null, retry = 0, refreshing = false, again = false;

  function say(text) { if (status) { status.textContent = text; } }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/workshops/" + code + "/");
    socket.onopen = function () {
      retry = 0;
      say("Live: changes from everyone appear straight away.");
      socket.send(JSON.stringify({ type: "hello", version: version }));
    };
    socket.onmessage = function (event) {
      var msg = JSON.parse(event.data);
      if ((msg.type === "changed" || msg.type === "state") && msg.stage && msg.stage !== stage) { movedTo(msg.stage); }
      // Updates are coalesced, so versions can jump. A jump means this screen missed changes: ask for the
      // whole state ("sync") and fetch the page; the newest version always arrives last.
      if (msg.type === "changed" && msg.version > version + 1 && msg.op !== "hello") { send({ type: "sync" }); }
      if ((msg.type === "changed" || msg.type === "state") && msg.version > version) { refresh(); }
      // Our own change is done: show it even if the broadcast is slow or was dropped under load.
      if (msg.type === "done") { delete pending[msg.ref]; if (msg.version > version) { refresh(); } }
      if (msg.type === "needs_confirmation" && pending[msg.ref]) {
        // Something named, voted on or actioned would go: ask first, and only then send it again.
        var asked = pending[msg.ref];
        if (window.confirm(msg.summary + "\n\nDo you want to go ahead?")) { asked.confirm = true; send(asked); }
        else { say("Nothing was changed."); }
      }
      if (msg.type === "error") { say("That did not work: " + msg.message); }
    };
    socket.onclose = function () {
      say("Connection lost. Trying again…");
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, retry * 1000);
    };
  }

  // When the facilitator moves everyone on, say so and offer a link. Focus never moves; a delegate who ticked
  // "Take me to each new stage" is taken there.
  var stage = root.getAttribute("data-stage");
  var prompt = document.querySelector("[data-stage-prompt]");
  var follow = document.querySelector("[data-follow-stage]");
  var FOLLOW_KEY = "goldenthread-follow-stage";
  if (follow) {
    document.querySelector("[data-follow-box]").hidden = false;
    try { follow.checked = localStorage.getItem(FOLLOW_KEY) === "yes"; } catch (e) { /* storage off */ }
    follow.addEventListener("change", function () {
      try { localStorage.setItem(FOLLOW_KEY, follow.checked ? "yes" : "no"); } catch (e) { /* storage off */ }
    });
  }

  function movedTo(newStage) {
    stage = newStage;
    root.setAttribute("data-stage", stage);
    var link = document.querySelector('[data-stage-link="' + stage + '"]');
    if (!link || !prompt) { return; }
    if (link.pathname === location.pathname) { prompt.textContent = ""; return; }
    if (follow && follow.checked) { location.assign(link.href); return; }
    prompt.textContent = "The group has moved to: " + link.textContent + " — ";
    var go = document.createElement("a");
    go.href = link.href;
    go.textContent = "go there";
    prompt.appendChild(go);
  }

  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    var focusId = document.activeElement && document.activeElement.id;
    fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "live" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-live]"), freshRoot = doc.getElementById("workshop");
        if (fresh && freshRoot) {
          version = Math.max(version, parseInt(freshRoot.getAttribute("data-version"), 10) || 0);
          root.setAttribute("data-version", version);
          document.querySelector("[data-live]").innerHTML = fresh.innerHTML;
          if (focusId && document.getElementById(focusId)) { document.getElementById(focusId).focus(); }
          tick();
        }
      })
      .finally(function () { refreshing = false; if (again) { again = false; refresh(); } });
  }

  var pending = {}, nextRef = 1;
  function send(message) {
    if (message.type !== "sync" && message.ref === undefined) { message.ref = nextRef++; pending[message.ref] = message; }
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); }
    else { say("Not connected. Use the Move buttons instead."); }
  }

  // Drag and drop: cards onto clusters, cluster headings onto other clusters (to reorder).
  // Every drag has a button alternative on the page ("Move to", "Move up", "Move down").
  document.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest("[data-card]");
    var cluster = e.target.closest && e.target.closest("[data-drag-cluster]");
    if (card) { e.dataTransfer.setData("text/plain", "card:" + card.getAttribute("data-card")); }
    else if (cluster) { e.dataTransfer.setData("text/plain", "cluster:" + cluster.getAttribute("data-drag-cluster")); }
  });
  document.addEventListener("dragover", function (e) {
    if (e.target.closest && e.target.closest("[data-cluster]")) { e.preventDefault(); }
  });
  document.addEventListener("drop", function (e) {
    var target = e.target.closest && e.target.closest("[data-cluster]");
    if (!target) { return; }
    e.preventDefault();
    var data = (e.dataTransfer.getData("text/plain") || "").split(":");
    var clusterId = parseInt(target.getAttribute("data-cluster"), 10);
    if (data[0] === "card") { send({ type: "move_card", card: parseInt(data[1], 10), cluster: clusterId }); }
    if (data[0] === "cluster" && parseInt(data[1], 10) !== clusterId) {
      send({ type: "move_cluster", cluster: parseInt(data[1], 10), position: parseInt(target.getAttribute("data-position"), 10) });
    }
  });

  // Card call keys: N new cluster, 1-9 join that cluster, U undo.
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || /INPUT|SELECT|TEXTAREA/.test(e.target.tagName)) { return; }
    var button = document.querySelector('[data-key="' + e.key.toLowerCase() + '"]');
    if (button) { e.preventDefault(); button.click(); }
  });

  // The facilitator's timer counts down on every screen.
  function tick() {
    var el = document.querySelector("[data-timer]");
    if (!el) { return; }
    var left = Math.round((new Date(el.getAttribute("data-timer")) - new Date()) / 1000);
    el.textContent = left > 0 ? Math.floor(left / 60) + " min " + (left % 60) + " s left" : "Time is up";
  }
  setInterval(tick, 1000);
  tick();
  connect();
}());
