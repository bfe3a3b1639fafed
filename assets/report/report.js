// The page of `grade report` (src/report/html.ts inlines this file after uPlot). It reads the
// report's data from <script id="report-data" type="application/json"> (columns, not row
// objects: compact), renders the run, the summary and the charts, and a virtualized table: only
// the rows in view are in the DOM, so 100,000 rows scroll, sort and filter at once. Nothing is
// fetched. When it is ready, <html data-ready="…ms"> tells tests and the benchmark.
(function () {
  "use strict";
  const started = performance.now();
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const $ = (sel, el) => (el || document).querySelector(sel);
  const h = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) if (kid !== undefined && kid !== null && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
    return el;
  };
  const fmt = (x, digits = 3) => (x === null || x === undefined || Number.isNaN(x) ? "–" : Number.isInteger(x) ? x.toLocaleString("en") : Number(x.toFixed(digits)).toString());
  const pct = (x) => (x === null || x === undefined ? "–" : `${(x * 100).toFixed(1)}%`);
  const ci = (i) => (!i || i.estimate === null ? "–" : `${fmt(i.estimate)} [${fmt(i.low)}, ${fmt(i.high)}]`);
  const pretty = (json) => {
    try {
      return JSON.stringify(JSON.parse(json), null, 2);
    } catch {
      return json;
    }
  };
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

  // Theme: the system's, or the one chosen (kept for the next opening when storage allows).
  const themes = ["auto", "light", "dark"];
  let theme = "auto";
  try {
    theme = localStorage.getItem("grade-report-theme") || "auto";
  } catch {
    /* file:// storage may be off */
  }
  const applyTheme = () => {
    if (theme === "auto") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    $("#theme").textContent = `Theme: ${theme}`;
  };
  const charts = [];
  const redraw = () => charts.forEach((c) => c.draw());

  function chartBox(title, height) {
    const box = h("div", { class: "chart", role: "img", "aria-label": title });
    box.dataset.height = height || 200;
    return box;
  }
  /** Bars of a histogram [{from, to, count}]. */
  function histogram(box, bins, title, colorVar) {
    const draw = () => {
      box.replaceChildren(h("h3", { text: title }));
      const xs = bins.map((b) => (b.from + b.to) / 2);
      const ys = bins.map((b) => b.count);
      const width = Math.max(240, box.clientWidth - 16);
      const plot = new uPlot(
        {
          width,
          height: Number(box.dataset.height),
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: false, range: [bins[0].from, bins[bins.length - 1].to] } },
          axes: [
            { stroke: css("--muted"), grid: { stroke: css("--line") }, ticks: { stroke: css("--line") } },
            { stroke: css("--muted"), grid: { stroke: css("--line") }, ticks: { stroke: css("--line") } },
          ],
          series: [{}, { label: "rows", fill: css(colorVar || "--bar"), stroke: css(colorVar || "--bar"), paths: uPlot.paths.bars({ size: [0.92, Infinity], align: 0 }), points: { show: false } }],
        },
        [xs, ys],
        box,
      );
      box.append(h("p", { class: "muted", text: bins.map((b) => `${fmt(b.from)}–${fmt(b.to)}: ${b.count}`).join(" · ") }));
      return plot;
    };
    charts.push({ draw: () => draw() });
  }
  /** Points (x, y) and the line y = x. */
  function scatter(box, xs, ys, title, xLabel, yLabel) {
    const order = Array.from(xs.keys()).sort((i, j) => xs[i] - xs[j]);
    const x = order.map((i) => xs[i]);
    const y = order.map((i) => ys[i]);
    const draw = () => {
      box.replaceChildren(h("h3", { text: title }));
      new uPlot(
        {
          width: Math.max(240, box.clientWidth - 16),
          height: Number(box.dataset.height),
          legend: { show: false },
          scales: { x: { time: false } },
          axes: [
            { label: xLabel, stroke: css("--muted"), grid: { stroke: css("--line") } },
            { label: yLabel, stroke: css("--muted"), grid: { stroke: css("--line") } },
          ],
          series: [
            {},
            { label: yLabel, stroke: css("--bar"), paths: () => null, points: { show: true, size: 4, space: 0, fill: css("--bar"), stroke: css("--bar") } },
            { label: "equal", stroke: css("--muted"), dash: [4, 4], width: 1, points: { show: false } },
          ],
        },
        [x, y, x],
        box,
      );
    };
    charts.push({ draw });
  }

  /** The virtualized table: `columns` [{key, label, width, value(i), render(i)?, numeric}], rows = indices. */
  function table(root, columns, count, opts) {
    const ROW = 30;
    const state = { view: opts.initialView(), sortKey: opts.sortKey || null, sortDir: opts.sortDir || 1, active: 0 };
    const cols = columns.map((c) => c.width || "1fr").join(" ");
    const head = h("div", { class: "head", role: "row", style: `--cols:${cols}` });
    const body = h("div", { class: "body", tabindex: "0", role: "grid", "aria-label": opts.label, "aria-rowcount": String(count) });
    const spacer = h("div", { class: "spacer" });
    body.append(spacer);
    const counter = opts.counter;
    for (const c of columns) {
      const b = h("button", { type: "button", role: "columnheader", "data-key": c.key, title: `sort by ${c.label}`, text: c.label });
      b.addEventListener("click", () => {
        if (state.sortKey === c.key) state.sortDir = -state.sortDir;
        else {
          state.sortKey = c.key;
          state.sortDir = c.numeric ? -1 : 1;
        }
        sort();
        render();
      });
      head.append(b);
    }
    root.append(h("div", { class: "grid", style: `--cols:${cols}` }, head, body));

    function sort() {
      const c = columns.find((x) => x.key === state.sortKey);
      for (const b of head.children) b.setAttribute("aria-sort", b.dataset.key === state.sortKey ? (state.sortDir > 0 ? "ascending" : "descending") : "none");
      if (!c) return;
      const dir = state.sortDir;
      const keyed = Array.from(state.view, (i) => [c.value(i), i]);
      keyed.sort((p, q) => {
        const a = p[0];
        const b = q[0];
        const an = a === null || a === undefined || Number.isNaN(a);
        const bn = b === null || b === undefined || Number.isNaN(b);
        if (an || bn) return an === bn ? p[1] - q[1] : an ? 1 : -1;
        if (a < b) return -dir;
        if (a > b) return dir;
        return p[1] - q[1];
      });
      state.view = Uint32Array.from(keyed, (k) => k[1]);
    }
    let drawn = "";
    function render(force) {
      const n = state.view.length;
      spacer.style.height = `${n * ROW}px`;
      const top = body.scrollTop;
      const first = Math.max(0, Math.floor(top / ROW) - 5);
      const last = Math.min(n, Math.ceil((top + body.clientHeight) / ROW) + 5);
      const key = `${first}:${last}:${n}:${state.active}:${state.sortKey}:${state.sortDir}`;
      if (key === drawn && !force) return;
      drawn = key;
      const rows = [];
      for (let k = first; k < last; k++) {
        const i = state.view[k];
        const row = h("div", { class: `r${k === state.active ? " active" : ""}`, role: "row", id: `row-${k}`, "aria-rowindex": String(k + 1), style: `top:${k * ROW}px;--cols:${cols}`, "data-index": String(i) });
        for (const c of columns) {
          const cell = h("span", { role: "gridcell" });
          if (c.render) c.render(i, cell);
          else cell.textContent = c.text ? c.text(i) : fmt(c.value(i));
          row.append(cell);
        }
        row.addEventListener("click", () => {
          state.active = k;
          render(true);
          opts.open(i);
        });
        rows.push(row);
      }
      spacer.replaceChildren(...rows);
      body.setAttribute("aria-activedescendant", n ? `row-${state.active}` : "");
      if (counter) counter.textContent = `${n.toLocaleString("en")} of ${count.toLocaleString("en")} rows`;
    }
    body.addEventListener("scroll", () => render());
    body.addEventListener("keydown", (e) => {
      const n = state.view.length;
      if (!n) return;
      const page = Math.max(1, Math.floor(body.clientHeight / ROW) - 1);
      const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -n, End: n };
      if (e.key in moves) {
        e.preventDefault();
        state.active = Math.max(0, Math.min(n - 1, state.active + moves[e.key]));
        const y = state.active * ROW;
        if (y < body.scrollTop) body.scrollTop = y;
        else if (y + ROW > body.scrollTop + body.clientHeight) body.scrollTop = y + ROW - body.clientHeight;
        render(true);
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        opts.open(state.view[state.active]);
      }
    });
    // Rows come in row order: sorting them by row again would only cost time at 100,000.
    if (!opts.presorted) sort();
    else for (const b of head.children) b.setAttribute("aria-sort", b.dataset.key === state.sortKey ? "ascending" : "none");
    return {
      setView(view) {
        state.view = view;
        state.active = 0;
        body.scrollTop = 0;
        sort();
        render(true);
      },
      render: () => render(true),
    };
  }

  function detail(title, parts) {
    const dialog = $("#detail");
    $("#detail-title").textContent = title;
    $("#detail-body").replaceChildren(...parts);
    dialog.showModal();
    $("#detail-close").focus();
  }
  const block = (label, text) => (text === null || text === undefined || text === "" ? null : h("div", {}, h("h3", { text: label }), h("pre", { text })));

  function runInfo(run, heading) {
    const items = [
      ["results", run.results],
      ["grader", `${run.grader.file}${run.grader.type ? ` (${run.grader.type}${run.grader.name ? ` “${run.grader.name}”` : ""})` : ""}`],
      ["grader sha256", run.grader.sha256],
      ["data", `${run.data.file}, ${fmt(run.data.rows)} rows, ${fmt(run.data.bytes)} bytes`],
      ["data sha256", run.data.sha256],
      ["engine", run.engine],
      ["rows done", `${fmt(run.done)} of ${fmt(run.data.rows)}${run.done < run.data.rows ? " (incomplete)" : ""}`],
      ["grading time", `${run.seconds < 10 ? Number(run.seconds.toPrecision(3)) : fmt(run.seconds, 1)} s (the sum of the rows' execution times)`],
      ["results written", run.modified],
      ["item and sample", run.joined ? "from the dataset" : run.joinNote],
    ];
    const dl = h("dl", { class: "info" });
    for (const [k, v] of items) dl.append(h("dt", { text: k }), h("dd", { text: v }));
    const section = h("section", { "aria-labelledby": `${heading}-h` }, h("h2", { id: `${heading}-h`, text: heading === "run" ? "Run" : heading }), dl);
    if (run.grader.source) section.append(h("details", {}, h("summary", { text: "grader source" }), h("pre", { class: "mono", text: run.grader.source })));
    return section;
  }
  const card = (k, v, cls) => h("div", { class: "card" }, h("div", { class: `v ${cls || ""}`, text: v }), h("div", { class: "k", text: k }));

  function agreementSection(a) {
    const s = h("section", { id: "agreement", "aria-labelledby": "agreement-h" }, h("h2", { id: "agreement-h", text: "Agreement with human labels" }));
    s.append(h("p", { class: "muted", text: `${a.pairs} rows paired with ${a.labels}; 95% intervals: paired bootstrap, ${a.bootstrap.resamples} resamples, seed ${a.bootstrap.seed}.` }));
    const t = h("table", { class: "figures" }, h("tr", {}, h("th", { text: "figure" }), h("th", { text: "estimate [95% CI]" })));
    const row = (k, v) => t.append(h("tr", {}, h("td", { text: k }), h("td", { class: "n mono", text: v })));
    if (a.score) {
      row("Pearson r", ci(a.score.pearson));
      row("Spearman ρ", ci(a.score.spearman));
      row("Kendall τ-b", ci(a.score.kendall_tau_b));
      row("mean |Δ|", ci(a.score.mean_absolute_error));
      if (a.score.ordinal) {
        row("weighted κ (linear)", ci(a.score.ordinal.weighted_linear));
        row("weighted κ (quadratic)", ci(a.score.ordinal.weighted_quadratic));
      }
      row(`Cohen's κ (pass/fail at ≥ ${a.threshold})`, ci(a.kappa.kappa));
    } else {
      row(`Cohen's κ${a.pass_fail ? ` (pass/fail at ≥ ${a.threshold})` : ""}`, ci(a.kappa.kappa));
      if (a.kappa.weighted_linear) row("weighted κ (linear)", ci(a.kappa.weighted_linear));
      if (a.kappa.weighted_quadratic) row("weighted κ (quadratic)", ci(a.kappa.weighted_quadratic));
    }
    row("agreement", pct(a.kappa.accuracy));
    const m = (a.score && a.score.ordinal) || a.kappa;
    const cm = h("table", { class: "figures", "aria-label": "confusion matrix: rows the judge, columns the humans" }, h("tr", {}, h("th", { text: "judge \\ human" }), ...m.confusion.categories.map((c) => h("th", { text: c }))));
    m.confusion.counts.forEach((r, i) => cm.append(h("tr", {}, h("th", { text: m.confusion.categories[i] }), ...r.map((c, j) => h("td", { class: `n${i === j ? " good" : c ? " bad" : ""}`, text: String(c) })))));
    const dis = h("table", { class: "figures" }, h("tr", {}, h("th", { text: "row" }), h("th", { text: "id" }), h("th", { text: "judge" }), h("th", { text: "human" })));
    for (const d of a.disagreements) dis.append(h("tr", {}, h("td", { text: String(d.row) }), h("td", { text: d.id === undefined ? "" : String(d.id) }), h("td", { text: String(d.judge) }), h("td", { text: String(d.human) })));
    s.append(h("div", { class: "grid2" }, h("div", {}, t), h("div", {}, h("h3", { text: "confusion matrix" }), cm), h("div", {}, h("h3", { text: "largest disagreements" }), dis)));
    return s;
  }

  function runPage() {
    const c = data.columns;
    const n = c.row.length;
    const s = data.summary;
    const main = $("main");
    main.append(runInfo(data.run, "run"));
    const summary = h("section", { id: "summary", "aria-labelledby": "summary-h" }, h("h2", { id: "summary-h", text: "Summary" }));
    const cards = h("div", { class: "cards" });
    cards.append(
      card("rows", fmt(n)),
      card("graded", fmt(s.graded)),
      card("mean reward", fmt(s.mean), "mean"),
      card("std", fmt(s.std)),
      card("p10 · p50 · p90", `${fmt(s.p10)} · ${fmt(s.p50)} · ${fmt(s.p90)}`),
      card("min · max", `${fmt(s.min)} · ${fmt(s.max)}`),
      card(`pass rate (≥ ${fmt(s.threshold)})`, pct(s.passRate)),
      card("with an error flag", fmt(s.flagged), s.flagged ? "bad" : ""),
      card("malformed · failed", `${fmt(s.malformed)} · ${fmt(s.failed)}`, s.malformed + s.failed ? "bad" : ""),
    );
    summary.append(cards);
    if (s.flags.length) {
      const t = h("table", { class: "figures" }, h("tr", {}, h("th", { text: "error flag" }), h("th", { text: "rows" })));
      for (const f of s.flags) t.append(h("tr", {}, h("td", {}, h("span", { class: "flag", text: f.name })), h("td", { class: "n", text: fmt(f.count) })));
      summary.append(h("h3", { text: "error flags" }), t);
    }
    const charts = h("div", { class: "grid2" });
    if (s.histogram.length) {
      const box = chartBox("histogram of rewards", 220);
      charts.append(box);
      histogram(box, s.histogram, "rewards", "--bar");
    }
    summary.append(charts);
    main.append(summary);
    if (data.subs.length) {
      const sec = h("section", { id: "subs", "aria-labelledby": "subs-h" }, h("h2", { id: "subs-h", text: "Sub-graders" }));
      const t = h("table", { class: "figures" }, h("tr", {}, ...["sub-grader", "mean", "std", "Pearson r with reward", "Spearman ρ with reward"].map((x) => h("th", { text: x }))));
      for (const sub of data.subs) t.append(h("tr", {}, h("td", { text: sub.name }), h("td", { class: "n", text: fmt(sub.mean) }), h("td", { class: "n", text: fmt(sub.std) }), h("td", { class: "n", text: fmt(sub.pearson) }), h("td", { class: "n", text: fmt(sub.spearman) })));
      sec.append(t);
      const g = h("div", { class: "grid2" });
      for (const sub of data.subs) {
        if (!sub.histogram.length) continue;
        const box = chartBox(`histogram of ${sub.name}`, 160);
        g.append(box);
        histogram(box, sub.histogram, sub.name, "--bar2");
      }
      sec.append(g);
      main.append(sec);
    }
    if (data.agreement) main.append(agreementSection(data.agreement));

    // Rows.
    const sec = h("section", { id: "rows", "aria-labelledby": "rows-h" }, h("h2", { id: "rows-h", text: "Rows" }));
    const flagNames = data.flagNames;
    const MALFORMED = 1 << 29;
    const FAILED = 1 << 30;
    const flagSelect = h("select", { id: "flag-filter", "aria-label": "error flag" }, h("option", { value: "all", text: "all rows" }), h("option", { value: "clean", text: "no error" }), h("option", { value: "any", text: "any error flag" }), ...flagNames.map((f, i) => h("option", { value: String(i), text: f })), h("option", { value: "malformed", text: "malformed" }), h("option", { value: "failed", text: "failed" }));
    const min = h("input", { type: "number", id: "min-reward", step: "any", placeholder: "min", "aria-label": "minimum reward" });
    const max = h("input", { type: "number", id: "max-reward", step: "any", placeholder: "max", "aria-label": "maximum reward" });
    const search = h("input", { type: "search", id: "search", placeholder: "search id, sample, item, error", "aria-label": "search rows" });
    const counter = h("span", { class: "count muted", id: "row-count", "aria-live": "polite" });
    sec.append(h("div", { class: "filters", role: "search" }, h("label", {}, "show", flagSelect), h("label", {}, "reward", min, "to", max), search, counter));
    let haystack = null;
    const subNames = data.subs.map((x) => x.name);
    const columns = [
      { key: "row", label: "row", width: "5rem", value: (i) => c.row[i], numeric: true },
      ...(c.id ? [{ key: "id", label: "id", width: "minmax(5rem, .8fr)", value: (i) => c.id[i], text: (i) => (c.id[i] === null ? "" : String(c.id[i])) }] : []),
      { key: "reward", label: "reward", width: "6rem", value: (i) => c.reward[i], numeric: true },
      ...subNames.map((name, k) => ({ key: `sub:${name}`, label: name, width: "6rem", value: (i) => c.sub[k][i], numeric: true })),
      {
        key: "flags",
        label: "errors",
        width: "minmax(6rem, 1fr)",
        value: (i) => c.flags[i],
        render: (i, cell) => {
          const m = c.flags[i];
          if (m & MALFORMED) cell.append(h("span", { class: "flag", text: "malformed" }));
          if (m & FAILED) cell.append(h("span", { class: "flag", text: "failed" }));
          flagNames.forEach((f, b) => m & (1 << b) && cell.append(h("span", { class: "flag", text: f })));
        },
      },
      ...(c.sample ? [{ key: "sample", label: "sample", width: "minmax(8rem, 2fr)", value: (i) => c.sample[i], text: (i) => c.sample[i] || "" }] : []),
      ...(c.item ? [{ key: "item", label: "item", width: "minmax(8rem, 2fr)", value: (i) => c.item[i], text: (i) => c.item[i] || "" }] : []),
      { key: "time", label: "time (s)", width: "6rem", value: (i) => c.time[i], numeric: true },
    ];
    const all = () => {
      const v = new Uint32Array(n);
      for (let i = 0; i < n; i++) v[i] = i;
      return v;
    };
    const grid = table(sec, columns, n, {
      label: "rows of the results",
      counter,
      initialView: all,
      sortKey: "row",
      sortDir: 1,
      presorted: true,
      open: (i) => {
        const flags = [];
        if (c.flags[i] & MALFORMED) flags.push("malformed");
        if (c.flags[i] & FAILED) flags.push("failed");
        flagNames.forEach((f, b) => c.flags[i] & (1 << b) && flags.push(f));
        const dl = h("dl", { class: "info" });
        const add = (k, v) => dl.append(h("dt", { text: k }), h("dd", { text: v }));
        add("row", String(c.row[i]));
        if (c.id && c.id[i] !== null) add("id", String(c.id[i]));
        add("reward", fmt(c.reward[i], 6));
        subNames.forEach((name, k) => add(name, fmt(c.sub[k][i], 6)));
        add("errors", flags.length ? flags.join(", ") : "none");
        add("execution time", `${fmt(c.time[i], 6)} s`);
        detail(`Row ${c.row[i]}${c.id && c.id[i] !== null ? ` — ${c.id[i]}` : ""}`, [
          dl,
          block("error", c.error[i]),
          block("sample", (c.sampleFull && c.sampleFull[i]) || (c.sample && c.sample[i])),
          block("item", (c.itemFull && c.itemFull[i]) || (c.item && c.item[i] && pretty(c.item[i]))),
          block("the rest of the result (error details, model output, token usage)", c.extra[i]),
        ]);
      },
    });
    main.append(sec);
    const apply = () => {
      const f = flagSelect.value;
      const lo = min.value === "" ? -Infinity : Number(min.value);
      const hi = max.value === "" ? Infinity : Number(max.value);
      const q = search.value.trim().toLowerCase();
      if (q && !haystack) {
        haystack = new Array(n);
        for (let i = 0; i < n; i++) haystack[i] = `${c.id ? c.id[i] ?? "" : ""}\n${c.sample ? c.sample[i] ?? "" : ""}\n${c.item ? c.item[i] ?? "" : ""}\n${c.error[i] ?? ""}`.toLowerCase();
      }
      const bit = /^\d+$/.test(f) ? 1 << Number(f) : 0;
      const ranged = lo !== -Infinity || hi !== Infinity;
      const out = [];
      for (let i = 0; i < n; i++) {
        const m = c.flags[i];
        if (f === "clean" && m !== 0) continue;
        if (f === "any" && (m & ~(MALFORMED | FAILED)) === 0) continue;
        if (bit && !(m & bit)) continue;
        if (f === "malformed" && !(m & MALFORMED)) continue;
        if (f === "failed" && !(m & FAILED)) continue;
        if (ranged) {
          const r = c.reward[i];
          if (r === null || r < lo || r > hi) continue;
        }
        if (q && !haystack[i].includes(q)) continue;
        out.push(i);
      }
      grid.setView(Uint32Array.from(out));
    };
    let timer = 0;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(apply, 120);
    };
    flagSelect.addEventListener("change", apply);
    min.addEventListener("input", later);
    max.addEventListener("input", later);
    search.addEventListener("input", later);
    grid.render();
  }

  function diffPage() {
    const f = data.figures;
    const c = data.columns;
    const n = c.row.length;
    const main = $("main");
    main.append(h("div", { class: "grid2" }, runInfo(data.a, "run A"), runInfo(data.b, "run B")));
    const s = h("section", { id: "summary", "aria-labelledby": "summary-h" }, h("h2", { id: "summary-h", text: "A versus B" }));
    s.append(h("p", { class: "muted", text: `${fmt(f.pairs)} rows paired by ${data.pairing}; ${fmt(f.unpaired.a)} only in A, ${fmt(f.unpaired.b)} only in B, ${fmt(f.noReward)} without a reward on a side. 95% intervals: paired bootstrap, ${f.bootstrap.resamples} resamples, seed ${f.bootstrap.seed}.` }));
    s.append(
      h(
        "div",
        { class: "cards" },
        card("mean A", fmt(f.meanA)),
        card("mean B", fmt(f.meanB)),
        card("mean B − A [95% CI]", ci(f.meanDifference), "mean-diff"),
        card("rows changed", fmt(f.changed), "changed"),
        card(`pass A → B (≥ ${fmt(f.threshold)})`, `${pct(f.passA)} → ${pct(f.passB)}`),
        card("McNemar p (exact)", fmt(f.mcnemar.pExact, 4)),
      ),
    );
    const t = h("table", { class: "figures" }, h("tr", {}, h("th", { text: "figure" }), h("th", { text: "value" })));
    const row = (k, v) => t.append(h("tr", {}, h("td", { text: k }), h("td", { class: "n mono", text: v })));
    row("Pearson r", fmt(f.pearson));
    row("Spearman ρ", fmt(f.spearman));
    row("Kendall τ-b", fmt(f.kendall));
    row(`Cohen's κ (pass/fail at ≥ ${fmt(f.threshold)})`, fmt(f.kappa));
    row("passed in A only (b)", fmt(f.mcnemar.b));
    row("passed in B only (c)", fmt(f.mcnemar.c));
    row("McNemar exact p", fmt(f.mcnemar.pExact, 4));
    row("McNemar χ² (continuity-corrected), p", `${fmt(f.mcnemar.chi2)}, ${fmt(f.mcnemar.pChi2, 4)}`);
    const box = chartBox("scatter of reward A against reward B", 300);
    s.append(h("div", { class: "grid2" }, h("div", {}, t), box));
    scatter(box, c.a, c.b, "reward A (x) against reward B (y)", "A", "B");
    main.append(s);

    const sec = h("section", { id: "rows", "aria-labelledby": "rows-h" }, h("h2", { id: "rows-h", text: "Changed rows" }));
    const only = h("select", { id: "changed-filter", "aria-label": "rows to show" }, h("option", { value: "changed", text: "changed rows" }), h("option", { value: "pass", text: "pass/fail changed" }), h("option", { value: "all", text: "all paired rows" }));
    const counter = h("span", { class: "count muted", id: "row-count", "aria-live": "polite" });
    sec.append(h("div", { class: "filters" }, h("label", {}, "show", only), counter));
    const changedView = (mode) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        if (mode === "changed" && c.delta[i] === 0 && c.passA[i] === c.passB[i]) continue;
        if (mode === "pass" && c.passA[i] === c.passB[i]) continue;
        out.push(i);
      }
      return Uint32Array.from(out);
    };
    const columns = [
      { key: "row", label: data.pairing === "id" ? "row A" : "row", width: "5rem", value: (i) => c.row[i], numeric: true },
      ...(c.id ? [{ key: "id", label: "id", width: "minmax(5rem, 1fr)", value: (i) => c.id[i], text: (i) => (c.id[i] === null ? "" : String(c.id[i])) }] : []),
      { key: "a", label: "reward A", width: "7rem", value: (i) => c.a[i], numeric: true },
      { key: "b", label: "reward B", width: "7rem", value: (i) => c.b[i], numeric: true },
      { key: "absdelta", label: "|Δ|", width: "6rem", value: (i) => Math.abs(c.delta[i]), numeric: true },
      { key: "delta", label: "Δ (B − A)", width: "7rem", value: (i) => c.delta[i], numeric: true, render: (i, cell) => { cell.textContent = fmt(c.delta[i]); cell.className = c.delta[i] > 0 ? "good" : c.delta[i] < 0 ? "bad" : ""; } },
      { key: "pass", label: "pass A → B", width: "minmax(7rem, 1fr)", value: (i) => (c.passA[i] ? 2 : 0) + (c.passB[i] ? 1 : 0), text: (i) => `${c.passA[i] ? "pass" : "fail"} → ${c.passB[i] ? "pass" : "fail"}` },
    ];
    const grid = table(sec, columns, n, {
      label: "paired rows",
      counter,
      initialView: () => changedView("changed"),
      sortKey: "absdelta",
      sortDir: -1,
      open: (i) => {
        const dl = h("dl", { class: "info" });
        const add = (k, v) => dl.append(h("dt", { text: k }), h("dd", { text: v }));
        add("row (A, B)", `${c.row[i]}, ${c.rowB[i]}`);
        if (c.id && c.id[i] !== null) add("id", String(c.id[i]));
        add("reward A", fmt(c.a[i], 6));
        add("reward B", fmt(c.b[i], 6));
        add("Δ (B − A)", fmt(c.delta[i], 6));
        detail(`Row ${c.row[i]}${c.id && c.id[i] !== null ? ` — ${c.id[i]}` : ""}`, [dl, block("result A", c.extraA[i]), block("result B", c.extraB[i])]);
      },
    });
    only.addEventListener("change", () => grid.setView(changedView(only.value)));
    main.append(sec);
    grid.render();
  }

  document.title = data.title;
  $("#title").textContent = data.title;
  $("#theme").addEventListener("click", () => {
    theme = themes[(themes.indexOf(theme) + 1) % themes.length];
    try {
      localStorage.setItem("grade-report-theme", theme);
    } catch {
      /* file:// storage may be off */
    }
    applyTheme();
    redraw();
  });
  applyTheme();
  if (data.kind === "diff") diffPage();
  else runPage();
  redraw();
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);
  let resized = 0;
  addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(redraw, 150);
  });
  $("#detail-close").addEventListener("click", () => $("#detail").close());
  document.documentElement.dataset.ready = String(Math.round(performance.now() - started));
})();
