// The header menu and the language switch are <details> and work without this file. With
// it, Escape closes an open one (focus back on its button) and a click elsewhere closes it.
(function () {
  "use strict";
  function menus() {
    return document.querySelectorAll("details.site-menu[open], details.lang-menu[open]");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus().forEach(function (menu) {
      menu.open = false;
      var summary = menu.querySelector("summary");
      if (summary && getComputedStyle(summary).display !== "none") summary.focus();
    });
  });
  document.addEventListener("click", function (event) {
    menus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
})();
