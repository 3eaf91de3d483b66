// The site's own behaviour, on every page. Loaded with defer: the document is parsed.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The menu button of narrow screens: it opens and closes the menu, says which it is
  // (aria-expanded), and Escape closes it with the focus back on the button.
  var toggle = document.querySelector("[data-menu-toggle]");
  var menu = document.querySelector("[data-menu]");
  if (toggle && menu) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // The map of Europe: a click on a country opens the partner search there. The map is an
  // image to assistive technology; the table beside it holds the same links.
  document.addEventListener("click", function (event) {
    var country = event.target.closest && event.target.closest("svg [data-href]");
    if (country) window.location.href = country.getAttribute("data-href");
  });

  // A form that came back with errors: move focus to its summary, so that a screen reader
  // reads the problems first and a keyboard user can follow the links to the fields.
  var first = document.querySelector("[data-error-summary][data-focus-on-load]");
  if (first) first.focus();
  document.querySelectorAll("[data-error-summary]").forEach(function (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  });
})();
