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
      if (msg.type === "error") { delete pending[msg.ref]; say("That did not work: " + msg.message); }
      // Our own change is done: say what moved, and show it even if the broadcast is slow or was dropped.
      if (msg.type === "done") {
        var done = pending[msg.ref];
        delete pending[msg.ref];
        if (done && done.then) { moved(done.then); }
        if (msg.version > version) { refresh(); }
      }
      if (msg.type === "needs_confirmation" && pending[msg.ref]) {
        // Something named, voted on or actioned would go: ask first, and only then send it again.
        var asked = pending[msg.ref];
        delete pending[msg.ref];
        if (window.confirm(msg.summary + "\n\nDo you want to go ahead?")) {
          asked.message.confirm = true;
          send(asked.message, asked.then);
        } else { say("Nothing was changed."); }
      }
      // The consumer tells every screen how many people are looking whenever someone joins or leaves.
      if (msg.type === "presence" && typeof msg.count === "number") { presence(msg.count); }
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
    // Keep the place: the page's scroll, the wall's sideways scroll, and any menu that is open.
    var wall = document.querySelector("[data-wall]");
    var wallLeft = wall ? wall.scrollLeft : 0, pageY = window.scrollY;
    var open = Array.prototype.map.call(document.querySelectorAll("[data-live] details[open][id]"),
                                        function (d) { return d.id; });
    fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "live" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-live]"), freshRoot = doc.getElementById("workshop");
        if (fresh && freshRoot) {
          version = Math.max(version, parseInt(freshRoot.getAttribute("data-version"), 10) || 0);
          root.setAttribute("data-version", version);
          var statusText = lastStatus();
          document.querySelector("[data-live]").innerHTML = fresh.innerHTML;
          open.forEach(function (id) { var d = document.getElementById(id); if (d) { d.open = true; } });
          var newWall = document.querySelector("[data-wall]");
          if (newWall) { newWall.scrollLeft = wallLeft; }
          window.scrollTo(window.scrollX, pageY);
          if (statusText) { setStatus(statusText); }
          if (focusId && document.getElementById(focusId)) { document.getElementById(focusId).focus({ preventScroll: true }); }
          tick();
        }
      })
      .finally(function () { refreshing = false; if (again) { again = false; refresh(); } });
  }

  var pending = {}, refs = 0, shownStatus = "";

  // Every change carries a reference, so its answer ("done", "needs_confirmation", "error") finds it again.
  function send(message, then) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      if (message.type !== "sync") { refs += 1; message.ref = "r" + refs; pending[message.ref] = { message: message, then: then }; }
      socket.send(JSON.stringify(message));
    } else { say("Not connected. Use the “Move to…” menus instead."); }
  }

  // The status line on the board says what moved (role=status, so screen readers hear it).
  function setStatus(text) {
    var el = document.querySelector("[data-move-status]");
    shownStatus = text;
    if (el) { el.textContent = text; }
  }
  function lastStatus() { return shownStatus; }
  function moved(text) { setStatus(text); }

  // Polite and not chatty: the line (an aria-live="polite" region) changes only when the count does, and a
  // burst of joins and leaves (a room arriving, a phone reconnecting) is said once, when it settles.
  var presenceShown = null, presenceTimer = null;
  function presence(count) {
    var el = document.querySelector("[data-presence]");
    if (!el) { return; }
    clearTimeout(presenceTimer);
    presenceTimer = setTimeout(function () {
      if (count === presenceShown) { return; }
      presenceShown = count;
      el.hidden = false;
      el.textContent = count === 1 ? "1 person is looking at this workshop" : count + " people are looking at this workshop";
    }, presenceShown === null ? 0 : 2000);
  }

  function titleOf(clusterEl) {
    var h = clusterEl.querySelector(".ws-col__title");
    return h ? h.textContent.trim() : "another cluster";
  }

  // After a "Move to…" form the page comes back at the moved card (#card-N): put focus on it so the
  // keyboard carries on from there, and say again what moved so it is announced.
  function focusFromHash() {
    var m = /^#(card|cluster)-\d+$/.exec(location.hash);
    var el = m && document.getElementById(location.hash.slice(1));
    if (!el) { return; }
    if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
    el.focus();
    var status = document.querySelector("[data-move-status]");
    if (status && status.textContent) {
      var text = status.textContent;
      status.textContent = "";
      setTimeout(function () { setStatus(text); }, 100);
    }
  }

  // Drag and drop: cards onto clusters, cluster headings onto other clusters (to reorder).
  // Every drag has a button alternative on the page ("Move to", "Move up", "Move down").
  var dragged = null, over = null;
  function clearTarget() { if (over) { over.classList.remove("ws-col--target"); over = null; } }
  document.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest("[data-card]");
    var cluster = e.target.closest && e.target.closest("[data-drag-cluster]");
    if (card) {
      e.dataTransfer.setData("text/plain", "card:" + card.getAttribute("data-card"));
      dragged = "Card " + (card.getAttribute("data-code") || "");
    } else if (cluster) {
      e.dataTransfer.setData("text/plain", "cluster:" + cluster.getAttribute("data-drag-cluster"));
      dragged = "“" + cluster.textContent.trim() + "”";
    } else { return; }
    e.dataTransfer.effectAllowed = "move";
    document.body.classList.add("ws-dragging");
  });
  document.addEventListener("dragend", function () { document.body.classList.remove("ws-dragging"); clearTarget(); });
  document.addEventListener("dragover", function (e) {
    var target = e.target.closest && e.target.closest("[data-cluster]");
    if (!target) { clearTarget(); return; }
    e.preventDefault();
    if (target !== over) { clearTarget(); over = target; over.classList.add("ws-col--target"); }
  });
  document.addEventListener("drop", function (e) {
    var target = e.target.closest && e.target.closest("[data-cluster]");
    document.body.classList.remove("ws-dragging");
    clearTarget();
    if (!target) { return; }
    e.preventDefault();
    var data = (e.dataTransfer.getData("text/plain") || "").split(":");
    var clusterId = parseInt(target.getAttribute("data-cluster"), 10);
    var what = dragged || "The card", where = titleOf(target);
    if (data[0] === "card") {
      send({ type: "move_card", card: parseInt(data[1], 10), cluster: clusterId },
           what + " is now in “" + where + "”.");
    }
    if (data[0] === "cluster" && parseInt(data[1], 10) !== clusterId) {
      send({ type: "move_cluster", cluster: parseInt(data[1], 10), position: parseInt(target.getAttribute("data-position"), 10) },
           what + " has moved to where “" + where + "” was.");
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
  focusFromHash();
  connect();
}());
