// The paper editor's helpers (issue 16). Progressive enhancement: the editor is a plain
// form without this file. It adds
// - a formatting toolbar that writes Markdown into the text field (ARIA toolbar: one Tab
//   stop, arrow keys between buttons; Ctrl+B, Ctrl+I and Ctrl+K in the text field);
// - on phones a button switching between the text and its preview (beside each other on
//   wide screens, statements.css);
// - a character counter for fields with data-count and a maxlength;
// - a warning before leaving with unsaved changes, and a background save of the text to
//   the server (data-autosave-url; a few seconds after typing stops, at most every 10 s,
//   and when the page is hidden), offered back on the next visit. Never a revision.
//   data-autosave-fields names the fields sent (default: the paper's); the minutes
//   editor (meetings) uses the same file.
// No inline script or style: the strict CSP allows only files from this site.
(function () {
  "use strict";

  function replaceSelection(field, text, selectFrom, selectTo) {
    var start = field.selectionStart;
    field.focus();
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    var done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (e) {
      done = false;
    }
    if (!done) {
      field.setRangeText(text, field.selectionStart, field.selectionEnd, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    field.setSelectionRange(start + selectFrom, start + selectTo);
  }

  function wrap(field, marker, placeholder) {
    var start = field.selectionStart;
    var end = field.selectionEnd;
    var selected = field.value.slice(start, end) || placeholder;
    replaceSelection(field, marker + selected + marker, marker.length, marker.length + selected.length);
  }

  function link(field, placeholder) {
    var selected = field.value.slice(field.selectionStart, field.selectionEnd) || placeholder;
    var text = "[" + selected + "](https://)";
    var urlStart = selected.length + 3;
    replaceSelection(field, text, urlStart, urlStart + "https://".length);
  }

  // Prefix every line of the selection (or the current line); a second press takes it off.
  function prefixLines(field, kind, placeholder) {
    var value = field.value;
    var start = value.lastIndexOf("\n", field.selectionStart - 1) + 1;
    var endBreak = value.indexOf("\n", field.selectionEnd);
    var end = endBreak === -1 ? value.length : endBreak;
    if (field.selectionEnd > field.selectionStart && value[field.selectionEnd - 1] === "\n") {
      end = field.selectionEnd - 1;
    }
    var lines = value.slice(start, end).split("\n");
    var patterns = { heading: /^#{1,6} /, list: /^[-*] /, numbered: /^\d+\. /, quote: /^> ?/ };
    var all = lines.every(function (line) { return patterns[kind].test(line); });
    var result = lines.map(function (line, index) {
      if (all) return line.replace(patterns[kind], "");
      var bare = line.replace(/^(#{1,6} |[-*] |\d+\. |> ?)/, "") || (lines.length === 1 ? placeholder : "");
      var prefix = { heading: "## ", list: "- ", numbered: (index + 1) + ". ", quote: "> " }[kind];
      return prefix + bare;
    }).join("\n");
    field.setSelectionRange(start, end);
    replaceSelection(field, result, 0, result.length);
    if (lines.length === 1 && !all) {
      var bareLength = result.replace(/^(#{1,6} |[-*] |\d+\. |> )/, "").length;
      field.setSelectionRange(start + result.length - bareLength, start + result.length);
    }
  }

  function apply(toolbar, field, action) {
    var data = toolbar.dataset;
    if (action === "bold") wrap(field, "**", data.textBold);
    else if (action === "italic") wrap(field, "*", data.textItalic);
    else if (action === "link") link(field, data.textLink);
    else if (action === "heading") prefixLines(field, "heading", data.textHeading);
    else if (action === "list") prefixLines(field, "list", data.textItem);
    else if (action === "numbered") prefixLines(field, "numbered", data.textItem);
    else if (action === "quote") prefixLines(field, "quote", data.textQuote);
  }

  function visibleButtons(toolbar) {
    return Array.prototype.filter.call(toolbar.querySelectorAll("button"), function (b) {
      return b.offsetParent !== null;
    });
  }

  function rove(toolbar, event) {
    var buttons = visibleButtons(toolbar);
    var index = buttons.indexOf(document.activeElement);
    if (index === -1) return;
    // In a right-to-left page the toolbar runs from the right: ArrowLeft goes on.
    var step = getComputedStyle(toolbar).direction === "rtl" ? -1 : 1;
    var next = { ArrowRight: index + step, ArrowLeft: index - step, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    next = (next + buttons.length) % buttons.length;
    buttons.forEach(function (b) { b.tabIndex = -1; });
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  }

  function setUpViewToggle(toolbar, split) {
    var toggle = toolbar.querySelector("[data-md-view]");
    if (!toggle || !split) return;
    function render(previewing) {
      split.classList.toggle("is-previewing", previewing);
      toggle.setAttribute("aria-pressed", previewing ? "true" : "false");
    }
    split.classList.add("has-toggle");
    render(false);
    toggle.addEventListener("click", function () {
      render(!split.classList.contains("is-previewing"));
    });
  }

  function setUpToolbar(toolbar) {
    var field = document.getElementById(toolbar.dataset.mdToolbar);
    if (!field) return;
    var split = toolbar.closest("[data-editor-split]");
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (!button) return;
      if (split) split.classList.remove("is-previewing");
      apply(toolbar, field, button.dataset.md);
    });
    toolbar.addEventListener("keydown", function (event) { rove(toolbar, event); });
    field.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      var action = { b: "bold", i: "italic", k: "link" }[event.key.toLowerCase()];
      if (!action) return;
      event.preventDefault();
      apply(toolbar, field, action);
    });
    setUpViewToggle(toolbar, split);
    // Fill the preview beside the text at once (htmx posts the form's fields). Only the
    // field that has a preview (a second toolbar, e.g. the minutes' public part, has none).
    var preview = document.getElementById("live-preview");
    if (preview && field.hasAttribute("hx-post") && field.value.trim() && preview.querySelector(".hint") && window.htmx) {
      window.htmx.ajax("POST", field.getAttribute("hx-post"), {
        source: field, target: "#live-preview", swap: "innerHTML"
      });
    }
  }

  function setUpCounter(field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!limit) return;
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = field.id + "_count";
    var announce = document.createElement("span");
    announce.className = "visually-hidden";
    announce.setAttribute("aria-live", "polite");
    var template = field.dataset.count || "{n} / {max}";
    var lastBand = null;
    function update() {
      var used = field.value.length;
      counter.firstChild.textContent = template.replace("{n}", used).replace("{max}", limit);
      counter.classList.toggle("is-near", used > limit * 0.9);
      // Screen readers hear the count only when a band is crossed, not on every key.
      var band = used >= limit ? 2 : used > limit * 0.9 ? 1 : 0;
      if (band !== lastBand && lastBand !== null && band > 0) {
        announce.textContent = counter.firstChild.textContent;
      }
      lastBand = band;
    }
    counter.appendChild(document.createTextNode(""));
    counter.appendChild(announce);
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    field.addEventListener("input", update);
    update();
  }

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken") parts.push(key + "=" + value);
    });
    return parts.join("&");
  }

  function setUpUnsavedGuard(form, toolbar) {
    var initial = snapshot(form);
    var submitting = false;
    var url = toolbar && toolbar.dataset.autosaveUrl;
    var lastSent = initial;
    var timer = null;
    var lastPost = 0;
    var status = null;
    function dirty() { return snapshot(form) !== initial; }
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || !dirty()) return;
      event.preventDefault();
      event.returnValue = "";  // the browser shows its own wording
    });
    if (!url) return;
    // URL-encoded, not multipart: the site refuses multipart bodies outside file uploads.
    function body() {
      var data = new URLSearchParams();
      var all = new FormData(form);
      // The paper's fields, or those the toolbar names (the minutes: body, public_body).
      var keys = toolbar.dataset.autosaveFields
        ? ["csrfmiddlewaretoken"].concat(toolbar.dataset.autosaveFields.split(" "))
        : ["csrfmiddlewaretoken", "title", "occasion", "summary", "body", "base_revision"];
      keys.forEach(
        function (key) { if (all.has(key)) data.append(key, all.get(key)); }
      );
      return data;
    }
    function showSaved() {
      if (!status) {
        status = document.createElement("p");
        status.className = "hint autosave-status";
        var actions = form.querySelector(".actions");
        (actions || form).insertAdjacentElement("afterend", status);
      }
      var now = new Date();
      var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
      status.textContent = (toolbar.dataset.textSaved || "{time}").replace("{time}", time);
    }
    function send() {
      timer = null;
      var current = snapshot(form);
      if (current === lastSent || submitting) return;
      lastSent = current;
      lastPost = Date.now();
      fetch(url, { method: "POST", body: body(), credentials: "same-origin" }).then(
        function (response) { if (response.status === 204) showSaved(); },
        function () { lastSent = null; }  // offline: try again with the next change
      );
    }
    form.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      var wait = Math.max(3000, 10000 - (Date.now() - lastPost));
      timer = setTimeout(send, wait);
    });
    // A phone browser may be closed (or crash) once it is in the background.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden" || submitting) return;
      var current = snapshot(form);
      if (current === lastSent || !navigator.sendBeacon) return;
      if (navigator.sendBeacon(url, body())) lastSent = current;
    });
  }

  function init() {
    document.querySelectorAll("[data-md-toolbar]").forEach(setUpToolbar);
    document.querySelectorAll("textarea[data-count], input[data-count]").forEach(setUpCounter);
    document.querySelectorAll("form.editor").forEach(function (form) {
      setUpUnsavedGuard(form, form.querySelector("[data-md-toolbar]"));
    });
  }

  // DOMContentLoaded comes after every deferred script, htmx included.
  if (document.readyState === "complete") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
