/* Comment on selected words (discussion/selection.py). Our own script, no library:
   selecting words inside one paragraph of the paper offers that paragraph's
   "Kommentieren" / "Änderung vorschlagen" links for exactly that selection (the
   server pre-fills the form from ?quote=). The labels are the page's own translated
   links; without this script those per-paragraph links work as before. */
(function () {
  "use strict";
  var QUOTE_LIMIT = 500;
  var bar = null;
  var pointerInBar = false;
  var timer = null;

  function wrapper() { return document.querySelector(".text-lines"); }
  function body() { return document.getElementById("statement-body"); }

  /* The top-level block (a child of #statement-body with an id) holding `node`. */
  function blockOf(node) {
    var root = body();
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    while (el && el.parentElement !== root) { el = el.parentElement; }
    return el && el.id ? el : null;
  }

  /* The block's own links ("?block=…#new-comment"), in the line the server put after it. */
  function linksOf(block) {
    var next = block.nextElementSibling;
    if (!next || !next.classList.contains("block-comments")) { return []; }
    return Array.prototype.filter.call(next.querySelectorAll("a"), function (a) {
      return (a.getAttribute("href") || "").indexOf("?block=") === 0;
    });
  }

  function announce(text) {
    var status = document.getElementById("selection-status");
    if (status) { status.textContent = text; }
  }

  function removeBar() {
    if (bar && bar.parentNode) { bar.parentNode.removeChild(bar); }
    bar = null;
    pointerInBar = false;
  }

  function withQuote(href, quote) {
    var at = href.indexOf("#");
    var path = at < 0 ? href : href.slice(0, at);
    var hash = at < 0 ? "" : href.slice(at);
    return path + "&quote=" + encodeURIComponent(quote) + hash;
  }

  function showBar(block, quote, links) {
    removeBar();
    var box = wrapper();
    bar = document.createElement("div");
    bar.className = "selection-actions";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", (box && box.dataset.selectionLabel) || "");
    var shown = document.createElement("q");
    shown.className = "selection-quote";
    shown.textContent = quote.length > 80 ? quote.slice(0, 79) + "…" : quote;
    bar.appendChild(shown);
    links.forEach(function (link) {
      var a = document.createElement("a");
      a.href = withQuote(link.getAttribute("href"), quote);
      a.textContent = link.textContent;
      a.className = "button secondary";
      bar.appendChild(a);
    });
    bar.addEventListener("pointerdown", function () { pointerInBar = true; });
    block.parentNode.insertBefore(bar, block.nextSibling);
    announce((box && box.dataset.selectionHint) || "");
  }

  function update() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      if (bar && !pointerInBar && !bar.contains(document.activeElement)) { removeBar(); }
      return;
    }
    var start = blockOf(selection.anchorNode);
    var end = blockOf(selection.focusNode);
    var quote = selection.toString().replace(/\s+/g, " ").trim().slice(0, QUOTE_LIMIT);
    if (!start || start !== end || !quote) { return; }
    var links = linksOf(start).filter(function (a) {
      return a.getAttribute("href").indexOf("#new-comment") > 0;
    });
    if (links.length) { showBar(start, quote, links); }
  }

  document.addEventListener("pointerdown", function (event) {
    if (bar && !bar.contains(event.target)) { pointerInBar = false; }
  });
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 250);
  });
  document.addEventListener("keydown", function (event) {
    if (!bar) { return; }
    if (event.key === "Escape") { removeBar(); return; }
    // Tab right after selecting (focus still on the page around the text, where a click
    // in the text leaves it) goes to the actions for the selection, not to the page top.
    var active = document.activeElement || document.body;
    if (event.key === "Tab" && !event.shiftKey && active.contains(bar) && active !== bar) {
      var first = bar.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });

  /* Arriving from a selection: focus the suggestion and select the marked words. */
  function markArrival() {
    var field = document.querySelector("textarea[data-select-start]");
    if (!field || window.location.hash !== "#new-comment") { return; }
    var start = parseInt(field.dataset.selectStart, 10);
    var end = parseInt(field.dataset.selectEnd, 10);
    if (isNaN(start) || isNaN(end)) { return; }
    field.focus();
    field.setSelectionRange(start, end);
  }
  // After the browser has scrolled to #new-comment: that scroll moves focus to the page.
  function later() { window.setTimeout(markArrival, 0); }
  if (document.readyState === "complete") { later(); } else { window.addEventListener("load", later); }
}());
