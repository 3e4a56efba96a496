// The mood chart: an SVG line of the daily average mood (0 low, 0.5 calm, 1 good; the API's
// daily_trends[].average_sentiment), one point per day with entries.
import { t } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Every calendar day from `from` to `to` (ISO dates, inclusive). */
function days(from, to) {
  const out = [];
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end && out.length < 62) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/**
 * Render `trends` ([{date, average_sentiment, message_count}]) over the last `span` days into `host`.
 * Returns the number of days with entries.
 */
export function renderMoodChart(host, trends, span) {
  host.replaceChildren();
  const today = new Date().toISOString().slice(0, 10);
  const start = new Date(Date.now() - (span - 1) * 86400000).toISOString().slice(0, 10);
  const axis = days(start, today);
  const byDay = new Map(trends.map((p) => [p.date, p]));
  const W = 640;
  const H = 240;
  const pad = { l: 44, r: 16, t: 16, b: 36 };
  const x = (i) => pad.l + (axis.length === 1 ? 0 : (i * (W - pad.l - pad.r)) / (axis.length - 1));
  const y = (v) => pad.t + (1 - v) * (H - pad.t - pad.b);

  const svg = el("svg", {
    viewBox: `0 0 ${W} ${H}`,
    role: "img",
    "aria-labelledby": "mood-chart-title",
    class: "mood-svg",
    preserveAspectRatio: "xMidYMid meet",
  });
  svg.append(el("title", { id: "mood-chart-title" }, t("chart_title")));
  for (const v of [1, 0.75, 0.5, 0.25, 0]) {
    svg.append(el("line", { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: v === 0.5 ? "grid zero" : "grid" }));
    svg.append(el("text", { x: pad.l - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, v.toFixed(2)));
  }
  const step = Math.max(1, Math.ceil(axis.length / 7));
  axis.forEach((d, i) => {
    if (i % step === 0 || i === axis.length - 1) {
      svg.append(el("text", { x: x(i), y: H - 12, class: "tick", "text-anchor": "middle" }, d.slice(5)));
    }
  });
  const pts = [];
  axis.forEach((d, i) => {
    const p = byDay.get(d);
    if (p) pts.push({ i, d, v: Math.max(0, Math.min(1, Number(p.average_sentiment ?? 0.5))), n: p.message_count });
  });
  if (pts.length > 1) {
    svg.append(el("polyline", { points: pts.map((p) => `${x(p.i)},${y(p.v)}`).join(" "), class: "line" }));
  }
  for (const p of pts) {
    const c = el("circle", { cx: x(p.i), cy: y(p.v), r: 5, class: p.v >= 0.5 ? "dot up" : "dot down" });
    c.append(el("title", {}, t("chart_point", { date: p.d, score: p.v.toFixed(2), n: p.n })));
    svg.append(c);
  }
  host.append(svg);
  return pts.length;
}

/** Horizontal bars of an emotion distribution ({emotion: share}). */
export function renderDistribution(host, dist) {
  const entries = Object.entries(dist || {}).sort((a, b) => b[1] - a[1]).slice(0, 6);
  if (!entries.length) return;
  const W = 320;
  const row = 22;
  const svg = el("svg", { viewBox: `0 0 ${W} ${entries.length * row + 4}`, role: "img", class: "dist-svg" });
  svg.append(el("title", {}, entries.map(([e, v]) => `${e} ${Math.round(v * 100)}%`).join(", ")));
  entries.forEach(([e, v], i) => {
    svg.append(el("text", { x: 0, y: i * row + 15, class: "tick" }, e));
    svg.append(el("rect", { x: 90, y: i * row + 4, width: Math.max(2, v * (W - 140)), height: 14, rx: 4, class: "bar" }));
    svg.append(el("text", { x: 96 + v * (W - 140), y: i * row + 15, class: "tick" }, `${Math.round(v * 100)}%`));
  });
  host.append(svg);
}
