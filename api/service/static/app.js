// The translator's page: plain DOM code, no build step. Every server error is {"detail": "..."}.
"use strict";

const KEY_STORE = "duiqi.apiKey";
const STATUSES = ["preferred", "admitted", "proposed", "deprecated", "rejected"];
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

function provenance(zhDoc, enDoc, score) {
  const parts = [];
  const describe = (doc) => [doc.title, doc.date, doc.source].filter(Boolean).join(" · ");
  if (zhDoc) parts.push(describe(zhDoc) || zhDoc.id);
  if (enDoc && (!zhDoc || describe(enDoc) !== describe(zhDoc))) parts.push(describe(enDoc) || enDoc.id);
  if (score !== undefined) parts.push(`pair score ${score.toFixed(2)}`);
  return el("div", { class: "prov" }, parts.join("  |  "));
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

document.querySelectorAll(".tab").forEach((tab) => tab.addEventListener("click", () => {
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t === tab));
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== `view-${tab.dataset.view}`; });
}));

// ---------------------------------------------------------------- search

let searchTimer = null;
let searchSeq = 0;

$("#q").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(search, 250);
});

async function search() {
  const q = $("#q").value.trim();
  const seq = ++searchSeq;
  const url = new URL(window.location);
  if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!q) {
    $("#results").replaceChildren();
    $("#concordance").hidden = true;
    $("#status").textContent = "Type Chinese or English; results appear as you type.";
    return;
  }
  $("#status").textContent = "Searching…";
  try {
    const [terms, pairs] = await Promise.all([
      api(`/api/terms?q=${encodeURIComponent(q)}&limit=10`),
      api(`/api/concordance?q=${encodeURIComponent(q)}&limit=20`),
    ]);
    if (seq !== searchSeq) return; // a newer search has started
    renderTerms(terms.items);
    renderConcordance(pairs.items, terms.items);
    $("#status").textContent = terms.items.length
      ? `${terms.items.length} term${terms.items.length > 1 ? "s" : ""} for “${q}”`
      : `No term matches “${q}”.`;
    $("#status").className = "muted";
  } catch (error) {
    if (seq !== searchSeq) return;
    $("#status").textContent = error.message;
    $("#status").className = "error";
  }
}

function renderTerms(terms) {
  $("#results").replaceChildren(...terms.map(termCard));
  refreshKeyState();
}

function termCard(term) {
  const card = el("article", { class: "card term", "data-term-id": term.id });
  card.append(...[
    el("div", { class: "term-head" },
      el("span", { class: "term-zh", lang: "zh" }, term.zh),
      el("span", { class: "match" }, term.match)),
    term.definition ? el("p", { class: "definition" }, term.definition) : null,
    term.note ? el("p", { class: "muted" }, term.note) : null,
    equivalentsTable(term),
    examples(term),
  ].filter(Boolean));
  return card;
}

function equivalentsTable(term) {
  const rows = term.equivalents.map((eq) => equivalentRow(term, eq));
  return el("table", { class: "equivalents" },
    el("thead", {}, el("tr", {},
      ["English", "Status", "Frequency", "Confidence", "Note", ""].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 6, class: "muted" },
      "No equivalent yet."))));
}

function equivalentRow(term, eq) {
  const who = eq.reviewed_by
    ? el("div", { class: "who" }, `${eq.reviewed_by}${eq.reviewed_at ? ", " + eq.reviewed_at.slice(0, 10) : ""}`)
    : null;
  const row = el("tr", { class: `status-${eq.status}`, "data-en": eq.en },
    el("td", { class: "en" }, eq.en),
    el("td", {}, el("span", { class: `badge ${eq.status}` }, eq.status), who),
    el("td", { class: "num" }, eq.frequency ? String(eq.frequency) : "—"),
    el("td", { class: "num" }, eq.frequency || eq.confidence ? [
      el("span", { class: "meter" }, el("span", { style: `width:${Math.round(eq.confidence * 100)}%` })),
      eq.confidence.toFixed(2)] : el("span", { class: "muted", title: "curated, not yet seen in a corpus" }, "—")),
    el("td", { class: "note" }, eq.note),
    el("td", { class: "actions" },
      el("button", { "data-write": "", title: "Make this the preferred rendering",
        onclick: () => decide(term, eq.en, "preferred") }, "Approve"),
      " ",
      el("button", { "data-write": "", title: "Mark as wrong",
        onclick: () => decide(term, eq.en, "rejected") }, "Reject"),
      " ",
      el("button", { "data-write": "", onclick: () => editRow(term, eq, row) }, "Edit")));
  return row;
}

function editRow(term, eq, row) {
  const status = el("select", { "aria-label": "status" },
    STATUSES.map((s) => el("option", { value: s, selected: s === eq.status ? "" : null }, s)));
  const note = el("input", { value: eq.note, "aria-label": "note", size: 30 });
  row.classList.add("editing");
  row.children[1].replaceChildren(status);
  row.children[4].replaceChildren(note);
  row.children[5].replaceChildren(
    el("button", { class: "primary", onclick: () => decide(term, eq.en, status.value, note.value) }, "Save"),
    " ",
    el("button", { onclick: search }, "Cancel"));
}

async function decide(term, en, status, note) {
  const body = { equivalents: [{ en, status, ...(note === undefined ? {} : { note }) }] };
  try {
    const updated = await api(`/api/terms/${term.id}`, {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const card = document.querySelector(`[data-term-id="${term.id}"]`);
    updated.match = term.match;
    card.replaceWith(termCard(updated));
    refreshKeyState();
    $("#status").textContent = `Saved: ${term.zh} → ${en} is ${status}.`;
    $("#status").className = "muted";
  } catch (error) {
    $("#status").textContent = error.message;
    $("#status").className = "error";
  }
}

function examples(term) {
  const shown = term.equivalents.flatMap((eq) => eq.examples.map((ex) => [eq, ex])).slice(0, 4);
  if (!shown.length) return null;
  return el("div", {},
    el("h3", {}, "Examples"),
    el("div", { class: "pairs" }, shown.flatMap(([, ex]) => [
      el("div", { lang: "zh" }, highlighted(ex.zh_text, [ex.zh_span], "zh")),
      el("div", { lang: "en" }, highlighted(ex.en_text, [ex.en_span], "en")),
      provenance(ex.zh_doc, ex.en_doc, ex.pair_score),
    ])));
}

function renderConcordance(pairs, terms) {
  $("#concordance").hidden = !pairs.length;
  $("#conc-count").textContent = pairs.length ? `${pairs.length} aligned pair${pairs.length > 1 ? "s" : ""}` : "";
  const top = terms[0];
  const english = top ? top.equivalents.filter((e) => e.status !== "rejected").map((e) => e.en) : [];
  const chinese = top ? [top.zh] : [];
  $("#conc-rows").replaceChildren(el("div", { class: "pairs" }, pairs.flatMap((p) => [
    el("div", { lang: "zh" }, highlighted(p.zh_text, p.zh_hits.concat(findSpans(p.zh_text, chinese)), "zh")),
    el("div", { lang: "en" }, highlighted(p.en_text, p.en_hits.concat(findSpans(p.en_text, english)), "en")),
    provenance(p.zh_doc, p.en_doc, p.score),
  ])));
}

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
  $("#align-result").replaceChildren(el("div", { class: "card" },
    el("table", {},
      el("thead", {}, el("tr", {}, ["#", result.src_lang, result.tgt_lang, "Score"].map((h) => el("th", {}, h)))),
      el("tbody", {}, result.pairs.map((p, i) => el("tr", {},
        el("td", { class: "num muted" }, String(i + 1)),
        el("td", { lang: result.src_lang }, p.src_text || el("em", { class: "muted" }, "(omitted)")),
        el("td", { lang: result.tgt_lang }, p.tgt_text || el("em", { class: "muted" }, "(omitted)")),
        el("td", { class: `num score ${scoreClass(p.score)}` }, p.score.toFixed(2)))))),
    result.notes.length ? el("p", { class: "muted" }, result.notes.join(" ")) : null));
}

// ---------------------------------------------------------------- start

refreshKeyState();
const initial = new URL(window.location).searchParams.get("q");
if (initial) { $("#q").value = initial; search(); }
