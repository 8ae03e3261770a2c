/* Chat widget of the Efus/DEFUS assistant (our own thin component on socket.io-client).
 *
 * Embedded with one tag:  <script src="…/widget/v1/widget.js" data-server="…" defer></script>
 * `io` comes from socket.io-client, bundled around this file by the web app (assistant/web/widget.py).
 *
 * Accessibility (WCAG 2.1 AA / BITV 2.0): a labelled launcher button with aria-expanded, a
 * non-modal dialog with a heading, the message list as a polite live region (role="log"), a
 * status line for typing and connection, focus moved into the dialog on opening and back to the
 * launcher on closing (also with Escape), visible focus everywhere, German labels throughout.
 * Bot texts are set with textContent; only http(s) addresses become links.
 *
 * Privacy: one short line under the input field, and a „Datenschutz“ disclosure (a button with
 * aria-expanded; Escape closes it again) that expands the full note: what the server stores and
 * for how long (`WIDGET_CONFIG`, written into the bundle by the web app from the server's
 * settings), and „Gespräch löschen“ (with an in-widget confirmation, not window.confirm, which
 * screen readers and some embeds handle badly), which deletes the conversation on the server and
 * here, then starts a fresh session. The conversation keeps most of the panel.
 *
 * Sources: an answer's footer ("Quelle: …") comes as text and, beside it, as structured
 * `sources` (title, url); the widget shows the titles, each linked to its address.
 */
var script = document.currentScript;
var SERVER = (script && script.getAttribute("data-server")) || "";
var ASSET_BASE = script ? script.src : location.href;
var STORE = "efus-defus-assistent:v1";
var REPLY_TIMEOUT_MS = 45000;
// Deleting waits for a reply still being written (the server holds the conversation's lock).
var DELETE_TIMEOUT_MS = 20000;
var CONFIG = (typeof WIDGET_CONFIG === "object" && WIDGET_CONFIG) || {};

var TEXT = {
  launcher: "Fragen zu Efus und DEFUS",
  title: "Digitaler Assistent der Stadt Bochum",
  subtitle: "Fragen zu Efus und DEFUS – jede Antwort mit Quelle",
  close: "Chat schließen",
  log: "Gesprächsverlauf",
  you: "Sie:",
  bot: "Assistent:",
  input: "Ihre Frage",
  send: "Senden",
  privacyStored: "Wir speichern Ihre Nachrichten, um Ihre Fragen zu beantworten und den Assistenten zu verbessern, und löschen sie automatisch ",
  privacyRedacted: "E-Mail-Adressen, Telefonnummern, Konto-, Karten-, Ausweis-, Steuer- und Versicherungsnummern sowie Geburtsdaten entfernen wir vor dem Speichern.",
  privacy: "Bitte geben Sie keine persönlichen Daten wie Namen oder Adressen ein.",
  privacyShort: "Keine persönlichen Daten eingeben.",
  privacyDelete: "Ihr Gespräch können Sie jederzeit selbst löschen:",
  privacyGroup: "Datenschutz",
  deleteButton: "Gespräch löschen",
  confirmQuestion: "Möchten Sie das ganze Gespräch wirklich löschen? Das lässt sich nicht rückgängig machen.",
  confirmYes: "Ja, löschen",
  confirmNo: "Abbrechen",
  deleting: "Das Gespräch wird gelöscht …",
  deleted: "Ihr Gespräch wurde gelöscht. Sie können jederzeit eine neue Frage stellen.",
  deleteOffline: "Das Gespräch konnte nicht gelöscht werden, weil gerade keine Verbindung zum Server besteht. Bitte versuchen Sie es gleich noch einmal.",
  deleteFailed: "Das Gespräch konnte wegen eines technischen Fehlers nicht gelöscht werden. Bitte versuchen Sie es gleich noch einmal.",
  typing: "Der Assistent schreibt …",
  suggestions: "Antwortvorschläge",
  rateGroup: "War diese Antwort hilfreich?",
  rateUp: "Ja, hilfreich",
  rateDown: "Nein, nicht hilfreich",
  rated: "Danke für Ihre Rückmeldung!",
  newTab: " (öffnet in neuem Tab)",
  connecting: "Verbindung wird hergestellt …",
  offline: "Die Verbindung ist unterbrochen. Der Chat verbindet sich automatisch neu …",
  online: "Wieder verbunden.",
  noReply: "Der Assistent antwortet gerade nicht. Bitte versuchen Sie es gleich noch einmal.",
  empty: "Bitte schreiben Sie zuerst Ihre Frage.",
  noServer: "Der Chat ist nicht richtig eingebunden: Es fehlt die Serveradresse (data-server).",
  restarted: "Ihr bisheriges Gespräch konnte nicht fortgesetzt werden. Ab hier beginnt ein neues Gespräch."
};

// When the server really deletes stored conversations (its ASSISTANT_RETENTION_DAYS).
function retentionText(days) {
  if (typeof days !== "number" || !(days >= 1)) { return "nach Ablauf der Aufbewahrungsfrist."; }
  return (days === 1 ? "einen Tag" : days.toLocaleString("de-DE") + " Tage") + " nach Ihrer letzten Nachricht.";
}

function load() {
  try {
    var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
    if (saved && Array.isArray(saved.messages)) { return saved; }
  } catch (ignored) { /* storage off or damaged: start fresh */ }
  return { sessionId: null, messages: [], open: false };
}

var state = load();

function save() {
  try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (ignored) { /* private mode */ }
}

function h(tag, attributes, children) {
  var node = document.createElement(tag);
  Object.keys(attributes || {}).forEach(function (name) {
    var value = attributes[name];
    if (name === "text") { node.textContent = value; }
    else if (name === "class") { node.className = value; }
    else if (value === true) { node.setAttribute(name, ""); }
    else if (value !== false && value !== null && value !== undefined) { node.setAttribute(name, value); }
  });
  (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
  return node;
}

function icon(path) {
  var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  var shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
  shape.setAttribute("d", path);
  svg.appendChild(shape);
  return svg;
}

var ICONS = {
  chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z",
  close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z",
  up: "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3a1.5 1.5 0 0 0-.4-1L13.2 1 7.6 6.6A2 2 0 0 0 7 8v11a2 2 0 0 0 2 2h9a2 2 0 0 0 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z",
  down: "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1l1.1 1.1 5.6-5.6A2 2 0 0 0 17 16V5a2 2 0 0 0-2-2H6a2 2 0 0 0-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z",
  send: "M2 21 23 12 2 3v7l15 2-15 2z",
  trash: "M9 3h6l1 2h4v2H4V5h4l1-2zM6 9h12l-1 12H7L6 9zm4 2v8h1.5v-8H10zm2.5 0v8H14v-8h-1.5z"
};

// -- the widget's DOM, in a shadow root so that the city's styles and ours do not mix ----------

var host = h("div", { "class": "efus-defus-assistent" });
var root = host.attachShadow({ mode: "open" });
var stylesheet = h("link", { rel: "stylesheet", href: new URL("widget.css", ASSET_BASE).href });

var launcher = h("button", { type: "button", "class": "launcher", "aria-expanded": "false", "aria-controls": "efa-panel" },
  [icon(ICONS.chat), h("span", { text: TEXT.launcher })]);
var closeButton = h("button", { type: "button", "class": "close", "aria-label": TEXT.close, title: TEXT.close },
  [icon(ICONS.close)]);
var connection = h("p", { "class": "connection", role: "status" });
var list = h("ol", { "class": "messages" });
var log = h("div", { "class": "log", role: "log", "aria-live": "polite", "aria-label": TEXT.log, tabindex: "0" }, [list]);
var typing = h("p", { "class": "typing", role: "status" });
// Described by the privacy request of the full note, which exists (and is read) also while the
// disclosure is closed; the short line under the field says the same in fewer words.
var input = h("input", { id: "efa-input", type: "text", autocomplete: "off", maxlength: "1000",
  "aria-describedby": "efa-privacy-hint" });
var sendButton = h("button", { type: "submit", "class": "send" }, [icon(ICONS.send), h("span", { text: TEXT.send })]);
var form = h("form", { "class": "composer" }, [
  h("label", { "for": "efa-input", text: TEXT.input }),
  h("div", { "class": "row" }, [input, sendButton])
]);
var deleteButton = h("button", { type: "button", "class": "delete" },
  [icon(ICONS.trash), h("span", { text: TEXT.deleteButton })]);
var confirmYes = h("button", { type: "button", "class": "confirm-yes", text: TEXT.confirmYes });
var confirmNo = h("button", { type: "button", "class": "confirm-no", text: TEXT.confirmNo });
// A group named by its question: moving the focus into it makes a screen reader read the question.
var confirmGroup = h("div", { "class": "confirm", role: "group", "aria-labelledby": "efa-confirm-question", hidden: true }, [
  h("p", { id: "efa-confirm-question", text: TEXT.confirmQuestion }),
  h("div", { "class": "confirm-buttons" }, [confirmYes, confirmNo])
]);
var deleteStatus = h("p", { "class": "delete-status", role: "status" });
// The disclosure: one short line with the toggle is always there; the full note, with
// „Gespräch löschen“, opens below it, so the conversation keeps the room.
var privacyToggle = h("button", { type: "button", id: "efa-privacy-toggle", "class": "privacy-toggle", "aria-expanded": "false",
  "aria-controls": "efa-privacy-details", text: TEXT.privacyGroup });
// Named by its toggle, like an accordion's panel: a screen reader announces "Datenschutz, Gruppe".
var privacyDetails = h("div", { id: "efa-privacy-details", "class": "privacy-details", role: "group",
  "aria-labelledby": "efa-privacy-toggle", hidden: true }, [
  h("p", {}, [
    document.createTextNode(TEXT.privacyStored + retentionText(CONFIG.retentionDays) + " " +
      TEXT.privacyRedacted + " "),
    h("span", { id: "efa-privacy-hint", text: TEXT.privacy }),
    document.createTextNode(" " + TEXT.privacyDelete + " "),
    deleteButton
  ]),
  confirmGroup,
  deleteStatus
]);
var privacy = h("div", { id: "efa-privacy", "class": "privacy" }, [
  h("p", { "class": "privacy-line" }, [h("span", { text: TEXT.privacyShort }), document.createTextNode(" "), privacyToggle]),
  privacyDetails
]);
var panel = h("section", { id: "efa-panel", "class": "panel", role: "dialog", "aria-modal": "false",
  "aria-labelledby": "efa-title", "aria-describedby": "efa-subtitle", hidden: true }, [
  h("header", { "class": "header" }, [
    h("div", {}, [
      h("h2", { id: "efa-title", text: TEXT.title }),
      h("p", { id: "efa-subtitle", text: TEXT.subtitle })
    ]),
    closeButton
  ]),
  connection,
  log,
  typing,
  form,
  privacy
]);
var region = h("aside", { "class": "widget", "aria-label": TEXT.title }, [panel, launcher]);
root.appendChild(stylesheet);
root.appendChild(region);

// -- rendering ---------------------------------------------------------------------------------

var URL_PATTERN = /https?:\/\/[^\s<>"“”„]+/g;

function linkify(line, container) {
  var last = 0;
  line.replace(URL_PATTERN, function (match, offset) {
    var url = match.replace(/[.,;:!?)»“]+$/, "");
    container.appendChild(document.createTextNode(line.slice(last, offset)));
    var link = h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, [
      document.createTextNode(url), h("span", { "class": "visually-hidden", text: TEXT.newTab })
    ]);
    container.appendChild(link);
    last = offset + url.length;
    return match;
  });
  container.appendChild(document.createTextNode(line.slice(last)));
}

// "Quelle: <title>; <title>", each title linked to its address (only http(s) ones), from the
// structured sources the bot sent beside the text; titles are text nodes, addresses attributes.
function renderSources(label, sources, container) {
  container.appendChild(document.createTextNode(label + ": "));
  sources.forEach(function (source, index) {
    if (index) { container.appendChild(document.createTextNode("; ")); }
    if (source.url) {
      container.appendChild(h("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, [
        document.createTextNode(source.title), h("span", { "class": "visually-hidden", text: TEXT.newTab })
      ]));
    } else {
      container.appendChild(document.createTextNode(source.title));
    }
  });
}

function renderText(text, container, sources) {
  String(text || "").split(/\n{2,}/).forEach(function (part) {
    var source = /^(Quelle|Quellen|Stand|Hinweis)\b/.test(part);
    var cited = sources && sources.length ? /^(Quellen?): /.exec(part) : null;
    var p = h("p", { "class": source ? "source" : null });
    part.split("\n").forEach(function (line, index) {
      if (index) { p.appendChild(h("br")); }
      // The footer's first line is the list of sources: titles instead of raw addresses.
      if (cited && index === 0) { renderSources(cited[1], sources, p); } else { linkify(line, p); }
    });
    container.appendChild(p);
  });
}

// The sources of a bot message, as far as they are well-formed: a title, an http(s) address or none.
function cleanSources(raw) {
  if (!Array.isArray(raw)) { return []; }
  return raw.filter(function (source) {
    return source && typeof source.title === "string" && source.title;
  }).map(function (source) {
    var url = typeof source.url === "string" && /^https?:\/\/[^\s<>"]+$/i.test(source.url) ? source.url : null;
    return { title: source.title, url: url };
  });
}

function rateButtons(message, index) {
  var status = h("span", { "class": "rated", text: message.rating ? TEXT.rated : "" });
  function button(value, label, path) {
    var node = h("button", { type: "button", "class": "rate rate-" + value, "aria-label": label, title: label,
      "aria-pressed": message.rating === value ? "true" : "false" }, [icon(path)]);
    node.addEventListener("click", function () { rate(index, value); });
    return node;
  }
  return h("div", { "class": "rating", role: "group", "aria-label": TEXT.rateGroup }, [
    h("span", { "class": "rate-label", "aria-hidden": "true", text: "Hilfreich?" }),
    button("up", TEXT.rateUp, ICONS.up),
    button("down", TEXT.rateDown, ICONS.down),
    status
  ]);
}

function renderMessage(message, index) {
  var mine = message.from === "user";
  var bubble = h("div", { "class": "bubble" });
  renderText(message.text, bubble, cleanSources(message.sources));
  var item = h("li", { "class": "message " + (mine ? "from-user" : "from-bot") + (message.notice ? " notice" : "") }, [
    h("span", { "class": "visually-hidden", text: mine ? TEXT.you : TEXT.bot }),
    bubble
  ]);
  var latest = index === state.messages.length - 1 ||
    state.messages.slice(index + 1).every(function (later) { return later.from === "bot"; });
  if (!mine && message.buttons && message.buttons.length && latest) {
    item.appendChild(h("div", { "class": "suggestions", role: "group", "aria-label": TEXT.suggestions },
      message.buttons.map(function (choice) {
        var node = h("button", { type: "button", "class": "suggestion", text: choice.title });
        node.addEventListener("click", function () { send(choice.payload, choice.title); });
        return node;
      })));
  }
  if (!mine && message.rateable) { item.appendChild(rateButtons(message, index)); }
  return item;
}

function render() {
  list.textContent = "";
  state.messages.forEach(function (message, index) { list.appendChild(renderMessage(message, index)); });
  log.scrollTop = log.scrollHeight;
}

function append(message) {
  state.messages.push(message);
  save();
  if (message.from === "user") {
    // Suggestions of earlier messages go once the citizen has answered (removals are not
    // announced); then only the new item is added, so the live region reads just that.
    Array.prototype.forEach.call(list.querySelectorAll(".suggestions"), function (group) { group.remove(); });
  }
  list.appendChild(renderMessage(message, state.messages.length - 1));
  log.scrollTop = log.scrollHeight;
}

// -- connection --------------------------------------------------------------------------------

var socket = null;
var pendingGreeting = false;
var replyTimer = null;
var everConnected = false;

function setTyping(on) {
  typing.textContent = on ? TEXT.typing : "";
  typing.classList.toggle("on", !!on);
  clearTimeout(replyTimer);
  if (on) {
    replyTimer = setTimeout(function () {
      setTyping(false);
      append({ from: "bot", text: TEXT.noReply, notice: true });
    }, REPLY_TIMEOUT_MS);
  }
}

function connect() {
  if (socket) { return; }
  if (!SERVER) {
    connection.textContent = TEXT.noServer;
    return;
  }
  connection.textContent = TEXT.connecting;
  socket = io(SERVER, {
    path: "/socket.io",
    // Sent with every (re)connection, before anything else: the server binds this socket to the
    // session it issued earlier, or starts a new one if the id is unknown or tampered with.
    auth: function (callback) { callback({ session_id: state.sessionId }); },
    reconnectionDelayMax: 10000
  });
  socket.on("connect", function () {
    connection.textContent = everConnected ? TEXT.online : "";
    if (everConnected) { setTimeout(function () { if (socket.connected) { connection.textContent = ""; } }, 3000); }
    everConnected = true;
    socket.emit("session_request", { session_id: state.sessionId });
  });
  socket.on("session_confirm", function (sessionId) {
    var lost = state.sessionId && sessionId !== state.sessionId;
    state.sessionId = sessionId;
    save();
    if (lost && state.messages.length) {
      // The server did not accept the old session (e.g. its key was changed): say so.
      append({ from: "bot", text: TEXT.restarted, notice: true });
    }
    if (!state.messages.length && !pendingGreeting) { greet(); }
  });
  socket.on("bot_uttered", function (message) {
    if (!message || typeof message.text !== "string") { return; }
    var greeting = pendingGreeting;
    pendingGreeting = false;
    setTyping(false);
    append({
      from: "bot",
      text: message.text,
      sources: cleanSources(message.sources),
      buttons: (message.quick_replies || message.buttons || []).map(function (choice) {
        return { title: String(choice.title || ""), payload: String(choice.payload || "") };
      }),
      rateable: !greeting,
      rating: null
    });
  });
  // The thanks is shown already when the button was pressed; only a refusal (too many ratings
  // in a short time) is said on the status line.
  socket.on("feedback_confirm", function (reply) {
    if (reply && typeof reply.error === "string") { connection.textContent = reply.error; }
  });
  socket.on("disconnect", function (reason) {
    if (reason === "io client disconnect") { return; }
    connection.textContent = TEXT.offline;
  });
  socket.on("connect_error", function () { connection.textContent = TEXT.offline; });
}

function greet() {
  pendingGreeting = true;
  setTyping(true);
  socket.emit("user_uttered", { message: "/greet", metadata: { widget: "opened" } });
}

function send(text, buttonTitle) {
  var shown = buttonTitle || text;
  if (!String(text).trim()) {
    connection.textContent = TEXT.empty;
    input.focus();
    return;
  }
  connection.textContent = connection.textContent === TEXT.empty ? "" : connection.textContent;
  deleteStatus.textContent = "";
  connect();
  if (!socket) { return; }  // misconfigured embed: the status line says so
  append({ from: "user", text: shown });
  setTyping(true);
  var data = { message: text, session_id: state.sessionId };
  if (buttonTitle) { data.metadata = { button_title: buttonTitle }; }
  socket.emit("user_uttered", data);
  // A clicked suggestion disappears with its group: keep the keyboard in the input field.
  input.focus();
}

function rate(index, value) {
  var message = state.messages[index];
  if (!message) { return; }
  message.rating = value;
  save();
  if (socket) { socket.emit("feedback", { text: message.text, rating: value }); }
  var item = list.children[index];
  var group = item && item.querySelector(".rating");
  if (!group) { return; }
  // Updated in place: focus stays on the pressed button, and the thanks is announced.
  Array.prototype.forEach.call(group.querySelectorAll(".rate"), function (button) {
    button.setAttribute("aria-pressed", button.classList.contains("rate-" + value) ? "true" : "false");
  });
  group.querySelector(".rated").textContent = TEXT.rated;
}

// -- deleting the conversation --------------------------------------------------------------------

var deleting = false;

function askToDelete() {
  deleteStatus.textContent = "";
  deleteButton.hidden = true;
  confirmGroup.hidden = false;
  // On the harmless choice: pressing Enter twice by mistake deletes nothing.
  confirmNo.focus();
}

function closeConfirmation(refocus) {
  confirmGroup.hidden = true;
  deleteButton.hidden = false;
  if (refocus) { deleteButton.focus(); }
}

function deleteFailed(text) {
  deleting = false;
  closeConfirmation(true);
  deleteStatus.textContent = text;
}

function forget(sessionId) {
  try { sessionStorage.removeItem(STORE); } catch (ignored) { /* storage off: nothing kept */ }
  pendingGreeting = false;
  setTyping(false);
  state = { sessionId: sessionId, messages: [], open: state.open };
  save();
  render();
}

function deleteConversation() {
  if (deleting) { return; }
  // Not queued while offline (socket.io would send it later, after we said it failed).
  if (!socket || !socket.connected) {
    deleteFailed(TEXT.deleteOffline);
    return;
  }
  deleting = true;
  deleteStatus.textContent = TEXT.deleting;
  socket.timeout(DELETE_TIMEOUT_MS).emit("delete_conversation", {}, function (error, reply) {
    if (error || !reply || reply.deleted !== true || typeof reply.session_id !== "string") {
      deleteFailed(TEXT.deleteFailed);
      return;
    }
    deleting = false;
    forget(reply.session_id);
    closeConfirmation(false);
    deleteStatus.textContent = TEXT.deleted;
    // The confirmation buttons are gone; the next thing to do is to ask a new question.
    input.focus();
  });
}

// -- the privacy disclosure -------------------------------------------------------------------------

function setPrivacyOpen(on) {
  privacyDetails.hidden = !on;
  privacyToggle.setAttribute("aria-expanded", on ? "true" : "false");
}

function closePrivacy() {
  if (deleting) { return; }
  closeConfirmation(false);
  setPrivacyOpen(false);
  privacyToggle.focus();
}

privacyToggle.addEventListener("click", function () {
  if (privacyDetails.hidden) { setPrivacyOpen(true); } else { closePrivacy(); }
});

deleteButton.addEventListener("click", askToDelete);
confirmNo.addEventListener("click", function () { closeConfirmation(true); });
confirmYes.addEventListener("click", deleteConversation);

// -- opening and closing ------------------------------------------------------------------------

function open(moveFocus) {
  panel.hidden = false;
  launcher.setAttribute("aria-expanded", "true");
  region.classList.add("open");
  state.open = true;
  save();
  render();
  connect();
  if (moveFocus) { input.focus(); }
}

function close() {
  panel.hidden = true;
  launcher.setAttribute("aria-expanded", "false");
  region.classList.remove("open");
  state.open = false;
  save();
  launcher.focus();
}

launcher.addEventListener("click", function () {
  if (panel.hidden) { open(true); } else { close(); }
});
closeButton.addEventListener("click", close);
panel.addEventListener("keydown", function (event) {
  if (event.key === "Escape") {
    event.preventDefault();
    // Escape closes the innermost thing open: first the confirmation, as „Abbrechen“ does; then,
    // with the focus in the privacy note, the note (back to its toggle); else the chat.
    if (!confirmGroup.hidden && !deleting) { closeConfirmation(true); }
    else if (!deleting && !privacyDetails.hidden && privacy.contains(root.activeElement)) { closePrivacy(); }
    else { close(); }
  }
});
form.addEventListener("submit", function (event) {
  event.preventDefault();
  var text = input.value;
  input.value = "";
  send(text);
});

function mount() {
  document.body.appendChild(host);
  // After a reload the conversation is still there; focus stays where the page puts it.
  if (state.open) { open(false); }
}

if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
