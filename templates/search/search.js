/* factsheet search (generator/search.py): a search box in the theme's search slot
   (<div id="search">), Pagefind loaded on the first focus or keystroke, results that
   name the page and the section and link to the fact. Nothing here uses innerHTML:
   every text from the index is set as text; Pagefind's <mark> highlights are rebuilt. */
(function () {
  "use strict";
  var doc = document;
  var me = doc.currentScript;
  if (!me || !me.src) return;
  var root = new URL("../", me.src); // this file is search/search.js under the site's root
  var slot = doc.getElementById("search");
  if (!slot) {
    slot = doc.createElement("div");
    slot.id = "search";
    slot.className = "search";
    var main = doc.querySelector("main, [role=main]") || doc.body;
    main.insertBefore(slot, main.firstChild);
  }
  while (slot.firstChild) slot.removeChild(slot.firstChild); // a theme's own box, if any

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  var form = el("form", "fs-search");
  form.setAttribute("role", "search");
  var labelEl = el("label", "fs-search-label", "Search the fact sheet");
  labelEl.htmlFor = "fs-search-input";
  var input = el("input");
  input.id = "fs-search-input";
  input.type = "search";
  input.autocomplete = "off";
  input.placeholder = "Search";
  input.setAttribute("aria-controls", "fs-search-results");
  var status = el("p", "fs-search-status");
  status.setAttribute("role", "status");
  var results = el("ol", "fs-search-results");
  results.id = "fs-search-results";
  form.appendChild(labelEl);
  form.appendChild(input);
  slot.appendChild(form);
  slot.appendChild(status);
  slot.appendChild(results);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });

  var pagefind = null;
  var loading = null;
  function load() {
    if (root.protocol === "file:") {
      status.textContent = "Search cannot run on a page opened as a file: a browser does not let it read the " +
        "index from disk. Serve the folder over http (for example, run “python3 -m http.server” in it) " +
        "and open the site from there; every other link works as it is.";
      return Promise.reject(new Error("file"));
    }
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, excerptLength: 24, noWorker: true }).then(function () {
          pagefind = pf;
          return pf;
        });
      }, function (err) {
        loading = null;
        status.textContent = "Search could not load its index (" + err.message + ").";
        throw err;
      });
    }
    return loading;
  }
  input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });

  var named = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };
  function decode(s) {
    return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (all, e) {
      if (e[0] !== "#") return Object.prototype.hasOwnProperty.call(named, e) ? named[e] : all;
      var n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : all;
    });
  }
  function marked(parent, excerpt) {
    // Pagefind's excerpt: escaped text with <mark> around the words found.
    var parts = excerpt.split(/<mark>|<\/mark>/);
    parts.forEach(function (part, i) {
      var node = doc.createTextNode(decode(part.replace(/<[^>]*>/g, "")));
      if (i % 2) {
        var m = doc.createElement("mark");
        m.appendChild(node);
        parent.appendChild(m);
      } else {
        parent.appendChild(node);
      }
    });
  }

  var timer = null;
  var seq = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  function run() {
    var q = input.value.trim();
    var mine = ++seq;
    if (!q) {
      results.textContent = "";
      status.textContent = "";
      return;
    }
    load().then(function (pf) { return pf.search(q); }).then(function (found) {
      if (mine !== seq) return null;
      return Promise.all(found.results.slice(0, 8).map(function (r) { return r.data(); })).then(function (pages) {
        if (mine !== seq) return;
        results.textContent = "";
        status.textContent = found.results.length
          ? found.results.length + (found.results.length === 1 ? " page matches." : " pages match.")
          : "Nothing matches “" + q + "”.";
        pages.forEach(function (d) {
          var li = el("li", "fs-result");
          var title = el("a", "fs-result-page", d.meta.title || d.url);
          title.href = d.url;
          li.appendChild(title);
          var subs = (d.sub_results || []).filter(function (s) { return s.url !== d.url; }).slice(0, 3);
          if (!subs.length) {
            var p = el("p", "fs-result-excerpt");
            marked(p, d.excerpt);
            li.appendChild(p);
          }
          var ul = el("ul", "fs-result-sections");
          subs.forEach(function (s) {
            var sli = el("li");
            var a = el("a", "fs-result-section", s.title);
            a.href = s.url;
            sli.appendChild(a);
            var p = el("p", "fs-result-excerpt");
            marked(p, s.excerpt);
            sli.appendChild(p);
            ul.appendChild(sli);
          });
          if (subs.length) li.appendChild(ul);
          results.appendChild(li);
        });
      });
    }).catch(function () {});
  }
})();
