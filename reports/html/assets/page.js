// proclab's timeline page: draws the model (the <script id="model"> JSON that
// reports/html/page_model.cc writes) as SVG, redrawn on every zoom and pan.
// Marks that would fall within a few pixels of each other on one lane are
// drawn once, with a count, so 300 processes over 30 s stay readable.
"use strict";
(function () {
  const M = JSON.parse(document.getElementById("model").textContent);
  const PALETTE = ["#0e7490", "#b45309", "#7e22ce", "#be185d", "#4d7c0f", "#1d4ed8",
                   "#9a3412", "#0f766e", "#6d28d9", "#a16207", "#15803d", "#c2410c"];
  const OUTCOME = { handled: "#2563eb", ignored: "#9ca3af", killed: "#dc2626",
                    stopped: "#ea580c", continued: "#16a34a" };
  const NS = "http://www.w3.org/2000/svg";
  const many = M.lanes.length > 60;
  const few = M.lanes.length <= 8;
  const H = many ? 14 : few ? 40 : 30;   // lane height
  const BAR = many ? 8 : few ? 16 : 12;  // the process bar's height
  const TOP = 34;                    // the axis
  const LABEL = 280;                 // the labels' column
  const CLUSTER_PX = 5;              // marks closer than this on one lane merge
  const end = Math.max(M.end_us, 1);
  const FIT = () => ({ t0: 0, t1: end * 1.06 });  // room after the end for the last labels
  let view = FIT();
  let hl = new Set();                // highlighted event indices
  let shown = [];                    // the marks (or merged groups) drawn, by data-i
  const laneY = (l) => TOP + l * H + H / 2;
  const color = (l) => {
    const lane = M.lanes[l];
    return lane && lane.kind === "proc" ? PALETTE[lane.color % PALETTE.length] : "#475467";
  };
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

  function seconds(us) {
    const s = us / 1e6;
    return (Math.abs(s) < 10 ? s.toFixed(3) : s.toFixed(2)) + "s";
  }
  function laneName(l) {
    const lane = M.lanes[l];
    if (!lane) return "?";
    if (lane.kind !== "proc") return lane.label;
    return (lane.name || lane.comm || "pid") + " " + lane.pid;
  }

  // ---- the page around the chart ----
  function header() {
    const h = document.getElementById("head");
    const badge = M.status === "pass" ? ["pass", "✓ passed"] :
                  M.status === "fail" ? ["fail", "✗ failed"] : ["trace", "trace"];
    let html = '<h1><span class="badge ' + badge[0] + '">' + badge[1] + "</span>" +
      esc(M.title) + "</h1>";
    const sub = [];
    if (M.subtitle) sub.push(esc(M.subtitle));
    if (M.command) sub.push("<code>" + esc(M.command) + "</code>");
    sub.push(M.lanes.filter((l) => l.kind === "proc").length + " processes, " +
             M.events + " events, " + seconds(end));
    html += '<div class="sub">' + sub.join(" · ") + "</div>";
    for (const r of [M.reason, M.launch_error, M.lab_error])
      if (r) html += '<div class="reason">' + esc(r) + "</div>";
    h.innerHTML = html;
  }

  function verdicts() {
    const ul = document.getElementById("verdicts");
    if (!M.verdicts.length) { ul.remove(); return; }
    M.verdicts.forEach((v, i) => {
      const li = document.createElement("li");
      li.className = "verdict " + (v.skip ? "skip" : v.ok ? "ok" : "bad");
      li.dataset.index = i;
      li.dataset.ev = v.e.join(" ");
      li.innerHTML = '<span class="mark">' + (v.skip ? "–" : v.ok ? "✓" : "✗") + "</span>" +
        '<span class="what">' + esc(v.x) + "</span>" +
        '<span class="why">' + esc(v.why) +
        (v.e.length ? ' <span class="nev">(' + v.e.length + " event" +
         (v.e.length === 1 ? "" : "s") + ")</span>" : "") + "</span>";
      li.addEventListener("click", () => select(li, v));
      ul.appendChild(li);
    });
  }

  function select(li, v) {
    const was = li.classList.contains("sel");
    document.querySelectorAll("#verdicts li.sel").forEach((x) => x.classList.remove("sel"));
    hl = new Set();
    if (!was) {
      li.classList.add("sel");
      hl = new Set(v.e);
      // Bring the evidence into view: widen to it when some of it is outside.
      const times = [];
      for (const m of M.marks) if (m.e.some((e) => hl.has(e))) times.push(m.t, m.t2 || m.t);
      const lanes = M.marks.filter((m) => m.e.some((e) => hl.has(e))).map((m) => m.l);
      if (many && lanes.length) {
        const y = document.getElementById("chart").getBoundingClientRect().top + window.scrollY +
          laneY(Math.min(...lanes)) - 120;
        window.scrollTo(0, Math.max(0, y));
      }
      if (times.length) {
        const lo = Math.min(...times), hi = Math.max(...times);
        if (lo < view.t0 || hi > view.t1) {
          const pad = Math.max((hi - lo) * 0.1, end * 0.02);
          view = { t0: Math.max(0, lo - pad), t1: hi + pad };
        }
      }
    }
    draw();
    transcriptHighlight();
  }

  function transcript() {
    const box = document.getElementById("transcript");
    if (!M.output.length) { box.remove(); return; }
    const LIMIT = 2000;
    let html = "<h2>Output, coloured by writer</h2>";
    for (const o of M.output.slice(0, LIMIT)) {
      const c = color(o.l);
      html += '<div class="ln' + (o.s === "stderr" ? " err" : "") + '" data-ev="' + o.e +
        '" style="border-left-color:' + c + '"><span class="t">' + seconds(o.t) +
        '</span><span class="w" style="color:' + c + '">' + esc(laneName(o.l)) +
        '</span><span class="x" style="color:' + c + '">' + esc(o.x.replace(/\n$/, "")) +
        "</span></div>";
    }
    if (M.output.length > LIMIT)
      html += '<div class="more">… and ' + (M.output.length - LIMIT) + " more lines</div>";
    box.innerHTML = html;
  }

  function transcriptHighlight() {
    let first = null;
    document.querySelectorAll("#transcript .ln").forEach((d) => {
      const on = hl.has(Number(d.dataset.ev));
      d.classList.toggle("hl", on);
      if (on && !first) first = d;
    });
    if (first) first.scrollIntoView({ block: "nearest" });
  }

  function legend() {
    const items = [
      ["background:" + PALETTE[0] + ";opacity:.45", "alive"],
      ["background:repeating-linear-gradient(135deg,#ea580c 0 2px,#fff 2px 5px)", "stopped"],
      ["background:var(--zombie)", "zombie (exit → reap)"],
    ];
    // Only where the run sampled CPU (`sample:`, --sample).
    if (M.lanes.some((l) => l.busy))
      items.push(["background:linear-gradient(90deg," + PALETTE[0] + "22," + PALETTE[0] + ")",
        "busy (CPU samples)"]);
    let html = "";
    for (const [style, text] of items) html += '<span><i style="' + style + '"></i>' + text + "</span>";
    for (const o of Object.keys(OUTCOME))
      html += '<span><i style="height:3px;background:' + OUTCOME[o] + '"></i>signal ' + o + "</span>";
    html += "<span>↓ fork · ◆ exec · | output · ● exit · ⇢ reap · ✕ failed kill</span>";
    document.getElementById("legend").innerHTML = html;
  }

  // ---- the chart ----
  function width() { return Math.max(document.getElementById("chart").clientWidth, LABEL + 200); }

  function niceStep(span, px) {
    const raw = span / Math.max(px / 90, 1);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
    return 10 * p;
  }
  function tickLabel(us, step) {
    if (step < 1000) return (us / 1000).toFixed(step < 100 ? 2 : 1) + "ms";
    if (step < 100000) return (us / 1000).toFixed(step < 10000 ? 1 : 0) + "ms";
    return (us / 1e6).toFixed(step < 1e6 ? 1 : 0) + "s";
  }

  function draw() {
    const W = width();
    const plot = W - LABEL - 56;
    const k = plot / (view.t1 - view.t0);
    const x = (t) => LABEL + (t - view.t0) * k;
    const bottom = TOP + M.lanes.length * H;
    let extra = 0;  // rows for checkpoint names under the lanes
    // Past 60 processes only the marks of lanes near the window are made
    // (redrawn as it scrolls): a 300-process run need not build them all.
    let lo = 0, hi = M.lanes.length;
    if (many) {
      const top = -document.getElementById("chart").getBoundingClientRect().top;
      lo = Math.max(0, Math.floor((top - 400 - TOP) / H));
      hi = Math.min(M.lanes.length, Math.ceil((top + window.innerHeight + 400 - TOP) / H));
    }
    const inView = (l) => l >= lo && l < hi;
    // An arrow belongs to its receiver's lane; its sender's too when close by
    // (a far one is drawn as a stub into the receiver).
    const near = (m) => m.to == null ? inView(m.l) :
      inView(m.to) || (inView(m.l) && (!many || Math.abs(m.to - m.l) <= 8));
    const out = [];
    out.push('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" ' +
      'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>' +
      '<rect width="2.5" height="6" fill="#ea580c"/></pattern>' +
      '<clipPath id="plotclip"><rect x="' + (LABEL - 4) + '" y="0" width="' + (plot + 60) +
      '" height="' + (bottom + 200) + '"/></clipPath>' +
      '<clipPath id="labelclip"><rect x="0" y="0" width="' + (LABEL - 6) + '" height="' +
      (bottom + 10) + '"/></clipPath>');
    for (const [o, c] of Object.entries(OUTCOME).concat([["fork", "#344054"], ["reap", "#667085"],
      ["lab", "#7c3aed"]]))
      out.push('<marker id="ah-' + o + '" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" ' +
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="' + c +
        '"/></marker>');
    out.push("</defs>");
    // Stripes and labels.
    out.push('<g class="lanes">');
    M.lanes.forEach((lane, l) => {
      const y = TOP + l * H;
      if (l % 2 === 0) out.push('<rect class="stripe" x="0" y="' + y + '" width="' + W +
        '" height="' + H + '"/>');
    });
    out.push('</g><g class="labels" clip-path="url(#labelclip)">');
    M.lanes.forEach((lane, l) => {
      const y = laneY(l) + 4;
      if (lane.kind !== "proc") {
        out.push('<text class="lbl party lane-label" data-lane="' + l + '" x="10" y="' + y + '">' +
          esc(lane.label) + "</text>");
        return;
      }
      const indent = 10 + Math.min(lane.depth, 12) * 12;
      const c = color(l);
      const tip = "pid " + lane.pid + (lane.name ? " (" + lane.name + ")" : "") + "\n" + lane.argv +
        (lane.exit ? "\nended: " + lane.exit : "") + (lane.threads ? "\nthreads: " + lane.threads : "") +
        (lane.killed ? "\nkilled by the lab: " + lane.killed : "");
      out.push('<g class="lane-label" data-lane="' + l + '" data-id="' + lane.id + '" data-tip="' +
        esc(tip) + '"><rect x="' + (indent - 7) + '" y="' + (laneY(l) - 5) +
        '" width="4" height="10" fill="' + c + '"/><text class="lbl" x="' + indent + '" y="' + y +
        '"><tspan class="pid">' + lane.pid + '</tspan> <tspan class="nm" fill="' + c + '">' +
        esc(lane.name || lane.comm) + "</tspan>" + (lane.threads ? ' <tspan class="pid">+' +
        lane.threads + " thr</tspan>" : "") + (many ? "" : ' <tspan class="argv">' +
        esc(lane.argv) + "</tspan>") + "</text></g>");
    });
    out.push("</g>");
    // Axis.
    const step = niceStep(view.t1 - view.t0, plot);
    out.push('<g class="axis">');
    for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      out.push('<line x1="' + x(t) + '" x2="' + x(t) + '" y1="' + (TOP - 6) + '" y2="' + bottom +
        '"/><text x="' + (x(t) + 3) + '" y="' + (TOP - 10) + '">' + tickLabel(t, step) + "</text>");
    }
    out.push('</g><g clip-path="url(#plotclip)">');
    // Process bars: alive, stopped (hatched), zombie (grey).
    M.lanes.forEach((lane, l) => {
      if (lane.kind !== "proc") return;
      const y = laneY(l) - BAR / 2;
      const a = x(lane.start), b = x(lane.end != null ? lane.end : end);
      out.push('<rect class="alive" data-lane="' + l + '" data-ev="' + lane.ev + '" x="' + a +
        '" y="' + y + '" width="' + Math.max(b - a, 1) + '" height="' + BAR + '" fill="' +
        color(l) + '" fill-opacity="0.35" stroke="' + color(l) + '" stroke-opacity="0.6"/>');
      // CPU use between samples (`sample:`, --sample): the darker, the busier.
      for (const [s0, s1, busy] of lane.busy || [])
        out.push('<rect class="busy" data-tip="' + esc(laneName(l) + ": " +
          Math.round(busy * 100) + "% of a CPU from " + seconds(s0) + " to " + seconds(s1)) +
          '" x="' + x(s0) + '" y="' + y + '" width="' + Math.max(x(s1) - x(s0), 1) +
          '" height="' + BAR + '" fill="' + color(l) + '" fill-opacity="' +
          (0.85 * Math.min(busy, 1)).toFixed(2) + '"/>');
      for (const [s0, s1] of lane.stopped)
        out.push('<rect class="stopped" x="' + x(s0) + '" y="' + y + '" width="' +
          Math.max(x(s1) - x(s0), 1) + '" height="' + BAR + '" fill="url(#hatch)"/>');
      if (lane.end != null) {
        const z = x(lane.reap != null ? lane.reap : end);
        out.push('<rect class="zombie" data-tip="' + esc(laneName(l) + ": zombie from " +
          seconds(lane.end) + (lane.reap != null ? " until reaped at " + seconds(lane.reap) :
          ", never reaped")) + '" x="' + b + '" y="' + (y + 2) + '" width="' + Math.max(z - b, 1) +
          '" height="' + (BAR - 4) + '" fill="#a3a3a3"/>');
      }
    });
    // Checkpoints: vertical lines across every lane, named below the lanes
    // (one row further down when the previous name would overlap).
    let lastX = -1e9, level = 0, levels = 0;
    for (const m of M.marks) {
      if (m.k !== "cp" || m.t < view.t0 || m.t > view.t1) continue;
      const X = x(m.t);
      level = X - lastX < 110 ? level + 1 : 0;
      levels = Math.max(levels, level + 1);
      lastX = X;
      out.push('<g class="mk cp' + cls(m) + '" data-ev="' + m.e.join(" ") + '" data-tip="' +
        esc(m.x) + '"><line x1="' + X + '" x2="' + X + '" y1="' + (TOP - 4) + '" y2="' +
        (bottom + 4 + level * 13) + '" stroke-width="1.5"/><rect x="' + (X - 4) + '" y="' +
        (TOP - 4) + '" width="8" height="' + (bottom - TOP + 8) + '" fill="transparent"/><text x="' +
        (X + 4) + '" y="' + (bottom + 13 + level * 13) + '">' + esc(m.x.split("'")[1] || "checkpoint") +
        "</text></g>");
    }
    extra = levels * 13;
    // Marks, merged where they crowd.
    const groups = new Map();
    for (const m of M.marks) {
      if (m.k === "cp" || !near(m)) continue;
      const t2 = m.t2 != null ? m.t2 : m.t;
      if (Math.max(m.t, t2) < view.t0 || Math.min(m.t, t2) > view.t1) continue;
      const key = m.k + "|" + m.l + "|" + (m.to != null ? m.to : "") + "|" + (m.c || "") + "|" +
        Math.floor(x(m.t) / CLUSTER_PX);
      const g = groups.get(key);
      if (g) g.push(m); else groups.set(key, [m]);
    }
    // Arrows that start in one spot (a key's SIGINT to a whole group, the
    // handler's reply) are fanned out a few pixels apart, so each shows.
    const fan = new Map();
    shown = [];
    const ordered = [...groups.values()].sort((a, b) => a[0].t - b[0].t);
    for (const ms of ordered) {
      if (ms[0].k === "sig") {
        const col = Math.floor(x(ms[0].t) / 10);
        const n = fan.get(col) || 0;
        fan.set(col, n + 1);
        ms.off = n * 5;
      }
      out.push(mark(ms, x));
    }
    out.push("</g>");
    const svg = '<svg xmlns="' + NS + '" id="timeline" width="' + W + '" height="' + (bottom + 12 + extra) +
      '" data-lanes="' + M.lanes.length + '">' + out.join("") + "</svg>";
    document.getElementById("chart").innerHTML = svg;
  }

  function cls(m) {
    if (!hl.size) return "";
    return m.e.some((e) => hl.has(e)) ? " hl" : " dim";
  }

  // One mark, or a cluster of marks of one kind on one lane drawn as one.
  function mark(ms, x) {
    const m = ms[0];
    const n = ms.length;
    const ev = n === 1 ? m.e : [].concat(...ms.map((q) => q.e));
    const on = hl.size ? (ev.some((e) => hl.has(e)) ? " hl" : " dim") : "";
    // The hover text is made when hovered (tipOf): thousands of marks need none until then.
    const head = '<g class="mk k-' + m.k + (m.c ? " c-" + m.c : "") + on + '" data-ev="' +
      ev.join(" ") + '" data-count="' + n + '" data-i="' + (shown.push(ms) - 1) + '">';
    const X = x(m.t), Y = laneY(m.l);
    const count = n > 1 ? '<circle cx="' + (X + 7) + '" cy="' + (Y - 7) + '" r="6" fill="#101828"/>' +
      '<text class="count" text-anchor="middle" x="' + (X + 7) + '" y="' + (Y - 4) + '">' +
      (n > 99 ? "99+" : n) + "</text>" : "";
    const hit = (x1, y1, x2, y2) => '<line x1="' + x1 + '" y1="' + y1 + '" x2="' + x2 + '" y2="' +
      y2 + '" stroke="transparent" stroke-width="8"/>';
    let body = "";
    switch (m.k) {
      case "fork": case "spawn": {
        const y2 = laneY(m.to);
        body = hit(X, Y, X, y2) + '<line x1="' + X + '" y1="' + Y + '" x2="' + X + '" y2="' +
          (y2 + (y2 > Y ? -BAR / 2 : BAR / 2)) + '" stroke="#344054" stroke-width="1.5" ' +
          'marker-end="url(#ah-fork)"/><circle cx="' + X + '" cy="' + Y + '" r="2.5" fill="#344054"/>';
        break;
      }
      case "sig": {
        const off = ms.off || 0;
        const X = x(m.t) + off, X2 = x(m.t2 != null ? m.t2 : m.t) + off, Y2 = laneY(m.to);
        const c = OUTCOME[m.c] || "#344054";
        let d;
        if (many && Math.abs(Y2 - Y) > 8 * H) {
          // Crowded and far: a stub into the receiver (the hover names the
          // sender), not a line across dozens of lanes.
          const up = Y2 > Y ? -1 : 1;
          d = "M" + (X2 - 6) + "," + (Y2 + up * (BAR / 2 + 9)) + " L" + X2 + "," + (Y2 + up * BAR / 2);
        } else if (m.to === m.l) {  // a signal to itself: a small loop above the lane
          d = "M" + X + "," + (Y - 2) + " C" + (X - 10) + "," + (Y - H * 0.9) + " " + (X2 + 10) + "," +
            (Y - H * 0.9) + " " + X2 + "," + (Y - 3);
        } else {
          const mid = (X + X2) / 2;
          d = "M" + X + "," + Y + " C" + mid + "," + Y + " " + mid + "," + Y2 + " " + X2 + "," +
            (Y2 + (Y2 > Y ? -BAR / 2 : BAR / 2));
        }
        body = '<path d="' + d + '" stroke="transparent" stroke-width="8" fill="none"/>' +
          '<path class="sig-arrow o-' + m.c + '" d="' + d + '" fill="none" stroke="' + c +
          '" stroke-width="2.2" marker-end="url(#ah-' + m.c + ')"/>';
        break;
      }
      case "reap": {
        const y2 = laneY(m.to);
        body = hit(X, Y, X, y2) + '<line x1="' + X + '" y1="' + Y + '" x2="' + X + '" y2="' +
          (y2 + (y2 > Y ? -3 : 3)) + '" stroke="#667085" stroke-width="1.3" stroke-dasharray="3 2" ' +
          'marker-end="url(#ah-reap)"/>';
        break;
      }
      case "labkill": {
        const y2 = laneY(m.to);
        body = hit(X, Y, X, y2) + '<line x1="' + X + '" y1="' + Y + '" x2="' + X + '" y2="' + y2 +
          '" stroke="#7c3aed" stroke-width="1.6" marker-end="url(#ah-lab)"/>' +
          '<text x="' + (X + 4) + '" y="' + (y2 - 5) + '" fill="#7c3aed" font-weight="700">☠</text>';
        break;
      }
      case "adopt": {
        const y2 = m.to != null ? laneY(m.to) : Y;
        body = hit(X, Y, X, y2) + '<line x1="' + X + '" y1="' + Y + '" x2="' + X + '" y2="' + y2 +
          '" stroke="#7c3aed" stroke-width="1" stroke-dasharray="1 2"/><path d="M' + (X - 5) + "," +
          (Y + 6) + "L" + X + "," + (Y - 4) + "L" + (X + 5) + "," + (Y + 6) +
          'z" fill="#7c3aed"/><text x="' + (X + 6) + '" y="' + (Y - 5) +
          '" fill="#7c3aed" font-size="10">adopted</text>';
        break;
      }
      case "exec":
        body = '<path d="M' + X + "," + (Y - 6) + "L" + (X + 5) + "," + Y + "L" + X + "," + (Y + 6) +
          "L" + (X - 5) + "," + Y + 'z" fill="#fff" stroke="#101828" stroke-width="1.4"/>';
        break;
      case "out": {
        const c = m.c === "stderr" ? "#b91c1c" : "#101828";
        body = (many ? "" : '<rect x="' + (X - 3) + '" y="' + (Y - BAR) + '" width="6" height="' +
          2 * BAR + '" fill="transparent"/>') + '<line x1="' + X + '" x2="' + X + '" y1="' + (Y - BAR / 2 - 3) +
          '" y2="' + (Y + BAR / 2 + 3) + '" stroke="' + c + '" stroke-width="' + (n > 1 ? 3 : 1.6) + '"/>';
        break;
      }
      case "exit": {
        const c = m.c === "signal" ? "#dc2626" : m.c === "code" ? "#b45309" : "#101828";
        body = '<circle cx="' + X + '" cy="' + Y + '" r="4.5" fill="' + c + '" stroke="#fff"/>' +
          (many ? "" : '<text x="' + (X + 7) + '" y="' + (Y + 4) + '" fill="' + c +
          '" font-weight="600">' + esc(exitLabel(m)) + "</text>");
        break;
      }
      case "stop":
        body = '<rect x="' + (X - 4) + '" y="' + (Y - 6) + '" width="3" height="12" fill="#ea580c"/>' +
          '<rect x="' + (X + 1) + '" y="' + (Y - 6) + '" width="3" height="12" fill="#ea580c"/>';
        break;
      case "cont":
        body = '<path d="M' + (X - 3) + "," + (Y - 6) + "L" + (X + 6) + "," + Y + "L" + (X - 3) + "," +
          (Y + 6) + 'z" fill="#16a34a"/>';
        break;
      case "thread":
        body = '<path d="M' + X + "," + (Y + BAR / 2) + "L" + X + "," + (Y + BAR / 2 + 5) + "M" + X +
          "," + (Y + BAR / 2 + 2) + "L" + (X + 5) + "," + (Y + BAR / 2 + 5) +
          '" stroke="#475467" stroke-width="1.3" fill="none"/>';
        break;
      case "sigfail": case "send": {
        const failed = m.k === "sigfail";
        body = failed ? '<path d="M' + (X - 5) + "," + (Y - 5) + "L" + (X + 5) + "," + (Y + 5) + "M" +
          (X + 5) + "," + (Y - 5) + "L" + (X - 5) + "," + (Y + 5) +
          '" stroke="#dc2626" stroke-width="2.5"/><text x="' + (X + 7) + '" y="' + (Y - 4) +
          '" fill="#dc2626" font-size="10" font-weight="700">' + esc(failLabel(m)) + "</text>"
          : '<circle cx="' + X + '" cy="' + Y + '" r="4" fill="#fff" stroke="#344054" stroke-width="1.5"/>';
        body += '<rect x="' + (X - 6) + '" y="' + (Y - 6) + '" width="12" height="12" fill="transparent"/>';
        break;
      }
      case "limit":
        body = '<path d="M' + X + "," + (Y - 7) + "L" + (X + 7) + "," + (Y + 6) + "L" + (X - 7) + "," +
          (Y + 6) + 'z" fill="#f59e0b"/><text x="' + X + '" y="' + (Y + 5) +
          '" text-anchor="middle" font-size="9" font-weight="700">!</text>';
        break;
      case "step": case "key": {
        const text = m.k === "key" ? keyLabel(m) : "▸";
        const w = m.k === "key" ? 8 + text.length * 7 : 10;
        const fill = m.c === "failed" ? "#fee2e2" : "#eef2ff";
        body = '<rect x="' + (X - w / 2) + '" y="' + (Y - 8) + '" width="' + w +
          '" height="16" rx="4" fill="' + fill + '" stroke="' + (m.c === "failed" ? "#dc2626" :
          "#6366f1") + '"/><text x="' + X + '" y="' + (Y + 4) + '" text-anchor="middle" ' +
          'font-size="10" font-weight="700">' + esc(text) + "</text>";
        break;
      }
      default:
        body = '<circle cx="' + X + '" cy="' + Y + '" r="3" fill="#344054"/>';
    }
    return head + body + count + "</g>";
  }

  function tipOf(ms) {
    if (ms.length === 1) return ms[0].x;
    return ms.slice(0, 4).map((q) => q.x).join("\n") +
      (ms.length > 4 ? "\n… " + ms.length + " in all" : "");
  }

  function exitLabel(m) {
    const after = m.x.slice(m.x.indexOf(": ") + 2);
    const i = after.indexOf(") ");
    const what = i >= 0 ? after.slice(i + 2) : after;
    return what.replace(/^killed by /, "").replace(/^exit /, "exit ");
  }
  function failLabel(m) { const r = /failed: (\w+)/.exec(m.x); return r ? r[1] : "failed"; }
  function keyLabel(m) {
    const r = /key ctrl-(\w+)/.exec(m.x);
    if (!r) return "key";
    return { c: "^C", z: "^Z", d: "^D", backslash: "^\\" }[r[1]] || r[1];
  }

  // ---- interaction ----
  function zoom(factor, at) {
    const span = view.t1 - view.t0;
    const t = at != null ? at : view.t0 + span / 2;
    let ns = Math.min(Math.max(span * factor, 20), end * 4);
    const r = (t - view.t0) / span;
    view = { t0: t - r * ns, t1: t - r * ns + ns };
    draw();
  }
  function timeAt(clientX) {
    const rect = document.getElementById("chart").getBoundingClientRect();
    const plot = width() - LABEL - 56;
    return view.t0 + (clientX - rect.left - LABEL) / plot * (view.t1 - view.t0);
  }
  function wire() {
    const chart = document.getElementById("chart");
    const tip = document.getElementById("tip");
    document.getElementById("zin").onclick = () => zoom(0.5);
    document.getElementById("zout").onclick = () => zoom(2);
    document.getElementById("fit").onclick = () => { view = FIT(); draw(); };
    chart.addEventListener("wheel", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) {
        e.preventDefault();
        zoom(e.deltaY > 0 ? 1.25 : 0.8, timeAt(e.clientX));
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        const d = (e.shiftKey ? e.deltaY : e.deltaX) / (width() - LABEL) * (view.t1 - view.t0);
        view = { t0: view.t0 + d, t1: view.t1 + d };
        draw();
      }
    }, { passive: false });
    let drag = null;
    chart.addEventListener("mousedown", (e) => { drag = { x: e.clientX, v: view }; chart.classList.add("drag"); });
    window.addEventListener("mouseup", () => { drag = null; chart.classList.remove("drag"); });
    window.addEventListener("mousemove", (e) => {
      if (drag) {
        const d = (drag.x - e.clientX) / (width() - LABEL - 56) * (drag.v.t1 - drag.v.t0);
        view = { t0: drag.v.t0 + d, t1: drag.v.t1 + d };
        draw();
      }
      const target = e.target.closest ? e.target.closest("[data-tip],[data-i]") : null;
      if (target && !drag) {
        tip.textContent = target.hasAttribute("data-i") ? tipOf(shown[Number(target.dataset.i)])
                                                        : target.getAttribute("data-tip");
        tip.style.display = "block";
        tip.style.left = Math.min(e.clientX + 14, window.innerWidth - 540) + "px";
        tip.style.top = (e.clientY + 14) + "px";
      } else {
        tip.style.display = "none";
      }
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "+" || e.key === "=") zoom(0.5);
      else if (e.key === "-") zoom(2);
      else if (e.key === "0") document.getElementById("fit").click();
    });
    window.addEventListener("resize", draw);
    let pending = false;
    window.addEventListener("scroll", () => {
      if (!many || pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; draw(); });
    });
  }

  header();
  verdicts();
  legend();
  transcript();
  wire();
  draw();
  document.body.dataset.ready = "1";
})();
