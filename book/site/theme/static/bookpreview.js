/* Hover previews of links to other pages of the book (book/site/neighbour_sections.py,
   topic, tag and stub pages, the landing page).

   Hovering (or focusing) a link to another page of this site fetches that page from the same
   host, as Quartz's popovers do, and shows its title and first lines: nothing is fetched from
   anywhere else, and no preview data is added to any page, so page weight stays flat.  The
   text is copied with textContent, never as HTML.  A link to an anchor (a stub's section)
   previews that section.  Pages already fetched are kept for the visit. */
(function () {
  "use strict";
  var DELAY = 250, LINES = 3, CHARS = 220;
  var cache = new Map();
  var box = null, timer = null, current = null;

  function samePage(url) {
    return url.origin === location.origin && url.pathname === location.pathname;
  }

  function target(a) {
    if (!a.classList.contains("internal") || a.classList.contains("headerlink")) return null;
    var url;
    try { url = new URL(a.href, location.href); } catch (e) { return null; }
    if (url.origin !== location.origin || !/\.html$/.test(url.pathname) || samePage(url)) return null;
    return url;
  }

  function fetchPage(url) {
    var key = url.pathname;
    if (!cache.has(key)) {
      cache.set(key, fetch(key, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); })
        .catch(function () { cache.delete(key); return null; }));
    }
    return cache.get(key);
  }

  function clip(text) {
    text = text.replace(/\s+/g, " ").trim();
    return text.length > CHARS ? text.slice(0, CHARS - 1) + "…" : text;
  }

  function summary(doc, hash) {
    var root = doc.querySelector("article") || doc.body;
    var scope = root, title = null;
    if (hash) {
      var el = doc.getElementById(decodeURIComponent(hash.slice(1)));
      if (el) { scope = el.closest("section") || el; }
    }
    var heading = scope.querySelector("h1, h2, h3");
    title = heading ? heading.textContent.replace(/#$/, "").trim() : (doc.title || "");
    var lines = [];
    var meta = scope.querySelector(".article-meta");
    if (meta) lines.push(clip(meta.textContent));
    var paras = scope.querySelectorAll(".article-intro p, p");
    for (var i = 0; i < paras.length && lines.length < LINES; i++) {
      var p = paras[i];
      if (p.closest(".article-meta, .book-links, .headerlink")) continue;
      if (/^(小编导语|小编总结)$/.test(p.textContent.trim())) continue;
      var text = clip(p.textContent);
      if (text && text !== title) lines.push(text);
    }
    return { title: title, lines: lines };
  }

  function show(a, info) {
    hide();
    box = document.createElement("div");
    box.className = "book-preview";
    box.setAttribute("role", "tooltip");
    var h = document.createElement("div");
    h.className = "book-preview-title";
    h.textContent = info.title;
    box.appendChild(h);
    info.lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    document.body.appendChild(box);
    var r = a.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8);
    box.style.top = top + "px";
    box.style.left = Math.max(window.scrollX + 8, left) + "px";
  }

  function hide() {
    if (box) { box.remove(); box = null; }
  }

  function enter(event) {
    var a = event.target.closest && event.target.closest("a");
    if (!a || a === current) return;
    var url = target(a);
    if (!url) return;
    current = a;
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetchPage(url).then(function (doc) {
        if (doc && current === a) show(a, summary(doc, url.hash));
      });
    }, DELAY);
  }

  function leave(event) {
    var a = event.target.closest && event.target.closest("a");
    if (!a || a !== current) return;
    if (event.relatedTarget && a.contains(event.relatedTarget)) return;
    current = null;
    clearTimeout(timer);
    hide();
  }

  document.addEventListener("mouseover", enter);
  document.addEventListener("mouseout", leave);
  document.addEventListener("focusin", enter);
  document.addEventListener("focusout", leave);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { current = null; hide(); } });
})();
