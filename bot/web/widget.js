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
 * bot_uttered) and keeps the conversation in sessionStorage, so it survives reloads in the tab.
 * Everything the bot or the user wrote is inserted as text, never as HTML.
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
    stylesheet: new URL("widget.css", script.src).href,
    crisisUrl: script.getAttribute("data-crisis-url") || new URL("crisis.json", script.src).href
  };
  var STORE_SESSION = "kap-widget-session";
  var STORE_HISTORY = "kap-widget-history";
  var STORE_OPEN = "kap-widget-open";
  var STORE_CRISIS = "kap-widget-crisis";
  var LINK_SCHEMES = /^(tel:|sms:|https:)/;

  var socket = null;
  var sessionId = sessionStorage.getItem(STORE_SESSION);
  var history = JSON.parse(sessionStorage.getItem(STORE_HISTORY) || "[]");
  var ui = {};
  var crisis = JSON.parse(sessionStorage.getItem(STORE_CRISIS) || "null");

  function loadCrisisResources() {
    if (typeof fetch !== "function") return;
    fetch(settings.crisisUrl, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || typeof data.reply !== "string") return;
        crisis = data;
        sessionStorage.setItem(STORE_CRISIS, JSON.stringify(data));
      })
      .catch(function () { /* keeps what the tab had, if anything */ });
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

  function safeHttpsUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
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
      id: "kap-panel", class: "kap-panel", role: "dialog", "aria-label": settings.title, hidden: ""
    });
    var header = element("header", { class: "kap-header" });
    header.appendChild(element("h2", { class: "kap-title" }, settings.title));
    ui.crisisButton = element("button", { class: "kap-crisis-button", type: "button" }, "In crisis?");
    header.appendChild(ui.crisisButton);
    ui.close = element("button", { class: "kap-close", type: "button", "aria-label": "Close chat" }, "×");
    header.appendChild(ui.close);

    ui.log = element("div", { class: "kap-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
    ui.status = element("p", { class: "kap-status", role: "status", hidden: "" });
    ui.typing = element("p", { class: "kap-typing", hidden: "" }, "The assistant is typing…");

    ui.form = element("form", { class: "kap-form" });
    var label = element("label", { class: "kap-visually-hidden", for: "kap-input" }, "Your question");
    ui.input = element("input", { id: "kap-input", class: "kap-input", type: "text", autocomplete: "off",
      maxlength: "2000", placeholder: "Type your question…" });
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
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") setOpen(false);
    });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text) return;
      ui.input.value = "";
      send(text, text);
    });
  }

  function setOpen(open) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    sessionStorage.setItem(STORE_OPEN, open ? "1" : "");
    if (open) {
      connect();
      ui.input.focus();
    } else {
      ui.launcher.focus();
    }
  }

  function remember(entry) {
    history.push(entry);
    sessionStorage.setItem(STORE_HISTORY, JSON.stringify(history));
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function showUserMessage(text) {
    ui.log.appendChild(element("p", { class: "kap-message kap-user" }, text));
    scrollDown();
  }

  function showQuickReplies(buttons) {
    var group = element("div", { class: "kap-quick-replies", role: "group", "aria-label": "Suggested questions" });
    buttons.forEach(function (button) {
      var choice = element("button", { type: "button", class: "kap-quick-reply" }, button.title);
      choice.addEventListener("click", function () {
        group.remove();
        send(button.payload, button.title);
      });
      group.appendChild(choice);
    });
    ui.log.appendChild(group);
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
    ui.log.appendChild(group);
  }

  function showCitation(payload) {
    var card = element("figure", { class: "kap-quote-card" });
    card.appendChild(element("blockquote", { class: "kap-quote" }, payload.quote));
    var caption = element("figcaption", { class: "kap-citation" });
    caption.appendChild(document.createTextNode("— " + payload.attribution + " "));
    var doi = payload.citation && payload.citation.doi;
    var href = payload.citation && payload.citation.url ? safeHttpsUrl(payload.citation.url) : null;
    if (href && doi) {
      var link = element("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, "Read the study (DOI " + doi + ")");
      caption.appendChild(link);
    }
    card.appendChild(caption);
    ui.log.appendChild(card);
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
    ui.log.appendChild(box);
    return box;
  }

  // The crisis resources from crisis.json, shown in the page (no round trip to the bot).
  function showLocalCrisisResources() {
    if (ui.panel.hidden) setOpen(true);
    var message = { text: crisis ? crisis.reply : crisisFallbackText(), crisis: true, links: crisis ? crisis.links : [] };
    remember({ from: "bot", message: message });
    showCrisisBox(message).scrollIntoView({ block: "start" });
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
      scrollDown();
      return;
    }
    if (message.text && message.crisis) {
      showCrisisBox(message);
    } else if (message.text) {
      ui.log.appendChild(element("p", { class: "kap-message kap-bot" }, message.text));
    }
    var custom = message.custom;
    if (custom && custom.type === "citation" && typeof custom.quote === "string") showCitation(custom);
    if (live && Array.isArray(buttons) && buttons.length) showQuickReplies(buttons);
    scrollDown();
  }

  function replay() {
    history.forEach(function (entry) {
      if (entry.from === "user") showUserMessage(entry.text);
      else showBotMessage(entry.message, false);
    });
  }

  function showStatus(text) {
    ui.status.textContent = text;
    ui.status.hidden = !text;
  }

  function unreachable() {
    ui.typing.hidden = true;
    showStatus("Sorry, the assistant can't be reached right now." +
      (settings.phone ? " Please call " + settings.phone + " to talk to our care team." : "") +
      (crisis && crisis.help_line ? " " + crisis.help_line : ""));
  }

  function connect() {
    if (socket || typeof io !== "function") {
      if (typeof io !== "function") unreachable();
      return;
    }
    socket = io(settings.server, { path: settings.socketPath, transports: ["websocket", "polling"],
      reconnectionAttempts: Infinity, reconnectionDelay: 1000, timeout: 5000 });
    socket.on("connect", function () {
      showStatus("");
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      var isNew = confirmed !== sessionId;
      sessionId = confirmed;
      sessionStorage.setItem(STORE_SESSION, sessionId);
      if (isNew && history.length === 0) emit("/greet");
    });
    socket.on("bot_uttered", function (message) {
      ui.typing.hidden = true;
      remember({ from: "bot", message: message });
      showBotMessage(message, true);
    });
    socket.on("connect_error", unreachable);
    socket.on("disconnect", unreachable);
  }

  function emit(payload) {
    socket.emit("user_uttered", { message: payload, session_id: sessionId });
  }

  function send(payload, shownText) {
    removeFeedbackPrompt();
    remember({ from: "user", text: shownText });
    showUserMessage(shownText);
    if (!socket || !socket.connected || !sessionId) {
      unreachable();
      if (isCrisis(shownText)) showLocalCrisisResources();
      return;
    }
    ui.typing.hidden = false;
    emit(payload);
  }

  loadCrisisResources();
  build();
  replay();
  if (sessionStorage.getItem(STORE_OPEN)) setOpen(true);
})();
