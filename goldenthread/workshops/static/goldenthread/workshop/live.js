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

  // The screen's sign-in has ended (signed out in another tab, or idle too long before it opened): say so at
  // once, with a link that opens the sign-in in a new tab, so whatever is typed on this page stays here.
  var lost = null;
  function signedOut(text, links) {
    if (!lost) {
      lost = document.createElement("p");
      lost.className = "ws-notice ws-signed-out";
      lost.setAttribute("role", "alert");
      lost.setAttribute("data-signed-out", "");
      if (status && status.parentNode) { status.parentNode.insertBefore(lost, status.nextSibling); }
    }
    lost.textContent = text;
    links.forEach(function (l) {
      var link = document.createElement("a");
      link.className = "govuk-link";
      link.href = l[0];
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = l[1];
      lost.appendChild(document.createTextNode(" "));
      lost.appendChild(link);
    });
    say("Not signed in: changes from this screen are not saved.");
  }

  function connect() {
    if (!lost) { say("Connecting to live updates…"); }
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
      // Someone saved this text since it was opened: nothing was changed; say both (the form keeps what was typed).
      if (msg.type === "conflict") { delete pending[msg.ref]; say(msg.message); }
      if (msg.type === "signed_out") { delete pending[msg.ref]; signedOut(msg.message, [[msg.login_url, "Sign in again (opens a new tab)"]]); }
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
    socket.onclose = function (event) {
      if (event && event.code === 4403) {  // refused: this browser is no longer signed in or joined
        signedOut("This screen is no longer signed in to the workshop, so it cannot show or save changes.", [
          ["/accounts/login/?next=" + encodeURIComponent(location.pathname), "Facilitators: sign in again (opens a new tab)."],
          ["/workshops/join/?code=" + encodeURIComponent(code), "Delegates: join again (opens a new tab)."]]);
        return;
      }
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

  // --- Nothing typed is ever lost ------------------------------------------------------------------------------
  // A form is in use while a field in it has focus, holds text that differs from what the page gave it, or shows
  // an error or a conflict. A live update replaces everything around such a form and leaves the form itself alone:
  // the same DOM node, so focus, the caret and what was typed all stay. Forms are matched between the old page and
  // the new one by data-form-key (else by where they post and their hidden fields). When the text saved on the
  // server changed under a kept form (its data-base differs), a line near it says so and shows the new text; the
  // form still carries the version it started from, so saving it shows both and asks which to keep.
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var TYPED = /^(INPUT|TEXTAREA|SELECT)$/, NOT_TYPED = /^(hidden|submit|button|reset|image|checkbox|radio)$/;

  function formKey(form) {
    var key = form.getAttribute("data-form-key");
    if (key) { return key; }
    var parts = [form.getAttribute("action") || "", form.getAttribute("data-op") || ""];
    each(form.querySelectorAll("input[type=hidden]"), function (i) {
      if (!/^(csrfmiddlewaretoken|next|base)$/.test(i.name)) { parts.push(i.name + "=" + i.value); }
    });
    return parts.join("|");
  }

  function fieldChanged(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") {
      var first = -1;
      each(el.options, function (o, i) { if (o.defaultSelected && first < 0) { first = i; } });
      if (el.multiple) { return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; }); }
      return el.selectedIndex !== (first < 0 ? 0 : first);
    }
    if (el.tagName === "TEXTAREA" || el.tagName === "INPUT" && !NOT_TYPED.test(el.type)) { return el.value !== el.defaultValue; }
    return false;
  }

  function inUse(form) {
    var active = document.activeElement;
    return (form.contains(active) && TYPED.test(active.tagName) && !NOT_TYPED.test(active.type)) ||
      Array.prototype.some.call(form.elements, fieldChanged) ||
      !!form.querySelector(".govuk-error-message, .govuk-error-summary, [data-conflict]");
  }

  // The line near a kept form when someone else saved its text meanwhile, with their text.
  function noteChange(kept, fresh) {
    var note = kept.querySelector("[data-changed-note]");
    var before = kept.getAttribute("data-base"), now = fresh.getAttribute("data-base");
    if (!before || !now || before === now) { if (note) { note.remove(); } return; }
    var theirs = [];
    each(fresh.querySelectorAll("input[name], textarea[name]"), function (f) {
      if (NOT_TYPED.test(f.type)) { return; }
      var mine = kept.querySelector('[name="' + f.name + '"]');
      if (!mine || mine.defaultValue !== f.defaultValue) { theirs.push("“" + (f.defaultValue || "nothing") + "”"); }
    });
    if (!note) {
      note = document.createElement("p");
      note.className = "ws-notice ws-changed";
      note.setAttribute("data-changed-note", "");
      note.setAttribute("role", "status");
      kept.insertBefore(note, kept.firstChild);
    }
    note.textContent = "Someone changed this " + (kept.getAttribute("data-form-noun") || "text") +
      " — see their change: " + (theirs.join(", ") || "“nothing”") +
      ". What you wrote is still here; saving it will ask which to keep.";
  }

  function childOn(parent, node) {
    while (node && node.parentNode !== parent) { node = node.parentNode; }
    return node;
  }

  // Make ``live`` match ``fresh`` while keeping the kept forms (pairs of [kept form, its fresh counterpart]) where
  // they are: only what lies around them is replaced, so no kept form ever leaves the page.
  function merge(live, fresh, pairs) {
    each(Array.prototype.slice.call(live.attributes), function (a) {
      if (!fresh.hasAttribute(a.name) && a.name !== "open") { live.removeAttribute(a.name); }
    });
    each(fresh.attributes, function (a) { if (live.getAttribute(a.name) !== a.value) { live.setAttribute(a.name, a.value); } });
    var groups = [], late = [];
    pairs.forEach(function (p) {
      var lc = childOn(live, p[0]), fc = childOn(fresh, p[1]);
      var g = groups.filter(function (x) { return x.fresh === fc || x.live === lc; })[0];
      if (!g) { g = { fresh: fc, live: lc, pairs: [] }; groups.push(g); }
      if (g.fresh === fc && g.live === lc) { g.pairs.push(p); } else { late.push(p); }
    });
    var kept = groups.map(function (g) { return g.live; });
    each(Array.prototype.slice.call(live.childNodes), function (c) { if (kept.indexOf(c) < 0) { live.removeChild(c); } });
    var ref = live.firstChild;
    each(Array.prototype.slice.call(fresh.childNodes), function (fc) {
      var g = groups.filter(function (x) { return x.fresh === fc; })[0], node = g ? g.live : fc;
      if (g && g.live !== g.pairs[0][0]) { merge(g.live, fc, g.pairs); }
      if (node === ref) { ref = ref.nextSibling; } else { live.insertBefore(node, ref); }
    });
    return late;
  }

  function swap(live, fresh) {
    var freshForms = Array.prototype.slice.call(fresh.querySelectorAll("form")), pairs = [], orphans = [];
    each(live.querySelectorAll("form"), function (form) {
      if (!inUse(form)) { return; }
      var key = formKey(form);
      var i = freshForms.map(formKey).indexOf(key);
      if (i < 0) { orphans.push(form); return; }
      noteChange(form, freshForms[i]);
      pairs.push([form, freshForms[i]]);
      freshForms.splice(i, 1);
    });
    merge(live, fresh, pairs).forEach(function (p) {
      if (p[1].isConnected) { p[1].parentNode.replaceChild(p[0], p[1]); } else { orphans.push(p[0]); }
    });
    // A form that is no longer on the page (its stage is over, or what it edits was removed): what was typed
    // stays, at the end, with a line saying so.
    orphans.forEach(function (form) {
      if (!form.querySelector("[data-gone-note]")) {
        var note = document.createElement("p");
        note.className = "ws-notice ws-changed";
        note.setAttribute("data-gone-note", "");
        note.setAttribute("role", "status");
        note.textContent = "This can no longer be saved here: the workshop has moved on, or it was removed. " +
          "What you wrote is kept here so you can copy it.";
        form.insertBefore(note, form.firstChild);
        each(form.querySelectorAll("button[type=submit], button:not([type])"), function (b) { b.disabled = true; });
      }
      live.appendChild(form);
    });
  }

  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    var active = document.activeElement, focusId = active && active.id;
    var caret = active && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    // Keep the place: the page's scroll, the wall's sideways scroll, and any menu that is open.
    var wall = document.querySelector("[data-wall]");
    var wallLeft = wall ? wall.scrollLeft : 0, pageY = window.scrollY;
    var open = Array.prototype.map.call(document.querySelectorAll("[data-live] details[open][id]"),
                                        function (d) { return d.id; });
    // The page's own address (after a form came back with an error or a conflict, not the address it posted to).
    var here = root.getAttribute("data-page") || location.pathname + location.search;
    var started = Date.now();
    fetch(here, { credentials: "same-origin", headers: { "X-Requested-With": "live" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-live]"), freshRoot = doc.getElementById("workshop");
        if (fresh && freshRoot) {
          version = Math.max(version, parseInt(freshRoot.getAttribute("data-version"), 10) || 0);
          root.setAttribute("data-version", version);
          var statusText = lastStatus();
          swap(document.querySelector("[data-live]"), fresh);
          open.forEach(function (id) { var d = document.getElementById(id); if (d) { d.open = true; } });
          var newWall = document.querySelector("[data-wall]");
          if (newWall) { newWall.scrollLeft = wallLeft; }
          window.scrollTo(window.scrollX, pageY);
          if (statusText) { setStatus(statusText); }
          if (active && active !== document.body && document.activeElement !== active) {
            var again_ = active.isConnected ? active : (focusId && document.getElementById(focusId));
            if (again_) {
              again_.focus({ preventScroll: true });
              if (caret && again_ === active) { try { active.setSelectionRange(caret[0], caret[1]); } catch (e) { /* not text */ } }
            }
          }
          tick();
        }
      })
      .finally(function () {
        // More changes came in meanwhile: look again after a pause of at least twice what this look took, so a
        // busy room's screens ask the server for the board less often the busier it is, instead of all at once.
        if (!again) { refreshing = false; return; }
        again = false;
        setTimeout(function () { refreshing = false; refresh(); }, Math.max(250, 2 * (Date.now() - started)));
      });
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
    // In the middle of the screen, so the status line (which sticks to the top) never covers it.
    el.focus({ preventScroll: true });
    if (el.scrollIntoView) { el.scrollIntoView({ block: "center" }); }
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
