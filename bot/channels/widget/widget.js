/*
 * KAP FAQ assistant: chat widget for a clinic's website.
 *
 * Add it with one script tag (after socket.io.min.js, which the set-up installs from npm, and
 * crisis-match.js, the crisis safety net used when the assistant cannot be reached):
 *   <script src="/vendor/socket.io.min.js"></script>
 *   <script src="/crisis-match.js"></script>
 *   <script src="/widget.js" data-server="https://bot.clinic.example" data-title="Ask about KAP"
 *           data-color="#2b6cb0" data-launcher-label="Questions about KAP?" data-lang="en"
 *           data-clinic-phone="+1 555 0100"></script>
 *
 * It talks to Rasa's socket.io channel (session_request / session_confirm, user_uttered /
 * bot_uttered), over websockets or, where they are blocked, long-polling. The conversation is
 * kept in sessionStorage, so it survives reloads in the tab; a duplicated tab starts its own.
 * Everything the bot or the user wrote is inserted as text, never as HTML.
 *
 * No message is ever dropped silently: a message typed while the connection is down is shown
 * as "sending…" and sent, in order, once the session is back; one not sent within
 * data-send-timeout milliseconds (default 30000) is marked "not delivered", with a retry.
 * A website whose origin the bot does not accept (website_origins in clinic.yml) gets a short
 * notice for the patient, one console error for its owner, and no more retries.
 *
 * After an answer the bot asks "Did this answer your question?" with Yes / No buttons whose
 * payloads send its `feedback` intent; the widget shows them as a small prompt that goes away
 * once used, or as soon as the patient writes something else.
 *
 * The crisis resources (the reply, its tel:/sms: links, the help line and the crisis patterns)
 * are fetched once from crisis.json beside this script, which the server fills from clinic.yml
 * and data/safety/: the "In crisis?" button shows them at once, and a crisis message typed while
 * the assistant cannot be reached gets them in the page.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var settings = {
    server: script.getAttribute("data-server") || window.location.origin,
    socketPath: script.getAttribute("data-socket-path") || "/socket.io",
    title: script.getAttribute("data-title") || "Ask about KAP",
    color: script.getAttribute("data-color") || "#2b6cb0",
    launcherLabel: script.getAttribute("data-launcher-label") || "Questions?",
    lang: script.getAttribute("data-lang") || document.documentElement.lang || "en",
    phone: script.getAttribute("data-clinic-phone") || "",
    sendTimeoutMs: Number(script.getAttribute("data-send-timeout")) || 30000,
    stylesheet: new URL("widget.css", script.src).href,
    crisisUrl: script.getAttribute("data-crisis-url") || new URL("crisis.json", script.src).href
  };
  var STORE_SESSION = "kap-widget-session";
  var STORE_HISTORY = "kap-widget-history";
  var STORE_OPEN = "kap-widget-open";
  var STORE_CRISIS = "kap-widget-crisis";
  var STORE_TAB_ALIVE = "kap-widget-tab-alive";
  var LINK_SCHEMES = /^(tel:|sms:|https:)/;
  var DOI = /(https:\/\/doi\.org\/|doi:\s?)(10\.\d{4,9}\/[^\s)\]]*[^\s)\].,;:])/g;
  var FOCUSABLE = "button:not([disabled]), a[href], input:not([disabled]), [tabindex='0']";
  var phoneLayout = window.matchMedia("(max-width: 480px)");

  // sessionStorage that never throws (a browser may block it, or hold data of an older version):
  // the widget, and its "In crisis?" button, must work whatever is stored.
  var store = {
    get: function (key) { try { return sessionStorage.getItem(key); } catch (error) { return null; } },
    set: function (key, value) { try { sessionStorage.setItem(key, value); } catch (error) { /* not kept */ } },
    remove: function (key) { try { sessionStorage.removeItem(key); } catch (error) { /* nothing to remove */ } },
    json: function (key, fallback) {
      try { return JSON.parse(store.get(key)) || fallback; } catch (error) { return fallback; }
    }
  };

  var socket = null;
  var sessionConfirmed = false;
  var connectionLost = false;
  var originRefused = false;
  var sessionId = store.get(STORE_SESSION);
  var history = store.json(STORE_HISTORY, []);
  if (!Array.isArray(history)) history = [];
  var crisis = store.json(STORE_CRISIS, null);
  var tabs = typeof BroadcastChannel === "function" ? new BroadcastChannel("kap-widget-tabs") : null;
  var ui = {};
  var turnStart = null;
  var userNodes = {};

  // A duplicated tab (or a window opened from this one) starts with a copy of this tab's
  // sessionStorage, session id included; Rasa would then send each tab the other's replies. A
  // flag is set while a page of the tab is open and cleared when it goes away (a reload clears it
  // first), so a page that finds it set may be such a copy: it asks the other tabs whether one of
  // them holds its session, and starts its own conversation only if one answers. (A tab the
  // browser discarded, or restored after a crash, also finds the flag set; nobody answers it.)
  function checkForTwin(then) {
    var maybeCopy = store.get(STORE_TAB_ALIVE) && sessionId && tabs && !document.wasDiscarded;
    store.set(STORE_TAB_ALIVE, "1");
    window.addEventListener("pagehide", function () { store.remove(STORE_TAB_ALIVE); });
    window.addEventListener("pageshow", function () { store.set(STORE_TAB_ALIVE, "1"); });
    if (tabs) {
      tabs.addEventListener("message", function (event) {
        if (event.data && sessionId && event.data.asking === sessionId) tabs.postMessage({ holding: sessionId });
      });
    }
    if (!maybeCopy) return then();
    var decided = false;
    function decide(twin) {
      if (decided) return;
      decided = true;
      if (twin) startOwnConversation();
      then();
    }
    tabs.addEventListener("message", function (event) {
      if (event.data && event.data.holding === sessionId) decide(true);
    });
    tabs.postMessage({ asking: sessionId });
    setTimeout(function () { decide(false); }, 300);
  }

  function startOwnConversation() {
    sessionId = null;
    history = [];
    store.remove(STORE_SESSION);
    store.remove(STORE_HISTORY);
  }

  function loadCrisisResources() {
    if (typeof fetch !== "function") return;
    fetch(settings.crisisUrl, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || typeof data.reply !== "string") return;
        crisis = data;
        store.set(STORE_CRISIS, JSON.stringify(data));
        limitLength();
        refreshNotice();  // a notice shown before the resources came now gets the help line
      })
      .catch(function () { /* keeps what the tab had, if anything */ });
  }

  // The clinic's cap on a message's length (clinic.yml, served with the crisis resources).
  function limitLength() {
    if (ui.input && crisis && typeof crisis.max_message_chars === "number") ui.input.maxLength = crisis.max_message_chars;
  }

  function isCrisis(text) {
    if (!crisis || !window.KapCrisis || !Array.isArray(crisis.patterns)) return false;
    if (!crisis.compiled) crisis.compiled = window.KapCrisis.compile(crisis.patterns);
    return window.KapCrisis.matches(crisis.compiled, text);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function externalLink(href, text) {
    return element("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, text);
  }

  // The text, with each DOI ("doi:10..." or "https://doi.org/10...") made a link to doi.org.
  function appendWithDoiLinks(parent, text) {
    var last = 0;
    text.replace(DOI, function (match, prefix, doi, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      parent.appendChild(externalLink("https://doi.org/" + encodeURI(doi), match));
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function build() {
    var link = element("link", { rel: "stylesheet", href: settings.stylesheet });
    document.head.appendChild(link);

    ui.root = element("div", { class: "kap-widget", lang: settings.lang });
    ui.root.style.setProperty("--kap-color", settings.color);

    ui.launcher = element("button", {
      class: "kap-launcher", type: "button", "aria-expanded": "false", "aria-controls": "kap-panel"
    }, settings.launcherLabel);

    ui.panel = element("section", {
      id: "kap-panel", class: "kap-panel", role: "dialog", "aria-labelledby": "kap-title", hidden: ""
    });
    var header = element("div", { class: "kap-header" });
    header.appendChild(element("h2", { id: "kap-title", class: "kap-title" }, settings.title));
    ui.crisisButton = element("button", { class: "kap-crisis-button", type: "button" }, "In crisis?");
    header.appendChild(ui.crisisButton);
    ui.close = element("button", { class: "kap-close", type: "button", "aria-label": "Close chat" }, "×");
    header.appendChild(ui.close);

    ui.log = element("div", { class: "kap-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "0" });
    ui.status = element("p", { class: "kap-status", role: "status", hidden: "" });
    ui.typing = element("p", { class: "kap-typing", hidden: "" }, "The assistant is typing…");

    ui.form = element("form", { class: "kap-form" });
    var label = element("label", { class: "kap-visually-hidden", for: "kap-input" }, "Your question");
    ui.input = element("input", { id: "kap-input", class: "kap-input", type: "text", autocomplete: "off",
      placeholder: "Type your question…" });
    limitLength();
    ui.send = element("button", { class: "kap-send", type: "submit" }, "Send");
    ui.form.appendChild(label);
    ui.form.appendChild(ui.input);
    ui.form.appendChild(ui.send);

    ui.panel.appendChild(header);
    ui.panel.appendChild(ui.log);
    ui.panel.appendChild(ui.typing);
    ui.panel.appendChild(ui.status);
    ui.panel.appendChild(ui.form);
    ui.root.appendChild(ui.panel);
    ui.root.appendChild(ui.launcher);
    document.body.appendChild(ui.root);

    ui.launcher.addEventListener("click", function () { setOpen(ui.panel.hidden); });
    ui.close.addEventListener("click", function () { setOpen(false); });
    ui.crisisButton.addEventListener("click", showLocalCrisisResources);
    // On the document, so that they work wherever the focus fell (a removed button leaves it on
    // the page's body).
    document.addEventListener("keydown", function (event) {
      var inWidget = ui.root.contains(document.activeElement) || document.activeElement === document.body;
      if (event.key === "Escape" && !ui.panel.hidden && (inWidget || isModal())) setOpen(false);
      if (event.key === "Tab" && isModal()) keepFocusInPanel(event);
    });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text) return;
      ui.input.value = "";
      send(text, text);
    });
    phoneLayout.addEventListener("change", updateModal);
    window.addEventListener("offline", goneOffline);
    window.addEventListener("online", backOnline);
  }

  // On a phone the panel covers the whole page: it is then a modal dialog that keeps the focus.
  function isModal() {
    return !ui.panel.hidden && phoneLayout.matches;
  }

  function updateModal() {
    if (isModal()) ui.panel.setAttribute("aria-modal", "true");
    else ui.panel.removeAttribute("aria-modal");
  }

  function keepFocusInPanel(event) {
    var focusable = Array.prototype.filter.call(ui.panel.querySelectorAll(FOCUSABLE), function (node) {
      return node.offsetParent !== null;
    });
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var inside = ui.panel.contains(document.activeElement);
    if (event.shiftKey && (!inside || document.activeElement === first)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
      event.preventDefault();
      first.focus();
    }
  }

  function setOpen(open) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    store.set(STORE_OPEN, open ? "1" : "");
    updateModal();
    if (open) {
      connect();
      scrollToTurn();
      ui.input.focus();
    } else {
      ui.launcher.focus();
    }
  }

  function save() {
    store.set(STORE_HISTORY, JSON.stringify(history, function (key, value) {
      return key === "inFlight" || key === "timer" ? undefined : value;
    }));
  }

  function remember(entry) {
    history.push(entry);
    save();
  }

  // Keeps the start of the current exchange (the patient's question, or the first line of a
  // reply that came on its own) in view, and as much of what follows it as fits.
  function scrollToTurn() {
    if (!turnStart || ui.panel.hidden) return;
    ui.log.scrollTop = turnStart.offsetTop - 8;
  }

  function appendToTurn(node) {
    ui.log.appendChild(node);
    if (!turnStart) turnStart = node;
    scrollToTurn();
    return node;
  }

  // --- The patient's messages: shown at once, sent when the session is up, never dropped ---

  function showUserMessage(entry) {
    var node = element("p", { class: "kap-message kap-user" });
    node.appendChild(element("span", { class: "kap-text" }, entry.text));
    ui.log.appendChild(node);
    userNodes[entry.id] = node;
    showDelivery(entry);
    return node;
  }

  function showDelivery(entry) {
    var node = userNodes[entry.id];
    var old = node && node.querySelector(".kap-delivery");
    if (old) {
      if (old === document.activeElement) ui.input.focus();
      old.remove();
    }
    if (!node || !entry.state || entry.state === "sent") return;
    if (entry.state === "sending") {
      node.appendChild(element("span", { class: "kap-delivery" }, "sending…"));
      return;
    }
    var retry = element("button", { type: "button", class: "kap-delivery kap-retry" }, "Not delivered — tap to retry");
    retry.addEventListener("click", function () {
      queue(entry);
      connect();
      ui.input.focus();
    });
    node.appendChild(retry);
  }

  function setDelivery(entry, state) {
    entry.state = state;
    save();
    showDelivery(entry);
    showPending();
  }

  // How many of the patient's messages are not yet through (queued, or sent and not yet
  // acknowledged at the end of their turn), on the widget's root element.
  function showPending() {
    var pending = history.filter(function (entry) { return entry.inFlight || entry.state === "sending"; });
    ui.root.setAttribute("data-pending", String(pending.length));
  }

  function queue(entry) {
    if (originRefused) {
      setDelivery(entry, "not-delivered");
      return;
    }
    setDelivery(entry, "sending");
    clearTimeout(entry.timer);
    entry.timer = setTimeout(function () {
      if (entry.state !== "sending" || entry.inFlight) return;
      setDelivery(entry, "not-delivered");
      offerCrisisHelp(entry);
    }, settings.sendTimeoutMs);
    flush();
  }

  function cannotReach() {
    return originRefused || connectionLost || typeof io !== "function";
  }

  function canSend() {
    return Boolean(socket && socket.connected && sessionConfirmed && !originRefused);
  }

  // Sends the oldest queued message, and the next once the server has acknowledged it (at the
  // end of its turn): one at a time, as Rasa handles them, so that none waits out its reply
  // timeout behind another. If the connection drops before the acknowledgement, the message is
  // sent again, unless the bot had already replied to it.
  function flush() {
    if (!canSend() || oldestInFlight()) return;
    var next = history.filter(function (entry) { return entry.from === "user" && entry.state === "sending"; })[0];
    if (!next) return;
    next.inFlight = true;
    clearTimeout(next.timer);
    showPending();
    ui.typing.hidden = false;
    socket.emit("user_uttered", { message: next.payload || next.text, session_id: sessionId }, function () {
      markSent(next);
      flush();
    });
  }

  function markSent(entry) {
    entry.inFlight = false;
    clearTimeout(entry.timer);
    setDelivery(entry, "sent");
  }

  function oldestInFlight() {
    return history.filter(function (entry) { return entry.inFlight; })[0];
  }

  function requeueInFlight() {
    history.forEach(function (entry) {
      if (!entry.inFlight) return;
      entry.inFlight = false;
      if (entry.state === "sent") showPending();
      else queue(entry);
    });
  }

  // A crisis message that cannot reach the bot gets the crisis resources from the page, once.
  function offerCrisisHelp(entry) {
    if (entry.crisisShown || !isCrisis(entry.text)) return;
    entry.crisisShown = true;
    save();
    showLocalCrisisResources();
  }

  function offerCrisisHelpForWaiting() {
    history.forEach(function (entry) {
      if (entry.from === "user" && entry.state !== "sent") offerCrisisHelp(entry);
    });
  }

  function send(payload, shownText) {
    removeFeedbackPrompt();
    var entry = { from: "user", text: shownText, payload: payload, id: Date.now().toString(36) + Math.random().toString(36).slice(2) };
    remember(entry);
    turnStart = showUserMessage(entry);
    queue(entry);
    scrollToTurn();
    if (cannotReach()) unreachable();
    if (!canSend()) offerCrisisHelp(entry);
  }

  // --- What the bot sends ---

  function showQuickReplies(buttons) {
    Array.prototype.forEach.call(ui.log.querySelectorAll(".kap-quick-replies"), function (old) { old.remove(); });
    var group = element("div", { class: "kap-quick-replies", role: "group", "aria-label": "Suggested questions" });
    buttons.forEach(function (button) {
      var choice = element("button", { type: "button", class: "kap-quick-reply" }, button.title);
      choice.addEventListener("click", function () {
        group.remove();
        ui.input.focus();
        send(button.payload, button.title);
      });
      group.appendChild(choice);
    });
    appendToTurn(group);
  }

  function isFeedbackPrompt(buttons) {
    return Array.isArray(buttons) && buttons.length > 0 && buttons.every(function (button) {
      return typeof button.payload === "string" && button.payload.indexOf("/feedback") === 0;
    });
  }

  function removeFeedbackPrompt() {
    var old = ui.log.querySelector(".kap-feedback");
    if (old) old.remove();
  }

  function showFeedbackPrompt(question, buttons) {
    removeFeedbackPrompt();
    var group = element("div", { class: "kap-feedback", role: "group", "aria-label": question });
    group.appendChild(element("span", { "aria-hidden": "true" }, question));
    buttons.forEach(function (button) {
      var choice = element("button", { type: "button", class: "kap-feedback-button" }, button.title);
      choice.addEventListener("click", function () {
        send(button.payload, button.title);
        ui.input.focus();
      });
      group.appendChild(choice);
    });
    appendToTurn(group);
  }

  // The quote and its attribution; the DOI, if any, is a link, once.
  function showCitation(payload) {
    var card = element("figure", { class: "kap-quote-card" });
    card.appendChild(element("blockquote", { class: "kap-quote" }, payload.quote));
    var caption = appendWithDoiLinks(element("figcaption", { class: "kap-citation" }), "— " + payload.attribution);
    var citation = payload.citation || {};
    if (citation.doi && !caption.querySelector("a")) {
      caption.appendChild(document.createTextNode(" "));
      appendWithDoiLinks(caption, "doi:" + citation.doi);
    }
    card.appendChild(caption);
    appendToTurn(card);
  }

  function showCrisisBox(message) {
    var box = element("div", { class: "kap-message kap-bot kap-crisis", role: "alert" });
    box.appendChild(element("p", { class: "kap-crisis-text" }, message.text));
    var links = (Array.isArray(message.links) && message.links.length) ? message.links : (crisis && crisis.links) || [];
    var list = element("ul", { class: "kap-crisis-links" });
    links.forEach(function (link) {
      if (typeof link.href !== "string" || !LINK_SCHEMES.test(link.href)) return;
      var attributes = { class: "kap-crisis-link", href: link.href };
      if (link.href.indexOf("https:") === 0) { attributes.target = "_blank"; attributes.rel = "noopener noreferrer"; }
      var item = element("li");
      item.appendChild(element("a", attributes, link.label));
      list.appendChild(item);
    });
    if (list.children.length) box.appendChild(list);
    return box;
  }

  // The crisis resources from crisis.json, shown in the page (no round trip to the bot).
  function showLocalCrisisResources() {
    if (ui.panel.hidden) setOpen(true);
    var message = { text: crisis ? crisis.reply : crisisFallbackText(), crisis: true, links: crisis ? crisis.links : [] };
    remember({ from: "bot", local: true, message: message });
    turnStart = null;
    appendToTurn(showCrisisBox(message));
  }

  function crisisFallbackText() {
    return "If you are in danger, call your local emergency number now." +
      (settings.phone ? " Our care team: " + settings.phone + "." : "");
  }

  function showBotMessage(message, live) {
    var buttons = message.quick_replies || message.buttons;
    if (isFeedbackPrompt(buttons)) {
      // Only for the answer just given: not replayed after a reload.
      if (live) showFeedbackPrompt(message.text || "Did this answer your question?", buttons);
      return;
    }
    if (message.text && message.crisis) {
      appendToTurn(showCrisisBox(message));
    } else if (message.text) {
      appendToTurn(appendWithDoiLinks(element("p", { class: "kap-message kap-bot" }), message.text));
    }
    var custom = message.custom;
    if (custom && custom.type === "citation" && typeof custom.quote === "string") showCitation(custom);
    if (live && Array.isArray(buttons) && buttons.length) showQuickReplies(buttons);
  }

  // After a reload: the conversation as it was, opened at the newest exchange; messages that
  // were still waiting to be sent are queued again.
  function replay() {
    history.forEach(function (entry) {
      if (entry.from === "user") {
        turnStart = showUserMessage(entry);
        if (entry.state === "sending") queue(entry);
      } else {
        if (entry.local) turnStart = null;
        showBotMessage(entry.message, false);
      }
    });
    showPending();
  }

  // --- The connection ---

  function showStatus(text) {
    ui.status.textContent = text;
    ui.status.hidden = !text;
  }

  function helpText() {
    return (settings.phone ? " Please call " + settings.phone + " to talk to our care team." : "") +
      (crisis && crisis.help_line ? " " + crisis.help_line : "");
  }

  function refreshNotice() {
    if (!ui.status || ui.status.hidden) return;
    if (originRefused) showRefusedNotice();
    else unreachable();
  }

  function unreachable() {
    if (originRefused) return;
    ui.typing.hidden = true;
    var waiting = history.some(function (entry) { return entry.state === "sending"; });
    showStatus("Sorry, the assistant can't be reached right now." +
      (waiting ? " Your message will be sent when the connection is back." : "") + helpText());
  }

  function goneOffline() {
    if (socket) socket.disconnect();
  }

  function backOnline() {
    if (!crisis) loadCrisisResources();
    if (socket) connect();
  }

  function connect() {
    if (originRefused) return;
    if (typeof io !== "function") {
      unreachable();
      return;
    }
    if (socket) {
      if (!socket.connected && !socket.active) socket.connect();
      return;
    }
    socket = io(settings.server, { path: settings.socketPath, transports: ["websocket", "polling"],
      tryAllTransports: true, reconnectionDelay: 1000, reconnectionDelayMax: 30000, timeout: 8000 });
    socket.on("connect", function () {
      sessionConfirmed = false;
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      var isNew = confirmed !== sessionId;
      sessionId = confirmed;
      sessionConfirmed = true;
      connectionLost = false;
      store.set(STORE_SESSION, sessionId);
      showStatus("");
      var greeted = history.some(function (entry) { return entry.from === "bot" && !entry.local; });
      if (isNew && !greeted) socket.emit("user_uttered", { message: "/greet", session_id: sessionId });
      flush();
    });
    socket.on("bot_uttered", function (message) {
      ui.typing.hidden = true;
      var answered = oldestInFlight();
      if (answered && answered.state === "sending") setDelivery(answered, "sent");
      remember({ from: "bot", message: message });
      showBotMessage(message, true);
    });
    socket.on("connect_error", function () {
      connectionLost = true;
      unreachable();
      offerCrisisHelpForWaiting();
      checkOrigin();
    });
    socket.on("disconnect", function () {
      sessionConfirmed = false;
      connectionLost = true;
      requeueInFlight();
      unreachable();
      offerCrisisHelpForWaiting();
    });
  }

  // Asked after a failed connection: does the bot accept this website at all? (Its answer,
  // unlike socket.io's refusal, can be read by the page.)
  function checkOrigin() {
    if (typeof fetch !== "function") return;
    fetch(new URL("webhooks/socketio/origin", settings.server.replace(/\/?$/, "/")).href, { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        // Only a refusal of this very page counts (a proxy or a same-site page sends no origin).
        if (answer && answer.accepted === false && answer.origin === window.location.origin) refuseOrigin(answer.origin);
      })
      .catch(function () { /* the server itself cannot be reached: socket.io keeps retrying */ });
  }

  function showRefusedNotice() {
    showStatus("Sorry, the assistant is not available on this website." + helpText());
  }

  function refuseOrigin(origin) {
    if (originRefused) return;
    originRefused = true;
    socket.io.reconnection(false);
    socket.disconnect();
    ui.typing.hidden = true;
    showRefusedNotice();
    console.error("KAP widget: the assistant at " + settings.server + " refuses connections from this website (" +
      origin + "). Add \"" + origin + "\" to website_origins in the assistant's clinic.yml.");
  }

  loadCrisisResources();
  build();
  checkForTwin(function () {
    replay();
    if (store.get(STORE_OPEN)) setOpen(true);
  });
})();
