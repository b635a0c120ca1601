/* The book's search page: results from the n-gram shards in _search/ (book/search/).
 *
 * A query is folded (full-width to plain, upper to lower case, traditional to simplified:
 * the table in _search/fold.js is the one the index was folded with), cut into terms at
 * anything that is not a letter or a number, and each term is looked up by its n-grams:
 * itself up to three characters, else its triples.  Each n-gram lives in one small shard
 * (bucketOf: the same hash as book/search/index.py), loaded with a <script> tag, so the page
 * works from file:// too.  Pages that hold every term are ranked (title hits, then heading
 * hits, then how often) and shown ten at a time, each with a snippet cut from its own text
 * file in the index, never from the page itself.  Article text only ever reaches the page
 * as text nodes, never as markup.
 */
(function () {
  "use strict";
  const results = document.getElementById("search-results");
  if (!results) return;
  const base = results.dataset.index || "_search/";
  const SHOWN = 10;
  const TITLE = 0x80, HEADING = 0x40, COUNT = 0x1f;
  const WORD = /[\p{L}\p{N}]+/gu;

  // --- loading shards: each file calls BookSearch.<kind>(...) with its data ---------------
  const waiting = new Map();
  const loading = new Map();

  function load(file) {
    if (!loading.has(file)) {
      loading.set(file, new Promise(function (resolve, reject) {
        waiting.set(file, resolve);
        const script = document.createElement("script");
        script.src = base + file;
        script.async = true;
        script.onerror = function () {
          waiting.delete(file);
          reject(new Error("无法加载搜索索引文件 " + file));
        };
        script.onload = function () {
          if (waiting.has(file)) {
            waiting.delete(file);
            reject(new Error("搜索索引文件无效 " + file));
          }
          script.remove();
        };
        document.head.appendChild(script);
      }));
    }
    return loading.get(file);
  }

  function arrived(file, value) {
    const resolve = waiting.get(file);
    waiting.delete(file);
    if (resolve) resolve(value);
  }

  window.BookSearch = {
    meta: function (m) { arrived("meta.js", m); },
    fold: function (f) { arrived("fold.js", f); },
    bucket: function (b, data) { arrived("b/" + b + ".js", data); },
    posting: function (b, i, data) { arrived("k/" + b + "-" + i + ".js", data); },
    page: function (n, p) { arrived("d/" + n + ".js", p); },
    part: function (n, i, text) { arrived("d/" + n + "-" + i + ".js", text); },
  };

  // --- folding, the same table as the index ----------------------------------------------
  let foldMap = null;

  async function folding() {
    if (!foldMap) {
      const table = await load("fold.js");
      const from = Array.from(table.from), to = Array.from(table.to);
      foldMap = new Map();
      for (let i = 0; i < from.length; i++) foldMap.set(from[i], to[i]);
    }
    return foldMap;
  }

  function foldChars(text) {
    return Array.from(text, function (ch) { return foldMap.get(ch) || ch; });
  }

  function terms(query) {
    const folded = foldChars(query).join("");
    return Array.from(new Set(folded.match(WORD) || []));
  }

  function grams(term) {
    const chars = Array.from(term);
    if (chars.length <= 3) return [term];
    const out = [];
    for (let i = 0; i + 3 <= chars.length; i++) out.push(chars.slice(i, i + 3).join(""));
    return Array.from(new Set(out));
  }

  // --- shards ------------------------------------------------------------------------------
  function bytesOf(b64) {
    const raw = atob(b64);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function varint(bytes, at) {
    let value = 0, scale = 1, byte;
    do {
      byte = bytes[at.pos++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte >= 0x80);
    return value;
  }

  function points(gram) {
    const cps = Array.from(gram, function (ch) { return ch.codePointAt(0); });
    while (cps.length < 3) cps.unshift(0);
    return cps;
  }

  function bucketOf(gram, buckets) {
    let h = 0x811c9dc5;
    for (const p of points(gram)) h = Math.imul(h ^ p, 0x01000193) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    return h & (buckets - 1);
  }

  const decoded = new Map();

  async function shard(b) {
    if (!decoded.has(b)) {
      decoded.set(b, load("b/" + b + ".js").then(function (b64) {
        const bytes = bytesOf(b64);
        const at = { pos: 0 };
        const count = varint(bytes, at);
        const keys = [];
        for (let i = 0; i < count; i++) {
          const c = [varint(bytes, at), varint(bytes, at), varint(bytes, at)];
          keys.push(String.fromCodePoint.apply(null, c.filter(function (x) { return x > 0; })));
        }
        const lengths = [];
        for (let i = 0; i < count; i++) lengths.push(varint(bytes, at));
        const table = new Map();
        let pos = at.pos;
        for (let i = 0; i < count; i++) {
          const own = lengths[i] & 1, size = Math.floor(lengths[i] / 2);
          if (own) table.set(keys[i], { own: i });
          else { table.set(keys[i], { bytes: bytes.subarray(pos, pos + size) }); pos += size; }
        }
        return table;
      }));
    }
    return decoded.get(b);
  }

  function readPosting(bytes) {
    const docs = [], values = [];
    const at = { pos: 0 };
    let doc = 0;
    while (at.pos < bytes.length) {
      doc += varint(bytes, at);
      docs.push(doc);
      values.push(bytes[at.pos++]);
    }
    return { docs: docs, values: values };
  }

  async function posting(gram, buckets) {
    const b = bucketOf(gram, buckets);
    const entry = (await shard(b)).get(gram);
    if (!entry) return { docs: [], values: [] };
    if (entry.own !== undefined) return readPosting(bytesOf(await load("k/" + b + "-" + entry.own + ".js")));
    return readPosting(entry.bytes);
  }

  // The pages in all of `lists`, each with its bytes combined by `combine`.
  function intersect(lists, combine) {
    if (!lists.length) return new Map();
    let acc = new Map();
    const first = lists[0];
    for (let i = 0; i < first.docs.length; i++) acc.set(first.docs[i], [first.values[i]]);
    for (const list of lists.slice(1)) {
      const next = new Map();
      for (let i = 0; i < list.docs.length; i++) {
        const had = acc.get(list.docs[i]);
        if (had) { had.push(list.values[i]); next.set(list.docs[i], had); }
      }
      acc = next;
    }
    const out = new Map();
    for (const [doc, values] of acc) out.set(doc, combine(values));
    return out;
  }

  // One term's bytes from its n-grams' bytes: where all of them are, and the rarest count.
  function sameTerm(values) {
    let mask = 0xe0, count = COUNT;
    for (const v of values) { mask &= v; count = Math.min(count, v & COUNT); }
    return mask | count;
  }

  async function find(query) {
    const meta = await load("meta.js");
    await folding();
    const words = terms(query);
    if (!words.length) return { words: words, ranked: [], exact: true };
    const perTerm = await Promise.all(words.map(async function (term) {
      const lists = await Promise.all(grams(term).map(function (g) { return posting(g, meta.buckets); }));
      const pages = intersect(lists, sameTerm);
      return { docs: Array.from(pages.keys()), values: Array.from(pages.values()) };
    }));
    const hits = intersect(perTerm, function (values) { return values; });
    const ranked = Array.from(hits, function ([doc, values]) {
      let title = 0, heading = 0, often = 0;
      for (const v of values) {
        if (v & TITLE) title++;
        if (v & HEADING) heading++;
        often += v & COUNT;
      }
      return { doc: doc, key: [-title, -heading, -often, doc] };
    });
    ranked.sort(function (a, b) {
      for (let i = 0; i < 4; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
      return 0;
    });
    // A term of more than three characters was looked up by its triples: a page may hold
    // them all apart, and is dropped when its text shows it.
    const exact = words.every(function (w) { return Array.from(w).length <= 3; });
    return { words: words, ranked: ranked.map(function (r) { return r.doc; }), exact: exact };
  }

  // --- snippets ----------------------------------------------------------------------------
  // Where the terms occur in `text`: [start, end) in characters (code points) of the original.
  function spans(text, words) {
    const chars = Array.from(text);
    const folded = foldChars(text);
    const joined = folded.join("");
    const starts = [];
    let unit = 0;
    for (const ch of folded) { starts.push(unit); unit += ch.length; }
    const toChar = function (u) {
      let lo = 0, hi = starts.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (starts[mid] < u) lo = mid + 1; else hi = mid; }
      return lo;
    };
    const found = [];
    for (const w of words) {
      let at = joined.indexOf(w);
      while (at >= 0) {
        const s = toChar(at);
        found.push([s, toChar(at + w.length)]);
        at = joined.indexOf(w, at + w.length);
      }
    }
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    const merged = [];
    for (const span of found) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push(span.slice());
    }
    return { chars: chars, spans: merged, present: words.filter(function (w) { return joined.indexOf(w) >= 0; }) };
  }

  function marked(parent, chars, from, to, hits) {
    let at = from;
    for (const [s, e] of hits) {
      if (e <= from || s >= to) continue;
      const a = Math.max(s, from), b = Math.min(e, to);
      if (a > at) parent.appendChild(document.createTextNode(chars.slice(at, a).join("")));
      const mark = document.createElement("mark");
      mark.textContent = chars.slice(a, b).join("");
      parent.appendChild(mark);
      at = b;
    }
    if (at < to) parent.appendChild(document.createTextNode(chars.slice(at, to).join("")));
  }

  // The snippet: the first hit in the body (the text's first line is the title), from the
  // page's first part, or from the next parts, loaded one by one, when the hit is further on
  // and the title has none.  With `check` (the page was found by the triples of a long word)
  // the parts are read until every word is seen: a page that lacks one is not listed.
  async function snippet(n, page, words, check) {
    const seen = new Set();
    const parts = page.parts || 1;
    let shown = null;
    for (let i = 0; i < parts; i++) {
      const enough = shown && (shown.hit || shown.titled);
      if (enough && (!check || seen.size === words.length)) break;
      const text = i === 0 ? page.text : await load("d/" + n + "-" + i + ".js");
      const cut = spans(text, words);
      cut.present.forEach(function (w) { seen.add(w); });
      const newline = text.indexOf("\n");
      const bodyStart = i > 0 ? 0 : newline < 0 ? cut.chars.length : Array.from(text.slice(0, newline)).length + 1;
      const hit = cut.spans.find(function (sp) { return sp[0] >= bodyStart; });
      const titled = i === 0 && cut.spans.some(function (sp) { return sp[0] < bodyStart; });
      if (!shown || (!shown.hit && hit && !shown.titled)) shown = { cut: cut, hit: hit, bodyStart: bodyStart, part: i, titled: titled };
    }
    const { cut, hit, bodyStart, part } = shown;
    const p = document.createElement("p");
    p.className = "context";
    let from = bodyStart, to = Math.min(cut.chars.length, from + 120);
    if (hit) {
      from = Math.max(bodyStart, hit[0] - 40);
      to = Math.min(cut.chars.length, hit[1] + 90);
    }
    if (from > bodyStart || part > 0) p.appendChild(document.createTextNode("…"));
    marked(p, cut.chars, from, to, cut.spans);
    if (to < cut.chars.length || part + 1 < parts) p.appendChild(document.createTextNode("…"));
    return { node: p, holds: seen.size === words.length };
  }

  // --- the page ------------------------------------------------------------------------------
  // The page's own field, not the one in the theme's search dialog.
  const input = document.querySelector(".bd-search-container form.bd-search input[name=q]");
  let current = 0;

  function clear() {
    while (results.firstChild) results.removeChild(results.firstChild);
  }

  function summary(text) {
    let p = results.querySelector("p.search-summary");
    if (!p) {
      p = document.createElement("p");
      p.className = "search-summary";
      results.insertBefore(p, results.firstChild);
    }
    p.textContent = text;
  }

  async function show(query) {
    const run = ++current;
    clear();
    results.dataset.state = "searching";
    if (!query.trim()) { results.dataset.state = "done"; return; }
    summary("正在搜索…");
    let found;
    try {
      found = await find(query);
    } catch (error) {
      if (run === current) { summary(String(error.message || error)); results.dataset.state = "error"; }
      return;
    }
    if (run !== current) return;
    const list = document.createElement("ul");
    list.className = "search";
    results.appendChild(list);
    let total = found.ranked.length, next = 0, dropped = 0;
    const counted = function () {
      if (!total) return "没有找到包含“" + query.trim() + "”的文章。";
      // Every page left to show has been checked against its text once all have been shown.
      const sure = found.exact || next >= found.ranked.length;
      return (sure ? "找到 " : "约 ") + total + " 篇文章包含“" + query.trim() + "”。";
    };
    summary(counted());
    const more = document.createElement("button");
    more.type = "button";
    more.className = "btn btn-sm btn-outline-primary book-search-more";
    more.textContent = "显示更多结果";
    const page = async function () {
      more.disabled = true;
      let shown = 0;
      while (shown < SHOWN && next < found.ranked.length) {
        const batch = found.ranked.slice(next, next + SHOWN - shown);
        next += batch.length;
        const pages = await Promise.all(batch.map(function (n) { return load("d/" + n + ".js"); }));
        if (run !== current) return;
        const cuts = await Promise.all(
          pages.map(function (p, i) { return snippet(batch[i], p, found.words, !found.exact); })
        );
        if (run !== current) return;
        for (let i = 0; i < pages.length; i++) {
          const p = pages[i], cut = cuts[i];
          if (!cut.holds) { dropped++; total--; continue; }
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.className = "reference internal";
          link.href = p.url;
          const title = spans(p.title, found.words);
          marked(link, title.chars, 0, title.chars.length, title.spans);
          item.appendChild(link);
          item.appendChild(cut.node);
          list.appendChild(item);
          shown++;
        }
      }
      summary(counted());
      more.disabled = false;
      if (next >= found.ranked.length) more.remove();
      else if (!more.isConnected) results.appendChild(more);
      results.dataset.state = "done";
      results.dataset.dropped = String(dropped);
    };
    more.addEventListener("click", function () { results.dataset.state = "searching"; page(); });
    try {
      await page();
    } catch (error) {
      if (run === current) { summary(String(error.message || error)); results.dataset.state = "error"; }
    }
  }

  // For tests that check the page folds, cuts and hashes as book/search does.
  window.BookSearch.internals = {
    terms: async function (q) { await folding(); return terms(q); },
    grams: grams,
    bucketOf: bucketOf,
  };

  const params = new URLSearchParams(window.location.search);
  const initial = params.get("q") || "";
  if (input) {
    input.value = initial;
    let timer = null;
    const update = function () {
      const q = input.value;
      const url = new URL(window.location.href);
      url.searchParams.set("q", q);
      try { window.history.replaceState(null, "", url); } catch (e) { /* file:// may refuse */ }
      show(q);
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 250); });
    const form = input.closest("form");
    if (form) form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); update(); });
  }
  show(initial);
})();
