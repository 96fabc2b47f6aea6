// The translator's page: plain DOM code, no build step. Every server error is {"detail": "..."}.
// Works under a strict Content-Security-Policy: no inline scripts, handlers or style attributes.
"use strict";

const KEY_STORE = "duiqi.apiKey";
const STATUSES = ["preferred", "admitted", "proposed", "deprecated", "rejected"];
const TERMS_PER_PAGE = 10;
const PAIRS_PER_PAGE = 20;
const KWIC_CONTEXT = 40; // characters of context shown on each side of a concordance hit
const MATCH_LABELS = {
  exact: "exact", prefix: "prefix", substring: "substring", script: "other script",
  spelling: "other spelling", plural: "singular/plural", typo: "one typo",
};
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  const key = sessionStorage.getItem(KEY_STORE);
  if (key && options.method && options.method !== "GET") headers.Authorization = `Bearer ${key}`;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw new Error((body && body.detail) || `${response.status} ${response.statusText}`);
  return body;
}

function say(message, isError = false) {
  $("#status").textContent = message;
  $("#status").className = isError ? "error" : "muted";
}

// Text with [start, end) spans wrapped in <mark class=cls>; overlapping spans are merged.
function highlighted(text, spans, cls) {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const span of sorted) {
    const start = Math.max(span.start, at);
    if (start >= span.end) continue;
    out.push(text.slice(at, start), el("mark", { class: cls }, text.slice(start, span.end)));
    at = span.end;
  }
  out.push(text.slice(at));
  return out;
}

// Where any of `needles` occurs in `text`, case-insensitively (for equivalents in concordance).
function findSpans(text, needles) {
  const lower = text.toLowerCase();
  const spans = [];
  for (const needle of needles) {
    const n = needle.toLowerCase();
    if (!n) continue;
    for (let i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, i + n.length)) {
      spans.push({ start: i, end: i + n.length });
    }
  }
  return spans;
}

function describeDoc(doc) { return [doc.title, doc.date, doc.source].filter(Boolean).join(" · "); }

function provenance(zhDoc, enDoc, score) {
  const parts = [];
  if (zhDoc) parts.push(describeDoc(zhDoc) || zhDoc.id);
  if (enDoc && (!zhDoc || describeDoc(enDoc) !== describeDoc(zhDoc))) parts.push(describeDoc(enDoc) || enDoc.id);
  if (score !== undefined) parts.push(`pair score ${score.toFixed(2)}`);
  return parts.join("  |  ");
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    say(`Copied ${what}.`);
  } catch (error) {
    say(`Could not copy (${error.message}); select the text and copy it by hand.`, true);
  }
}

function copyButton(text, what) {
  return el("button", { type: "button", class: "copy", "aria-label": `Copy ${what}`,
    onclick: () => copyText(text, what) }, "Copy");
}

// ---------------------------------------------------------------- API key

function refreshKeyState() {
  const key = sessionStorage.getItem(KEY_STORE);
  $("#key-state").textContent = key ? "reviewing enabled" : "read-only";
  $("#key-save").textContent = key ? "Forget key" : "Use key";
  $("#api-key").value = key ? "••••••••" : "";
  $("#api-key").disabled = Boolean(key);
  document.querySelectorAll("[data-write]").forEach((b) => { b.disabled = !key; });
}

$("#key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (sessionStorage.getItem(KEY_STORE)) sessionStorage.removeItem(KEY_STORE);
  else if ($("#api-key").value.trim()) sessionStorage.setItem(KEY_STORE, $("#api-key").value.trim());
  refreshKeyState();
});

// ---------------------------------------------------------------- tabs

function selectTab(tab) {
  document.querySelectorAll(".tab").forEach((t) => {
    const on = t === tab;
    t.classList.toggle("active", on);
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
  });
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== `view-${tab.dataset.view}`; });
}

document.querySelectorAll(".tab").forEach((tab) => {
  tab.addEventListener("click", () => selectTab(tab));
  tab.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const tabs = [...document.querySelectorAll(".tab")];
    const next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    selectTab(next);
    next.focus();
  });
});

// ---------------------------------------------------------------- search

let searchTimer = null;
let searchSeq = 0;
const state = { q: "", termOffset: 0, pairOffset: 0, terms: [] };

$("#q").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => search(), 250);
});

$("#q").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") { event.preventDefault(); moveFocus(1, null); }
  if (event.key === "Enter") { clearTimeout(searchTimer); search(); }
});

async function search({ termOffset = 0, pairOffset = 0 } = {}) {
  const q = $("#q").value.trim();
  const seq = ++searchSeq;
  Object.assign(state, { q, termOffset, pairOffset });
  const url = new URL(window.location);
  if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!q) {
    $("#results").replaceChildren();
    $("#concordance").hidden = true;
    $("#term-pager").hidden = true;
    say("Type Chinese or English; results appear as you type.");
    return;
  }
  say("Searching…");
  try {
    const [terms, pairs] = await Promise.all([
      api(`/api/terms?q=${encodeURIComponent(q)}&limit=${TERMS_PER_PAGE}&offset=${termOffset}`),
      api(concordanceUrl(q, pairOffset)),
    ]);
    if (seq !== searchSeq) return; // a newer search has started
    state.terms = terms.items;
    renderTerms(terms);
    renderConcordance(pairs, terms.items);
    say(termSummary(terms, q));
  } catch (error) {
    if (seq !== searchSeq) return;
    say(error.message, true);
  }
}

function termSummary(page, q) {
  if (!page.total) return `No term matches “${q}”.`;
  const count = `${page.total_exact ? "" : "more than "}${page.total} term${page.total > 1 ? "s" : ""}`;
  const top = page.items[0];
  const forgiven = top && !["exact", "prefix", "substring"].includes(top.match);
  return forgiven
    ? `${count} for “${top.matched}” (${MATCH_LABELS[top.match]}; nothing matched “${q}” as typed)`
    : `${count} for “${q}”`;
}

function concordanceUrl(q, offset) {
  const params = new URLSearchParams({ q, limit: String(PAIRS_PER_PAGE), offset: String(offset),
    sort: $("#conc-sort").value });
  const min = parseFloat($("#conc-min").value);
  if (min > 0) params.set("min_score", String(Math.min(min, 1)));
  for (const [field, id] of [["source", "#conc-source"], ["date_from", "#conc-from"], ["date_to", "#conc-to"]]) {
    if ($(id).value.trim()) params.set(field, $(id).value.trim());
  }
  return `/api/concordance?${params}`;
}

$("#conc-filters").addEventListener("change", () => search({ termOffset: state.termOffset }));
$("#conc-filters").addEventListener("submit", (event) => {
  event.preventDefault();
  search({ termOffset: state.termOffset });
});

function pager(node, page, perPage, go) {
  node.hidden = page.total <= perPage && page.offset === 0;
  const last = Math.min(page.offset + page.items.length, page.total);
  node.replaceChildren(
    el("button", { type: "button", disabled: page.offset === 0 ? "" : null,
      onclick: () => go(Math.max(0, page.offset - perPage)) }, "← Previous"),
    el("span", { class: "muted" },
      `${page.items.length ? page.offset + 1 : 0}–${last} of ${page.total_exact === false ? "more than " : ""}${page.total}`),
    el("button", { type: "button", disabled: last >= page.total && page.total_exact !== false ? "" : null,
      onclick: () => go(page.offset + perPage) }, "Next →"));
}

function renderTerms(page) {
  $("#results").replaceChildren(...page.items.map(termCard));
  pager($("#term-pager"), page, TERMS_PER_PAGE,
    (offset) => search({ termOffset: offset, pairOffset: state.pairOffset }));
  refreshKeyState();
}

function termCard(term) {
  const card = el("article", { class: "card term hit", tabindex: "0", "data-term-id": term.id,
    "aria-label": `${term.zh}: ${term.equivalents.map((e) => e.en).slice(0, 3).join(", ")}` });
  const forgiven = !["exact", "prefix", "substring"].includes(term.match);
  card.append(...[
    el("div", { class: "term-head" },
      el("h2", { class: "term-zh", lang: "zh" }, term.zh),
      el("span", { class: `match${forgiven ? " forgiven" : ""}` },
        forgiven ? `${MATCH_LABELS[term.match]}: ${term.matched}` : MATCH_LABELS[term.match])),
    term.definition ? el("p", { class: "definition" }, term.definition) : null,
    term.note ? el("p", { class: "muted" }, term.note) : null,
    equivalentsTable(term),
    examples(term),
  ].filter(Boolean));
  return card;
}

function equivalentsTable(term) {
  const rows = term.equivalents.map((eq) => equivalentRow(term, eq));
  const heads = ["English", "Status", "Frequency", "Confidence", "Note", "Actions"];
  return el("div", { class: "table-wrap" }, el("table", { class: "equivalents" },
    el("caption", { class: "visually-hidden" }, `English equivalents of ${term.zh}`),
    el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 6, class: "muted" },
      "No equivalent yet.")))));
}

function origin(eq) {
  const when = eq.reviewed_at ? `, ${eq.reviewed_at.slice(0, 10)}` : "";
  if (eq.reviewed_by) return el("div", { class: "who" }, `${eq.reviewed_by}${when}`);
  return eq.origin && eq.origin !== "extracted" ? el("div", { class: "who" }, eq.origin) : null;
}

function equivalentRow(term, eq) {
  const confidence = eq.frequency || eq.confidence
    ? [el("meter", { min: "0", max: "1", value: String(eq.confidence),
      "aria-label": `confidence ${eq.confidence.toFixed(2)}` }), " ", eq.confidence.toFixed(2)]
    : el("span", { class: "muted", title: "curated, not yet seen in a corpus" }, "—");
  const row = el("tr", { class: `status-${eq.status}`, "data-en": eq.en },
    el("td", { "data-label": "English" }, el("span", { class: "en" }, eq.en), " ",
      copyButton(eq.en, `“${eq.en}”`)),
    el("td", { "data-label": "Status" }, el("span", { class: `badge ${eq.status}` }, eq.status), origin(eq)),
    el("td", { class: "num", "data-label": "Frequency" }, eq.frequency ? String(eq.frequency) : "—"),
    el("td", { class: "num", "data-label": "Confidence" }, confidence),
    el("td", { class: "note", "data-label": "Note" }, eq.note),
    el("td", { class: "actions", "data-label": "Actions" },
      el("button", { type: "button", "data-write": "", title: "Make this the preferred rendering",
        onclick: () => decide(term, { status: "preferred", en: eq.en }) }, "Approve"),
      " ",
      el("button", { type: "button", "data-write": "", title: "Mark as wrong",
        onclick: () => decide(term, { status: "rejected", en: eq.en }) }, "Reject"),
      " ",
      el("button", { type: "button", "data-write": "", onclick: () => editRow(term, eq, row) }, "Edit")));
  return row;
}

function editRow(term, eq, row) {
  const wording = el("input", { value: eq.en, "aria-label": "English wording", maxlength: "300" });
  const status = el("select", { "aria-label": "status" },
    STATUSES.map((s) => el("option", { value: s, selected: s === eq.status ? "" : null }, s)));
  const note = el("input", { value: eq.note, "aria-label": "note", maxlength: "2000" });
  row.classList.add("editing");
  row.children[0].replaceChildren(wording);
  row.children[1].replaceChildren(status);
  row.children[4].replaceChildren(note);
  row.children[5].replaceChildren(
    el("button", { type: "button", class: "primary",
      onclick: () => decide(term, { en: eq.en, to: wording.value.trim(), status: status.value, note: note.value }) },
    "Save"),
    " ",
    el("button", { type: "button", onclick: () => search({ termOffset: state.termOffset, pairOffset: state.pairOffset }) },
      "Cancel"));
  wording.focus();
}

async function decide(term, { en, to, status, note }) {
  const renamed = to && to !== en;
  const final = renamed ? to : en;
  const body = {
    revision: term.revision,  // a colleague's save since this card was drawn is a 409, not undone
    renames: renamed ? [{ en, to }] : [],
    equivalents: [{ en: final, status, ...(note === undefined ? {} : { note }) }],
  };
  try {
    const updated = await api(`/api/terms/${term.id}`, {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const card = document.querySelector(`[data-term-id="${term.id}"]`);
    Object.assign(updated, { match: term.match, matched: term.matched });
    card.replaceWith(termCard(updated));
    refreshKeyState();
    say(`Saved: ${term.zh} → ${final} is ${status}.`);
  } catch (error) {
    say(error.message, true);
  }
}

// Every example of a term once (best pair first); pairs below the calibrated threshold are
// kept behind "more" so that a noisy pair never sits beside a good one.
function examples(term) {
  const seen = new Set();
  const all = term.equivalents
    .flatMap((eq) => eq.examples.map((ex) => ({ eq, ex })))
    .sort((a, b) => b.ex.pair_score - a.ex.pair_score)
    .filter(({ ex }) => {
      const key = `${ex.zh_text}\u0000${ex.en_text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  if (!all.length) return null;
  const strong = all.filter(({ ex }) => ex.confident).slice(0, 4);
  const weak = all.filter((item) => !strong.includes(item));
  return el("div", {},
    el("h3", {}, "Examples"),
    strong.length ? el("div", { class: "pairs" }, strong.flatMap(({ ex }) => exampleCells(ex)))
      : el("p", { class: "muted" }, "No example pair reaches the confidence threshold."),
    weak.length ? el("details", { class: "more" },
      el("summary", {}, `${weak.length} more, weaker pair${weak.length > 1 ? "s" : ""}`),
      el("div", { class: "pairs" }, weak.flatMap(({ ex }) => exampleCells(ex)))) : null);
}

function exampleCells(ex) {
  return [
    el("div", { lang: "zh" }, highlighted(ex.zh_text, [ex.zh_span], "zh")),
    el("div", { lang: "en" }, highlighted(ex.en_text, [ex.en_span], "en")),
    pairFooter(ex.zh_doc, ex.en_doc, ex.pair_score, `${ex.zh_text}\t${ex.en_text}`,
      { doc: ex.doc_zh, sentence: ex.sent_zh }),
  ];
}

function pairFooter(zhDoc, enDoc, score, tsv, target) {
  return el("div", { class: "prov" },
    el("span", {}, provenance(zhDoc, enDoc, score)),
    el("span", { class: "prov-actions" },
      copyButton(tsv, "the pair"), " ",
      el("button", { type: "button", class: "open", "data-doc": target.doc,
        "data-sentence": String(target.sentence), onclick: () => openArticle(target.doc, target.sentence) },
      "In its article")));
}

// ---------------------------------------------------------------- concordance

function kwic(text, hit, cls) {
  const left = text.slice(Math.max(0, hit.start - KWIC_CONTEXT), hit.start);
  const right = text.slice(hit.end, hit.end + KWIC_CONTEXT);
  return [
    el("span", { class: "kwic-left" }, el("span", {}, (hit.start > KWIC_CONTEXT ? "…" : "") + left)),
    el("mark", { class: `kwic-key ${cls}` }, text.slice(hit.start, hit.end)),
    el("span", { class: "kwic-right" }, right + (hit.end + KWIC_CONTEXT < text.length ? "…" : "")),
  ];
}

function renderConcordance(page, terms) {
  $("#concordance").hidden = !page.total && !filtersSet();
  $("#conc-count").textContent = page.total
    ? `${page.total} aligned pair${page.total > 1 ? "s" : ""}` : "no aligned pair";
  const top = terms[0];
  const english = top ? top.equivalents.filter((e) => e.status !== "rejected").map((e) => e.en) : [];
  const chinese = top ? [top.zh] : [];
  $("#conc-rows").replaceChildren(...page.items.map((p) => {
    const zhHits = p.zh_hits.concat(findSpans(p.zh_text, chinese));
    const enHits = p.en_hits.concat(findSpans(p.en_text, english));
    const zhKey = p.zh_hits[0], enKey = p.en_hits[0];
    const line = zhKey
      ? el("div", { class: "kwic", lang: "zh" }, kwic(p.zh_text, zhKey, "zh"))
      : el("div", { class: "kwic", lang: "en" }, kwic(p.en_text, enKey || { start: 0, end: 0 }, "en"));
    return el("div", { class: "conc-row hit", tabindex: "0", "data-doc": p.doc_zh,
      "data-sentence": String(p.zh_ids[0] ?? 0) },
      line,
      el("div", { class: "pairs" },
        el("div", { lang: "zh" }, highlighted(p.zh_text, zhHits, "zh")),
        el("div", { lang: "en" }, highlighted(p.en_text, enHits, "en")),
        pairFooter(p.zh_doc, p.en_doc, p.score, `${p.zh_text}\t${p.en_text}`,
          { doc: p.doc_zh, sentence: p.zh_ids[0] ?? 0 })));
  }));
  pager($("#conc-pager"), page, PAIRS_PER_PAGE,
    (offset) => search({ termOffset: state.termOffset, pairOffset: offset }));
}

function filtersSet() {
  return parseFloat($("#conc-min").value) > 0 ||
    ["#conc-source", "#conc-from", "#conc-to"].some((id) => $(id).value.trim());
}

// ---------------------------------------------------------------- an example in its article

async function openArticle(doc, sentence) {
  try {
    const page = await api(`/api/documents/${encodeURIComponent(doc)}/pairs?around=${sentence}&limit=7`);
    const d = page.document;
    $("#article-title").textContent = d ? (d.title || d.id) : doc;
    $("#article-meta").textContent = [d && d.source, d && d.date,
      `pairs ${page.offset + 1}–${page.offset + page.items.length} of ${page.total}`].filter(Boolean).join(" · ");
    $("#article-pairs").replaceChildren(el("div", { class: "pairs" }, page.items.flatMap((p, i) => [
      el("div", { lang: "zh", class: i === page.focus ? "focus" : null }, p.zh_text || "—"),
      el("div", { lang: "en", class: i === page.focus ? "focus" : null }, p.en_text || "—"),
    ])));
    $("#article-tmx").href = `/api/export/alignments/${encodeURIComponent(doc)}.tmx`;
    $("#article").showModal();
    $("#article-close").focus();
  } catch (error) {
    say(error.message, true);
  }
}

$("#article-close").addEventListener("click", () => $("#article").close());

// ---------------------------------------------------------------- keyboard

function hits() { return [...document.querySelectorAll("#view-glossary .hit")]; }

function moveFocus(step, from) {
  const all = hits();
  if (!all.length) return;
  const at = from ? all.indexOf(from) : -1;
  const next = at + step;
  if (next < 0) { $("#q").focus(); return; }
  all[Math.min(next, all.length - 1)].focus();
}

function typing(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement || target.isContentEditable;
}

document.addEventListener("keydown", (event) => {
  if (event.key === "/" && !typing(event.target) && !$("#article").open) {
    event.preventDefault();
    selectTab($("#tab-glossary"));
    $("#q").focus();
    $("#q").select();
    return;
  }
  const hit = event.target instanceof Element ? event.target.closest(".hit") : null;
  if (!hit || event.target !== hit) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    moveFocus(event.key === "ArrowDown" ? 1 : -1, hit);
  } else if (event.key === "Enter") {
    const open = hit.querySelector("button.open") || (hit.dataset.doc ? hit : null);
    if (open) openArticle(open.dataset.doc, Number(open.dataset.sentence));
  }
});

// ---------------------------------------------------------------- add a term

$("#add-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const en = $("#add-en").value.trim();
  const body = {
    zh: $("#add-zh").value.trim(), definition: $("#add-definition").value.trim(),
    note: $("#add-note").value.trim(),
    equivalents: en ? [{ en, status: $("#add-status").value }] : [],
  };
  try {
    const term = await api("/api/terms", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    $("#add-status-line").textContent = `Added ${term.zh}.`;
    $("#add-status-line").className = "muted";
    $("#add-form").reset();
    $("#q").value = term.zh;
    search();
  } catch (error) {
    $("#add-status-line").textContent = error.message;
    $("#add-status-line").className = "error";
  }
});

// ---------------------------------------------------------------- alignment

for (const side of ["src", "tgt"]) {
  $(`#${side}-file`).addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (file) $(`#${side}-text`).value = await file.text();
  });
}

$("#align-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { src_text: $("#src-text").value, tgt_text: $("#tgt-text").value, mode: $("#mode").value };
  $("#align-status").textContent = "Aligning… (the first run loads the model)";
  $("#align-status").className = "muted";
  $("#align-go").disabled = true;
  try {
    const result = await api("/api/align", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    renderAlignment(result);
    offerDownloads(result);
    $("#align-status").textContent =
      `${result.pairs.length} beads, ${result.src_sentences} + ${result.tgt_sentences} sentences, mode ${result.mode}`;
  } catch (error) {
    $("#align-status").textContent = error.message;
    $("#align-status").className = "error";
  } finally {
    $("#align-go").disabled = false;
  }
});

function scoreClass(score) { return score >= 0.7 ? "hi" : score >= 0.4 ? "mid" : "lo"; }

function renderAlignment(result) {
  $("#align-result").replaceChildren(el("div", { class: "card table-wrap" },
    el("table", { class: "alignment" },
      el("caption", { class: "visually-hidden" }, "Aligned sentence pairs"),
      el("thead", {}, el("tr", {}, ["#", result.src_lang, result.tgt_lang, "Score"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, result.pairs.map((p, i) => el("tr", {},
        el("td", { class: "num muted" }, String(i + 1)),
        el("td", { lang: result.src_lang }, p.src_text || el("em", { class: "muted" }, "(omitted)")),
        el("td", { lang: result.tgt_lang }, p.tgt_text || el("em", { class: "muted" }, "(omitted)")),
        el("td", { class: `num score ${scoreClass(p.score)}` }, p.score.toFixed(2)))))),
    result.notes.length ? el("p", { class: "muted" }, result.notes.join(" ")) : null));
}

// The alignment as files, built here from what the page shows: TMX 1.4b and a TSV
// (source, target, score). Omitted sentences (empty on one side) are left out of the TMX.
function xml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c])
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

function tmxOf(result) {
  const units = result.pairs.filter((p) => p.src_text && p.tgt_text).map((p) =>
    `    <tu>\n      <prop type="x-score">${p.score.toFixed(4)}</prop>\n` +
    `      <tuv xml:lang="${result.src_lang}"><seg>${xml(p.src_text)}</seg></tuv>\n` +
    `      <tuv xml:lang="${result.tgt_lang}"><seg>${xml(p.tgt_text)}</seg></tuv>\n    </tu>\n`).join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n` +
    `  <header creationtool="duiqi" creationtoolversion="0.1.0" segtype="sentence" ` +
    `o-tmf="duiqi" adminlang="en" srclang="${result.src_lang}" datatype="plaintext"/>\n` +
    `  <body>\n${units}  </body>\n</tmx>\n`;
}

function tsvOf(result) {
  const clean = (text) => text.replace(/[\t\r\n]+/g, " ");
  return result.pairs.map((p) => `${clean(p.src_text)}\t${clean(p.tgt_text)}\t${p.score.toFixed(4)}\n`).join("");
}

const downloadUrls = [];
function offerDownloads(result) {
  downloadUrls.splice(0).forEach((u) => URL.revokeObjectURL(u));
  const tmx = URL.createObjectURL(new Blob([tmxOf(result)], { type: "application/x-tmx+xml" }));
  const tsv = URL.createObjectURL(new Blob([tsvOf(result)], { type: "text/tab-separated-values" }));
  downloadUrls.push(tmx, tsv);
  $("#dl-tmx").href = tmx;
  $("#dl-tsv").href = tsv;
  $("#align-downloads").hidden = false;
}

// ---------------------------------------------------------------- start

refreshKeyState();
const initial = new URL(window.location).searchParams.get("q");
if (initial) { $("#q").value = initial; search(); }
