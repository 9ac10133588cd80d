/* unspin's web page: a client of the JSON API served beside it. No framework, no build. */
"use strict";

const $ = (selector) => document.querySelector(selector);
const VERDICTS = {
  copy: "a near-verbatim copy",
  spun: "a spun copy: words systematically swapped for synonyms",
  paraphrase: "a paraphrase: reworded, with the same content in the same order",
  partial: "a partial copy: some passages are reused",
  original: "original: no source in the index covers it",
};
const state = { health: null, result: null, open: -1, passage: -1, file: null, addFiles: [], offset: 0, limit: 25, query: "" };

/* --- small helpers ------------------------------------------------------------------- */

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const percent = (x) => `${Math.round((x || 0) * 100)}%`;
const LANGUAGES = { es: "Spanish", ca: "Catalan", gl: "Galician", eo: "Esperanto", eu: "Basque",
  is: "Icelandic", mk: "Macedonian", hr: "Croatian", sr: "Serbian", bs: "Bosnian" };
const verdictBadge = (verdict) => el("span", { class: `verdict ${verdict}` }, verdict);

function setStatus(node, kind, message) {
  node.className = `status ${kind || ""}`;
  node.replaceChildren();
  if (!message) return;
  if (kind === "loading") node.append(el("span", { class: "spinner", "aria-hidden": "true" }));
  node.append(message);
}

async function api(method, path, body, extraHeaders = {}) {
  const headers = { Accept: "application/json", ...extraHeaders };
  const options = { method, headers };
  if (body instanceof FormData) options.body = body;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new Error("The server cannot be reached. Is 'unspin serve' still running?");
  }
  let data = null;
  try { data = await response.json(); } catch (error) { /* not JSON */ }
  if (!response.ok) {
    const message = (data && data.error) || `${response.status} ${response.statusText}`;
    const error = new Error(data && data.id && !message.includes(data.id) ? `${data.id}: ${message}` : message);
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

const looksLikeHtml = (text) => /^\s*</.test(text) && /<\/?(html|body|p|div|article|h1|span|br)\b/i.test(text);
const sourceUrl = (id) => `/source?id=${encodeURIComponent(id)}`;

async function refreshHealth() {
  try {
    state.health = await api("GET", "/health");
    $("#source-count").textContent = state.health.sources;
    $("#token-field").hidden = !state.health.token_required;
  } catch (error) { /* the views report errors themselves */ }
}

/* --- views ---------------------------------------------------------------------------- */

function route() {
  const view = location.hash.startsWith("#/sources") ? "sources" : "check";
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  for (const link of document.querySelectorAll("nav a[data-view]")) link.classList.toggle("active", link.dataset.view === view);
  if (view === "sources") loadSources();
}

/* --- check ---------------------------------------------------------------------------- */

function chooseCheckFile(file) {
  state.file = file || null;
  const chip = $("#check-file-name");
  chip.hidden = !file;
  chip.replaceChildren();
  if (file) {
    chip.append(file.name, el("button", { type: "button", "aria-label": "Remove the file", onclick: () => chooseCheckFile(null) }, "×"));
  }
  if (!file) $("#check-file").value = "";
}

async function runCheck(event) {
  event.preventDefault();
  const text = $("#check-text").value;
  const status = $("#check-status");
  if (!state.file && !text.trim()) {
    setStatus(status, "error", "Paste a text or choose a file first.");
    $("#check-text").focus();
    return;
  }
  let body;
  if (state.file) {
    body = new FormData();
    body.append("file", state.file, state.file.name);
  } else {
    body = looksLikeHtml(text) ? { html: text } : { text };
  }
  const button = $("#check-button");
  button.disabled = true;
  $("#check-empty").hidden = true;
  $("#result").setAttribute("aria-busy", "true");
  setStatus(status, "loading", state.file ? `Checking ${state.file.name}…` : "Checking…");
  try {
    const [result] = await Promise.all([api("POST", "/check?include_text=true", body), refreshHealth()]);
    setStatus(status, "", "");
    showResult(result);
  } catch (error) {
    setStatus(status, "error", error.message);
    $("#result").hidden = true;
  } finally {
    button.disabled = false;
    $("#result").removeAttribute("aria-busy");
  }
}

function showResult(result) {
  state.result = result;
  state.open = -1;
  $("#result").hidden = false;
  const banner = $("#verdict-banner");
  const best = result.matches[0];
  const sentence = best
    ? [`This text is ${VERDICTS[result.verdict]}. Best source: `, el("strong", {}, best.title || best.source_id),
       ` (${percent(best.coverage)} of the text covered, ${percent(best.spin_rate)} of the source's words changed).`]
    : [`This text looks ${VERDICTS.original}`, state.health ? ` (${state.health.sources} sources searched).` : "."];
  // A quotation shared with a source (an official statement every outlet quotes) is shown, not counted.
  const shared = result.shared_quotes || [];
  const note = shared.length
    ? [el("br"), el("span", { class: "muted shared-quotes" }, "It shares a quotation with ",
        shared.flatMap((quote, k) => [k ? ", " : "", el("strong", {}, quote.title || quote.source_id)]),
        ": quoted by both, not counted as copying.")]
    : [];
  // A text in another language was compared through its English translation; its marks are in its own words.
  const translated = result.translation
    ? [el("br"), el("span", { class: "muted translation" },
        `Written in ${LANGUAGES[result.translation.from] || result.translation.from}: compared with the sources through its English translation (${result.translation.engine}).`)]
    : [];
  banner.replaceChildren(verdictBadge(result.verdict), el("p", {}, sentence, note, translated), intrinsicNote(result.intrinsic));
  const list = $("#matches");
  list.replaceChildren();
  result.matches.forEach((match, k) => {
    const item = el("li", { class: "match", tabindex: "0", role: "button", "data-source": match.source_id,
      "aria-label": `Compare with ${match.title || match.source_id}` },
      el("div", {}, verdictBadge(match.verdict), " ", el("span", { class: "mono id" }, match.source_id)),
      el("div", { class: "title" }, match.title || match.source_id),
      el("div", { class: "figures" },
        el("span", {}, el("b", {}, percent(match.coverage)), " of the text"),
        el("span", {}, el("b", {}, percent(match.source_coverage)), " of the source"),
        el("span", {}, el("b", {}, percent(match.spin_rate)), " spun"),
        el("span", {}, el("b", {}, match.passages.length), match.passages.length === 1 ? " passage" : " passages")),
      el("div", { class: "bar", title: "share of the text found in this source" }, el("span", { style: `width:${percent(match.coverage)}` })));
    item.addEventListener("click", () => openMatch(k));
    item.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); openMatch(k); } });
    list.append(item);
  });
  $("#compare").hidden = true;
  if (result.matches.length) openMatch(0);
}

// The text's own spin score (from its words alone, whatever the index holds) and its tells:
// words much rarer than the usual word a writer would have used there.
function intrinsicNote(intrinsic) {
  if (!intrinsic) return "";
  const tells = intrinsic.words.slice(0, 8).map((tell) =>
    el("li", {}, el("span", { class: "tell", title: `usually: ${tell.usual.join(", ")}` }, tell.word),
      " ", el("span", { class: "muted" }, `(usually ${tell.usual.slice(0, 2).join(" / ")})`)));
  const verdict = intrinsic.spun
    ? [verdictBadge("spun"), " By its own words this text reads as spun"]
    : ["By its own words this text does not read as spun"];
  return el("div", { class: "intrinsic", id: "intrinsic" },
    el("p", {}, ...verdict, ` (intrinsic spin score ${intrinsic.spin_score.toFixed(2)})`,
      intrinsic.declared ? ", and it says it was run through a spinner." : ".",
      tells.length ? " Words rarer than the usual ones:" : ""),
    tells.length ? el("ul", { class: "tells" }, ...tells) : "");
}

async function openMatch(k) {
  const match = state.result.matches[k];
  state.open = k;
  state.passage = -1;
  document.querySelectorAll(".match").forEach((node, n) => node.classList.toggle("open", n === k));
  const compare = $("#compare");
  compare.hidden = false;
  $("#compare-title").replaceChildren(verdictBadge(match.verdict), " ", match.title || match.source_id);
  $("#source-heading").replaceChildren("Source", el("span", { class: "mono" }, match.source_id));
  $("#pane-suspect").replaceChildren(renderSide(state.result.text, match.passages, "suspect"));
  const sourcePane = $("#pane-source");
  sourcePane.replaceChildren(el("span", { class: "muted" }, el("span", { class: "spinner" }), "Loading the source…"));
  updatePassageNav();
  try {
    const source = await api("GET", sourceUrl(match.source_id));
    if (state.open !== k) return;
    sourcePane.replaceChildren(renderSide(source.text, match.passages, "source"));
  } catch (error) {
    sourcePane.replaceChildren(el("span", { class: "status error" }, `The source could not be loaded: ${error.message}`));
  }
}

/* The text of one side with its passages as <mark> and, inside them, the swapped words as
   <ins> (suspect side: words the copy put in) or <del> (source side: words it replaced). */
function renderSide(text, passages, side) {
  const other = side === "suspect" ? "source" : "suspect";
  const fragment = document.createDocumentFragment();
  const order = passages.map((p, k) => k).sort((a, b) => passages[a][side][0] - passages[b][side][0]);
  let cursor = 0;
  for (const k of order) {
    const passage = passages[k];
    const [start, end] = passage[side];
    if (start < cursor) continue; // overlapping on the source side: show each stretch once
    fragment.append(text.slice(cursor, start));
    const mark = el("mark", { class: passage.quote ? "quote" : "passage", id: `${side}-${k}`, "data-k": k,
      title: passage.quote ? "Shared quotation" : `Passage ${k + 1}: ${passage.matched_words} words kept` });
    let inner = start;
    for (const swap of passage.substitutions) {
      const [s0, s1] = swap[side];
      if (s0 >= s1 || s0 < inner || s1 > end) continue;
      mark.append(text.slice(inner, s0));
      const otherWords = swap[`${other}_text`] || "(nothing)";
      const rewrite = swap.kind === "rewrite";
      const verb = side === "suspect" ? (rewrite ? "rewritten from" : "was") : (rewrite ? "rewritten as" : "became");
      mark.append(el(side === "suspect" ? "ins" : "del", { title: `${verb}: ${otherWords}` },
        text.slice(s0, s1)));
      inner = s1;
    }
    mark.append(text.slice(inner, end));
    fragment.append(mark);
    cursor = end;
  }
  fragment.append(text.slice(cursor));
  return fragment;
}

function focusPassage(k) {
  const match = state.result && state.result.matches[state.open];
  if (!match || !match.passages.length) return;
  state.passage = (k + match.passages.length) % match.passages.length;
  document.querySelectorAll("mark.focus").forEach((mark) => mark.classList.remove("focus"));
  for (const side of ["suspect", "source"]) {
    const mark = document.getElementById(`${side}-${state.passage}`);
    const pane = $(`#pane-${side}`);
    if (!mark) continue;
    void mark.offsetWidth; // restart the flash animation
    mark.classList.add("focus");
    pane.scrollTo({ top: Math.max(0, mark.offsetTop - 48), behavior: "smooth" });
  }
  updatePassageNav();
}

function updatePassageNav() {
  const match = state.result && state.result.matches[state.open];
  const count = match ? match.passages.length : 0;
  $("#passage-pos").textContent = count
    ? (state.passage >= 0 ? `passage ${state.passage + 1} of ${count}` : `${count} passage${count === 1 ? "" : "s"}`)
    : "no passages";
  $("#prev-passage").disabled = $("#next-passage").disabled = !count;
}

/* --- sources -------------------------------------------------------------------------- */

let listRequests = 0;

async function loadSources() {
  const status = $("#sources-status");
  const list = $("#source-list");
  const request = ++listRequests; // only the latest request may draw the list
  setStatus(status, "loading", "Loading sources…");
  const params = new URLSearchParams({ offset: state.offset, limit: state.limit });
  if (state.query) params.set("q", state.query);
  try {
    const page = await api("GET", `/sources?${params}`);
    if (request !== listRequests) return;
    $("#source-count").textContent = page.total;
    list.replaceChildren();
    if (!page.sources.length) {
      setStatus(status, "", state.query
        ? `No source matches “${state.query}”.`
        : page.total ? "No more sources." : "The index is empty. Add a source here, or run: unspin index add PATH");
    } else {
      setStatus(status, "", "");
    }
    for (const row of page.sources) {
      list.append(el("li", { "data-id": row.id },
        el("div", { class: "what" },
          el("div", { class: "title" }, row.title || row.id),
          el("div", { class: "mono meta" }, row.id),
          el("div", { class: "meta" }, [`${row.words} words`, row.site, row.date, row.added && `added ${row.added.slice(0, 10)}`].filter(Boolean).join(" · "))),
        el("button", { type: "button", class: "button small secondary", onclick: () => viewSource(row.id) }, "View"),
        el("button", { type: "button", class: "button small secondary danger", "aria-label": `Remove ${row.id}`, onclick: () => removeSource(row.id) }, "Remove")));
    }
    const first = page.sources.length ? page.offset + 1 : 0;
    $("#page-info").textContent = page.sources.length
      ? `${first}–${page.offset + page.sources.length}${state.query ? "" : ` of ${page.total}`}` : "";
    $("#page-prev").disabled = page.offset === 0;
    $("#page-next").disabled = !page.more;
  } catch (error) {
    if (request !== listRequests) return;
    setStatus(status, "error", `The sources could not be listed: ${error.message}`);
  }
}

async function viewSource(id) {
  const view = $("#source-view");
  view.hidden = false;
  $("#source-view-title").textContent = id;
  $("#source-view-meta").textContent = "";
  $("#source-view-text").replaceChildren(el("span", { class: "spinner" }), "Loading…");
  try {
    const source = await api("GET", sourceUrl(id));
    $("#source-view-title").textContent = source.title || source.id;
    $("#source-view-meta").textContent = [source.id, source.url !== source.id && source.url, source.date].filter(Boolean).join(" · ");
    $("#source-view-text").replaceChildren(source.text);
  } catch (error) {
    $("#source-view-text").replaceChildren(el("span", { class: "status error" }, error.message));
  }
  view.scrollIntoView({ behavior: "smooth", block: "start" });
}

function authHeaders() {
  const token = $("#token").value.trim() || sessionStorage.getItem("unspin-token") || "";
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function rememberToken() {
  const token = $("#token").value.trim();
  if (token) sessionStorage.setItem("unspin-token", token);
}

function explainWriteError(error) {
  if (error.status === 401) {
    $("#token-field").hidden = false;
    $("#token").focus();
    return "This server needs its token to change the index: enter it and try again.";
  }
  return error.message;
}

async function removeSource(id) {
  if (!confirm(`Remove “${id}” from the index?`)) return;
  try {
    await api("DELETE", sourceUrl(id), undefined, authHeaders());
    rememberToken();
    setStatus($("#sources-status"), "ok", `Removed ${id}.`);
    $("#source-view").hidden = true;
    await refreshHealth();
    await loadSources();
  } catch (error) {
    setStatus($("#sources-status"), "error", explainWriteError(error));
  }
}

function chooseAddFiles(files) {
  state.addFiles = Array.from(files || []);
  const chip = $("#add-file-name");
  chip.hidden = !state.addFiles.length;
  chip.replaceChildren();
  if (state.addFiles.length) {
    chip.append(state.addFiles.length === 1 ? state.addFiles[0].name : `${state.addFiles.length} files`,
      el("button", { type: "button", "aria-label": "Remove the files", onclick: () => chooseAddFiles([]) }, "×"));
  } else {
    $("#add-file").value = "";
  }
}

async function addSource(event) {
  event.preventDefault();
  const status = $("#add-status");
  const text = $("#add-text").value;
  if (!text.trim() && !state.addFiles.length) {
    setStatus(status, "error", "Paste the source's text or choose a file.");
    $("#add-text").focus();
    return;
  }
  let body;
  if (state.addFiles.length) {
    body = new FormData();
    for (const file of state.addFiles) body.append("file", file, file.name);
  } else {
    body = looksLikeHtml(text) ? { html: text } : { text };
    for (const name of ["id", "title", "url"]) {
      const value = $(`#add-${name}`).value.trim();
      if (value) body[name] = value;
    }
  }
  const button = $("#add-button");
  button.disabled = true;
  setStatus(status, "loading", "Adding…");
  try {
    const answer = await api("POST", "/sources", body, authHeaders());
    rememberToken();
    const done = answer.results.map((r) => `${r.id} (${r.status})`).join(", ");
    const failed = answer.errors.map((e) => `${e.id}: ${e.error}`).join("; ");
    $("#add-form").reset();
    $("#token").value = sessionStorage.getItem("unspin-token") || "";
    chooseAddFiles([]);
    state.offset = 0;
    state.query = "";
    $("#search").value = "";
    await Promise.all([refreshHealth(), loadSources()]);
    setStatus(status, failed ? "error" : "ok", `Added: ${done}.${failed ? ` Not added: ${failed}` : ""} The index holds ${answer.total} sources.`);
  } catch (error) {
    setStatus(status, "error", explainWriteError(error));
  } finally {
    button.disabled = false;
  }
}

/* --- wiring --------------------------------------------------------------------------- */

function wireDrop(zone, onFiles) {
  let depth = 0;
  zone.addEventListener("dragenter", (event) => { event.preventDefault(); depth += 1; zone.classList.add("dragging"); });
  zone.addEventListener("dragover", (event) => event.preventDefault());
  zone.addEventListener("dragleave", () => { depth = Math.max(0, depth - 1); if (!depth) zone.classList.remove("dragging"); });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    depth = 0;
    zone.classList.remove("dragging");
    if (event.dataTransfer && event.dataTransfer.files.length) onFiles(event.dataTransfer.files);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("#check-form").addEventListener("submit", runCheck);
  $("#check-file").addEventListener("change", (event) => chooseCheckFile(event.target.files[0]));
  $("#check-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runCheck(event);
  });
  wireDrop($("#check-form"), (files) => chooseCheckFile(files[0]));
  for (const side of ["suspect", "source"]) {
    $(`#pane-${side}`).addEventListener("click", (event) => {
      const mark = event.target.closest("mark[data-k]");
      if (mark) focusPassage(Number(mark.dataset.k));
    });
  }
  $("#prev-passage").addEventListener("click", () => focusPassage(state.passage < 0 ? -1 : state.passage - 1));
  $("#next-passage").addEventListener("click", () => focusPassage(state.passage + 1));

  $("#search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.query = $("#search").value.trim();
    state.offset = 0;
    loadSources();
  });
  $("#page-prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); loadSources(); });
  $("#page-next").addEventListener("click", () => { state.offset += state.limit; loadSources(); });
  $("#add-form").addEventListener("submit", addSource);
  $("#add-file").addEventListener("change", (event) => chooseAddFiles(event.target.files));
  wireDrop($("#add-form"), chooseAddFiles);
  $("#source-view-close").addEventListener("click", () => { $("#source-view").hidden = true; });
  $("#token").value = sessionStorage.getItem("unspin-token") || "";

  window.addEventListener("hashchange", route);
  refreshHealth();
  route();
});
