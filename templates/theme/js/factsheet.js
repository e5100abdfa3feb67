/* factsheet: small enhancements; every page works without this file.
   - Citation previews: the quote shows on hover and keyboard focus by CSS alone
     (a[data-quote]::after). Here: on touch, a first tap shows it and a second tap on the
     same marker follows the link; a tap elsewhere or Escape hides it.
   - The "On this page" contents open by default on wide screens. */
(function () {
  "use strict";
  var doc = document;

  var open = null;
  var pointer = "";
  function marker(el) {
    return el && el.closest ? el.closest("a[data-quote]") : null;
  }
  function close() {
    if (open) {
      open.classList.remove("open");
      open = null;
    }
  }
  doc.addEventListener("pointerdown", function (e) { pointer = e.pointerType; }, true);
  doc.addEventListener("click", function (e) {
    var a = marker(e.target);
    if (open && open !== a) close();
    if (!a || pointer !== "touch" || a === open) return; // a second tap follows the link
    e.preventDefault();
    a.classList.remove("dismissed");
    a.classList.add("open");
    open = a;
  });
  doc.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var a = marker(doc.activeElement) || open;
    doc.querySelectorAll("a[data-quote]:hover").forEach(function (h) { h.classList.add("dismissed"); });
    if (a) a.classList.add("dismissed");
    close();
  });
  function undismiss(e) {
    var a = marker(e.target);
    if (a) a.classList.remove("dismissed");
  }
  doc.addEventListener("focusout", undismiss);
  doc.addEventListener("mouseout", undismiss);
  window.addEventListener("pageshow", close);

  var toc = doc.querySelector(".toc details");
  if (toc && window.matchMedia && window.matchMedia("(min-width: 64em)").matches) toc.open = true;
})();
