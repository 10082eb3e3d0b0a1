"use strict";
// The query UI. A query given in the address (?query=… or ?example=NAME) is shown, never
// run: only the Run button runs it, so that no other page can make a visitor's browser
// query this endpoint by linking here.
const BASE = "https://w3id.org/hrkg/id/";
const $ = (id) => document.getElementById(id);
let examples = [];

function link(iri) {
  if (iri.startsWith(BASE)) return "/id/" + iri.slice(BASE.length);
  // only http(s) IRIs become links: a javascript: or data: IRI is shown as text
  return /^https?:\/\//i.test(iri) ? iri : null;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const href = link(term.value);
    const text = term.value.startsWith(BASE) ? term.value.slice(BASE.length) : term.value;
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
  } else {
    td.textContent = term.value + (term["xml:lang"] ? "@" + term["xml:lang"] : "");
  }
  return td;
}

function show(data) {
  const out = $("results");
  out.replaceChildren();
  if ("boolean" in data) { out.textContent = String(data.boolean); return 1; }
  const table = document.createElement("table");
  table.id = "result-table";
  const head = document.createElement("tr");
  for (const v of data.head.vars) {
    const th = document.createElement("th"); th.textContent = v; head.appendChild(th);
  }
  table.appendChild(head);
  for (const row of data.results.bindings) {
    const tr = document.createElement("tr");
    for (const v of data.head.vars) tr.appendChild(cell(row[v]));
    table.appendChild(tr);
  }
  out.appendChild(table);
  return data.results.bindings.length;
}

async function run() {
  $("error").textContent = "";
  $("status").textContent = "running…";
  delete document.body.dataset.done;
  const started = performance.now();
  try {
    const resp = await fetch("/query", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json" },
      body: new URLSearchParams({ query: $("query").value }),
    });
    if (!resp.ok) {
      $("status").textContent = "";
      $("error").textContent = resp.status + ": " + await resp.text();
      document.body.dataset.done = "error";
      return;
    }
    const n = show(await resp.json());
    $("status").textContent = n + " rows in " + Math.round(performance.now() - started) + " ms";
    document.body.dataset.done = "yes";
  } catch (err) {
    $("status").textContent = "";
    $("error").textContent = String(err);
    document.body.dataset.done = "error";
  }
}

function pick(name) {
  const ex = examples.find((e) => e.name === name);
  if (!ex) return;
  $("examples").value = name;
  $("query").value = ex.query;
  $("question").textContent = ex.question;
}

async function init() {
  $("run").addEventListener("click", run);
  examples = await (await fetch("/examples.json")).json();
  for (const ex of examples) {
    const opt = document.createElement("option");
    opt.value = ex.name; opt.textContent = ex.name + " — " + ex.question.slice(0, 80);
    $("examples").appendChild(opt);
  }
  $("examples").addEventListener("change", (e) => pick(e.target.value));
  const params = new URLSearchParams(location.search);
  if (params.get("example")) pick(params.get("example"));
  if (params.get("query")) $("query").value = params.get("query");
  document.body.dataset.ready = "yes";
}
init();
