/* Agent console: knowledge search, bot preview and handed-off conversations.
 * Talks only to this web app's JSON API with the agent's access key as bearer token; the key is
 * kept in sessionStorage, so it is gone when the tab is closed. All text is set with
 * textContent: nothing from the API is ever parsed as HTML. */
(function () {
  "use strict";

  var KEY = "auskunftskonsole:token";
  var API = "/api/v1";
  var $ = function (id) { return document.getElementById(id); };

  function token() { return sessionStorage.getItem(KEY) || ""; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function setStatus(text) { $("status").textContent = text || ""; }

  function api(path, options) {
    options = options || {};
    var headers = { "Authorization": "Bearer " + token(), "Accept": "application/json" };
    if (options.body) { headers["Content-Type"] = "application/json"; }
    return fetch(API + path, { method: options.method || "GET", headers: headers, body: options.body })
      .then(function (reply) {
        return reply.json().catch(function () { return {}; }).then(function (data) {
          if (reply.status === 401 && !options.login) {
            logout("Ihre Anmeldung ist nicht mehr gültig. Bitte melden Sie sich erneut an.");
          }
          if (!reply.ok) {
            var problem = new Error(data.error || "Die Anfrage ist fehlgeschlagen.");
            problem.status = reply.status;
            throw problem;
          }
          return data;
        });
      }, function () {
        throw new Error("Der Server ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung.");
      });
  }

  // -- login --------------------------------------------------------------------------------

  function showConsole() {
    $("login").hidden = true;
    $("console").hidden = false;
    $("logout").hidden = false;
  }

  function logout(message) {
    sessionStorage.removeItem(KEY);
    $("console").hidden = true;
    $("logout").hidden = true;
    $("login").hidden = false;
    setStatus(message || "Sie sind abgemeldet.");
    $("token").value = "";
    $("token").focus();
  }

  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = $("token").value.trim();
    var problem = $("token-error");
    if (!value) {
      problem.textContent = "Bitte geben Sie Ihren Zugangsschlüssel ein.";
      $("token").setAttribute("aria-invalid", "true");
      $("token").focus();
      return;
    }
    sessionStorage.setItem(KEY, value);
    api("/session", { login: true }).then(function () {
      problem.textContent = "";
      $("token").removeAttribute("aria-invalid");
      $("token").value = "";
      showConsole();
      setStatus("Sie sind angemeldet.");
      $("query").focus();
    }, function (failure) {
      sessionStorage.removeItem(KEY);
      $("console").hidden = true;
      $("login").hidden = false;
      problem.textContent = failure.status === 401
        ? "Der Zugangsschlüssel ist nicht gültig. Bitte prüfen Sie ihn."
        : failure.message;
      $("token").setAttribute("aria-invalid", "true");
      $("token").focus();
    });
  });

  $("logout").addEventListener("click", function () { logout(); });

  // -- search -------------------------------------------------------------------------------

  function copy(text, button) {
    var done = function () {
      button.textContent = "Kopiert";
      setStatus("Die Antwort ist in der Zwischenablage.");
      setTimeout(function () { button.textContent = "Antwort kopieren"; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = el("textarea", "visually-hidden");
    area.value = text;
    area.setAttribute("readonly", "");
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (ignored) { /* nothing more we can do */ }
    document.body.removeChild(area);
    $("query").focus();
  }

  function valueList(items) {
    var list = el("dl", "value");
    (items || []).forEach(function (item) {
      list.appendChild(el("dt", null, item.label));
      list.appendChild(el("dd", null, item.text));
    });
    return list.children.length ? list : null;
  }

  function sourceItem(source) {
    var item = el("li");
    if (source.url) {
      var link = el("a", null, source.title);
      link.href = source.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.appendChild(el("span", "visually-hidden", " (öffnet in neuem Tab)"));
      item.appendChild(link);
    } else {
      item.textContent = source.title;
    }
    item.appendChild(document.createTextNode(", geprüft am " + germanDate(source.checked)));
    return item;
  }

  function germanDate(iso) {
    var parts = (iso || "").split("-");
    return parts.length === 3 ? parts[2] + "." + parts[1] + "." + parts[0] : iso;
  }

  function renderHit(hit) {
    var item = el("li", "hit");
    var article = el("article");
    article.setAttribute("aria-labelledby", "hit-" + hit.id);
    var heading = el("h3", null, hit.subject.name + ": " + hit.label);
    heading.id = "hit-" + hit.id;
    article.appendChild(heading);
    article.appendChild(el("p", "answer", hit.answer));
    if (hit.note) { article.appendChild(el("p", "note", "Hinweis: " + hit.note)); }
    var value = valueList(hit.value_items);
    if (value) {
      article.appendChild(el("p", "meta-title", "Werte"));
      article.appendChild(value);
    }
    article.appendChild(el("p", "meta-title", hit.sources.length === 1 ? "Quelle" : "Quellen"));
    var sources = el("ul", "sources");
    hit.sources.forEach(function (source) { sources.appendChild(sourceItem(source)); });
    article.appendChild(sources);
    var meta = el("p", "meta", (hit.as_of_text ? "Stand: " + hit.as_of_text + " · " : "") +
      (hit.primary ? "Quelle der Stadt" : "andere Quelle") + " · Eintrag " + hit.id);
    article.appendChild(meta);
    var button = el("button", "copy", "Antwort kopieren");
    button.type = "button";
    button.setAttribute("aria-describedby", heading.id);
    button.addEventListener("click", function () { copy(hit.copy_text, button); });
    article.appendChild(button);
    item.appendChild(article);
    return item;
  }

  var searchTimer = null;
  var searchRound = 0;

  function search() {
    var query = $("query").value;
    var results = $("results");
    var count = $("search-count");
    if (!query.trim()) {
      results.textContent = "";
      count.textContent = "";
      return;
    }
    var round = ++searchRound;
    api("/search?q=" + encodeURIComponent(query)).then(function (data) {
      if (round !== searchRound) { return; }  // a newer search is on its way
      results.textContent = "";
      data.results.forEach(function (hit) { results.appendChild(renderHit(hit)); });
      count.textContent = data.count === 0 ? "Keine Treffer."
        : data.count === 1 ? "1 Treffer." : data.count + " Treffer.";
    }, function (failure) {
      if (round !== searchRound) { return; }
      results.textContent = "";
      count.textContent = failure.message;
    });
  }

  $("query").addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 200);
  });
  $("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(searchTimer);
    search();
  });

  // -- bot preview --------------------------------------------------------------------------

  function percent(value) {
    return typeof value === "number" ? Math.round(value * 100) + " %" : "–";
  }

  function paragraphs(text, container) {
    (text || "").split(/\n{2,}/).forEach(function (part) {
      var p = el("p");
      part.split("\n").forEach(function (line, index) {
        if (index) { p.appendChild(el("br")); }
        p.appendChild(document.createTextNode(line));
      });
      container.appendChild(p);
    });
  }

  $("preview-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("preview-text").value;
    var out = $("preview");
    out.textContent = "";
    out.appendChild(el("p", "status", "Der Bot wird gefragt …"));
    api("/preview", { method: "POST", body: JSON.stringify({ text: text }) }).then(function (data) {
      out.textContent = "";
      var facts = el("dl", "nlu");
      facts.appendChild(el("dt", null, "Erkannte Absicht (Intent)"));
      facts.appendChild(el("dd", "intent", (data.intent.name || "–") + " (Konfidenz " + percent(data.intent.confidence) + ")"));
      facts.appendChild(el("dt", null, "Entitäten"));
      facts.appendChild(el("dd", "entities", data.entities.length ? data.entities.map(function (found) {
        return found.entity + " = " + found.value + (found.text && found.text !== found.value ? " („" + found.text + "“)" : "");
      }).join("; ") : "keine"));
      if (data.ranking.length > 1) {
        facts.appendChild(el("dt", null, "Weitere Kandidaten"));
        facts.appendChild(el("dd", null, data.ranking.slice(1).map(function (item) {
          return item.name + " (" + percent(item.confidence) + ")";
        }).join(", ")));
      }
      out.appendChild(facts);
      out.appendChild(el("h3", null, "Antwort des Bots"));
      data.replies.forEach(function (reply) {
        var bubble = el("div", "bubble bot");
        paragraphs(reply.text, bubble);
        if (reply.buttons.length) {
          bubble.appendChild(el("p", "buttons", "Knöpfe: " + reply.buttons.join(" · ")));
        }
        out.appendChild(bubble);
      });
      if (!data.replies.length) { out.appendChild(el("p", null, "Der Bot hat nicht geantwortet.")); }
    }, function (failure) {
      out.textContent = "";
      out.appendChild(el("p", "error", failure.message));
    });
  });

  // -- conversations ------------------------------------------------------------------------

  var SPEAKERS = { citizen: "Bürger*in", bot: "Assistent", system: "" };

  function time(iso) {
    if (!iso) { return ""; }
    var date = new Date(iso);
    return date.toLocaleString("de-DE", { dateStyle: "short", timeStyle: "short" });
  }

  $("conversation-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = $("code").value.trim();
    var out = $("conversation");
    out.textContent = "";
    if (!code) {
      out.appendChild(el("p", "error", "Bitte geben Sie den Gesprächscode ein."));
      $("code").focus();
      return;
    }
    api("/conversations/" + encodeURIComponent(code)).then(function (data) {
      var heading = el("h3", null, "Gespräch " + data.code);
      heading.tabIndex = -1;
      out.appendChild(heading);
      if (data.started) { out.appendChild(el("p", "meta", "Begonnen: " + time(data.started))); }
      var list = el("ol", "transcript");
      data.messages.forEach(function (message) {
        var item = el("li", "bubble " + message.from);
        if (message.from === "system") {
          item.textContent = "— " + message.text + " —";
          list.appendChild(item);
          return;
        }
        item.appendChild(el("p", "speaker", SPEAKERS[message.from] + " · " + time(message.time)));
        var body = el("div");
        paragraphs(message.text, body);
        item.appendChild(body);
        if (message.from === "citizen" && message.intent) {
          item.appendChild(el("p", "meta", (message.button ? "per Knopf · " : "") + "Intent " +
            message.intent + " (" + percent(message.confidence) + ")"));
        }
        if (message.buttons && message.buttons.length) {
          item.appendChild(el("p", "meta", "Knöpfe: " + message.buttons.join(" · ")));
        }
        if (message.feedback) {
          item.appendChild(el("p", "feedback " + message.feedback, message.feedback === "negative"
            ? "Bewertung: nicht hilfreich" : "Bewertung: hilfreich"));
        }
        list.appendChild(item);
      });
      out.appendChild(list);
      heading.focus();
    }, function (failure) {
      out.appendChild(el("p", "error", failure.message));
    });
  });

  // -- start --------------------------------------------------------------------------------

  if (token()) {
    api("/session").then(showConsole, function () { /* logout() already showed the form */ });
  }
})();
