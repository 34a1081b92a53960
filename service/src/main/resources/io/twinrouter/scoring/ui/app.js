// The page of the scoring service: reads GET /v1/gap and draws the two leaderboards, the
// cost-against-resolved plot with the Pareto frontier, the paired tests and each case's tier
// choices. Plain DOM and inline SVG: no library, no network but this service.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const TIERS = ['low', 'mid', 'mid_high', 'high'];

function token() {
  const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

async function getJson(path) {
  const headers = {};
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  const r = await fetch(path, { headers });
  const body = await r.json();
  if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + (body.detail || body.error));
  return body;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : String(c));
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const pct = (x, digits = 1) => (x === null || x === undefined ? '-' : (100 * x).toFixed(digits) + '%');
const score = x => (x === null || x === undefined ? '-' : x.toFixed(1));
const usd = x => '$' + x.toFixed(4);

function table(id, head, rows) {
  const t = document.getElementById(id);
  t.replaceChildren(el('tr', {}, ...head.map(h => el('th', {}, h))));
  for (const r of rows) t.append(el('tr', { 'data-router': r.key || '' }, ...r.cells.map(c => el('td', {}, c))));
}

function liveBoard(report) {
  const routers = [...report.routers].sort((a, b) => a.live.bill_usd - b.live.bill_usd
    || a.router.localeCompare(b.router));
  table('live-board',
    ['rank', 'router', 'resolved', 'rate', '95% interval', 'API $', 'penalty $', 'bill $', 'Pareto'],
    routers.map((r, i) => ({ key: r.router, cells: [
      i + 1, r.router, r.live.resolved + '/' + r.live.cases, pct(r.live.resolved_rate),
      '[' + pct(r.live.resolved_rate_low) + ', ' + pct(r.live.resolved_rate_high) + ']',
      usd(r.live.api_cost_usd), usd(r.live.penalty_usd), usd(r.live.bill_usd),
      r.live.pareto_optimal ? 'frontier' : 'dominated'] })));
}

function staticBoard(report) {
  const routers = [...report.routers].sort((a, b) =>
    (b.static.combined_score_percent ?? -1) - (a.static.combined_score_percent ?? -1));
  table('static-board',
    ['rank', 'router', 'ROWPASS', 'ROWEXACT', 'TRAJPASS', 'COSTSAVE', 'COMBINED', 'error rows',
      'agreement with live', 'kappa', 'cases joined'],
    routers.map((r, i) => ({ key: r.router, cells: [
      i + 1, r.router, score(r.static.case_pass_rate_percent), score(r.static.case_exact_match_percent),
      score(r.static.trajectory_pass_rate_percent), score(r.static.cost_savings_score_percent),
      score(r.static.combined_score_percent), r.static.error_rows,
      pct(r.agreement.rate), r.agreement.kappa === null || r.agreement.kappa === undefined
        ? '-' : r.agreement.kappa.toFixed(3),
      r.agreement.cases_joined + '/' + r.live.cases] })));
  const missing = report.routers.filter(r => r.agreement.cases_without_bank_rows.length > 0)
    .map(r => r.router + ': ' + r.agreement.cases_without_bank_rows.join(', '));
  const undefinedKappa = report.routers.filter(r => r.agreement.kappa_undefined)
    .map(r => r.router + ': kappa undefined (-): ' + r.agreement.kappa_undefined);
  document.getElementById('missing').textContent = [
    missing.length ? 'Live cases without bank rows (left out of the agreement): ' + missing.join('; ') : '',
    ...undefinedKappa].filter(t => t).join('. ');
}

function pairsTable(report) {
  table('pairs', ['A', 'B', 'cases', 'A - B', 'A only', 'B only', 'McNemar p', 'MDD (80%)'],
    report.pairs.map(p => ({ key: p.a + '|' + p.b, cells: [
      p.a, p.b, p.cases, pct(p.difference), p.only_a, p.only_b, p.mcnemar_p.toFixed(4),
      pct(p.min_detectable_difference)] })));
}

function plot(report) {
  const W = 480, H = 330, L = 56, R = 24, T = 24, B = 46;
  const pts = report.routers.map(r => ({
    name: r.router, x: r.live.api_cost_usd, y: r.live.resolved_rate,
    lo: r.live.resolved_rate_low, hi: r.live.resolved_rate_high, pareto: r.live.pareto_optimal }))
    .filter(p => p.y !== null);
  const maxX = Math.max(1e-9, ...pts.map(p => p.x)) * 1.15;
  const sx = x => L + (W - L - R) * x / maxX;
  const sy = y => T + (H - T - B) * (1 - y);
  const s = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, id: 'cost-plot' });
  s.append(svg('line', { class: 'axis', x1: L, y1: sy(0), x2: W - R, y2: sy(0) }));
  s.append(svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: sy(0) }));
  for (let i = 0; i <= 4; i++) {
    const y = i / 4;
    s.append(svg('text', { x: L - 6, y: sy(y) + 4, 'text-anchor': 'end' }, (100 * y) + '%'));
    const x = maxX * i / 4;
    s.append(svg('text', { x: sx(x), y: sy(0) + 16, 'text-anchor': 'middle' }, '$' + x.toPrecision(2)));
  }
  s.append(svg('text', { x: (L + W - R) / 2, y: H - 8, 'text-anchor': 'middle' }, 'API cost (USD, total over the run)'));
  s.append(svg('text', { x: 14, y: (T + sy(0)) / 2, transform: `rotate(-90 14 ${(T + sy(0)) / 2})`,
    'text-anchor': 'middle' }, 'resolved'));
  const frontier = pts.filter(p => p.pareto).sort((a, b) => a.x - b.x);
  if (frontier.length > 1) {
    s.append(svg('polyline', { class: 'frontier',
      points: frontier.map(p => sx(p.x) + ',' + sy(p.y)).join(' ') }));
  }
  for (const p of pts) {
    if (p.lo !== null && p.hi !== null) {
      s.append(svg('line', { class: 'ci', x1: sx(p.x), x2: sx(p.x), y1: sy(p.lo), y2: sy(p.hi) }));
    }
  }
  for (const p of pts) {
    const c = svg('circle', { class: 'point ' + (p.pareto ? 'pareto' : 'dominated'), cx: sx(p.x), cy: sy(p.y),
      r: 6, 'data-router': p.name, 'data-cost': p.x, 'data-resolved': p.y });
    c.append(svg('title', {}, `${p.name}: ${usd(p.x)}, ${pct(p.y)} resolved`));
    s.append(c);
    s.append(svg('text', { x: sx(p.x) + 9, y: sy(p.y) - 8 }, p.name));
  }
  document.getElementById('plot').replaceChildren(s);
}

function cases(report) {
  const root = document.getElementById('cases');
  root.replaceChildren();
  for (const r of report.routers) {
    const block = el('div', { class: 'router-block', 'data-router': r.router }, el('h3', {}, r.router));
    for (const c of r.cases) {
      const strip = el('div', { class: 'strip', 'data-router': r.router, 'data-case': c.instance_id,
        'data-tiers': c.tiers.join(' ') });
      c.tiers.forEach((t, i) => strip.append(el('span', {
        class: 'step tier-' + (TIERS.includes(t) ? t : 'unknown'), title: `step ${i + 1}: ${t}` })));
      const verdict = c.static_pass === null ? 'no bank rows' : (c.static_pass ? 'static pass' : 'static fail');
      block.append(el('div', { class: 'strip-row' },
        el('span', { class: 'case', title: c.instance_id }, c.instance_id),
        el('span', { class: 'verdict ' + (c.resolved ? 'ok' : 'bad') },
          (c.resolved ? 'resolved' : 'unresolved') + ', ' + verdict),
        strip,
        el('span', { class: 'muted' }, c.tiers.length + ' steps, ' + usd(c.api_cost_usd))));
    }
    root.append(block);
  }
}

async function main() {
  try {
    const params = new URLSearchParams(location.search);
    let bank = params.get('bank');
    if (!bank) {
      const banks = (await getJson('/v1/static/banks')).banks;
      if (banks.length === 0) throw new Error('the service serves no bank (serve --bank NAME=FILE)');
      bank = banks[0].name;
    }
    const query = new URLSearchParams({ bank });
    if (params.get('runs')) query.set('runs', params.get('runs'));
    const report = await getJson('/v1/gap?' + query);
    document.getElementById('source').textContent = `bank ${report.bank} (${report.bank_rows} rows), `
      + `${report.routers.length} routers, bill penalty $${report.settings.failure_penalty_usd.toFixed(2)} per unresolved case`;
    liveBoard(report);
    staticBoard(report);
    plot(report);
    pairsTable(report);
    cases(report);
    document.body.setAttribute('data-ready', 'true');
  } catch (e) {
    const err = document.getElementById('error');
    err.hidden = false;
    err.textContent = String(e.message || e);
    document.body.setAttribute('data-ready', 'error');
  }
}

main();

// Comparisons (compare --serve): each pair's decision, its running estimate with the interval,
// where the test stands against its boundary, and the spend; followed over the SSE stream with
// fetch (EventSource cannot send the bearer token).
const comparisons = new Map();
const signed = x => (x >= 0 ? '+' : '') + pct(x);

function drawComparisons() {
  const all = [...comparisons.values()];
  document.getElementById('compare-section').hidden = all.length === 0;
  table('compare', ['comparison', 'pair', 'decision', 'cases', 'A-B resolve rate',
    'valid interval', 'log LR for A / B (boundary)', 'spent'],
  all.flatMap(c => c.pairs.map(p => ({ key: c.id, cells: [
    c.id, p.a + ' vs ' + p.b, p.decision, p.cases + ' (' + p.untied_cases + ' untied)',
    signed(p.resolve_rate_difference.estimate),
    '[' + signed(p.resolve_rate_difference.low) + ', ' + signed(p.resolve_rate_difference.high) + ']',
    p.boundary.log_ratio_a_better.toFixed(2) + ' / ' + p.boundary.log_ratio_b_better.toFixed(2)
      + ' (' + p.boundary.upper.toFixed(2) + ')',
    usd(c.spend_usd)] }))));
}

async function followComparison(id) {
  const headers = {};
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  const r = await fetch('/v1/compare/' + encodeURIComponent(id) + '/events', { headers });
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(0, end).split('\n').filter(l => l.startsWith('data: '))
        .map(l => l.slice(6)).join('\n');
      buffer = buffer.slice(end + 2);
      if (data) {
        const c = JSON.parse(data);
        comparisons.set(c.id, c);
        drawComparisons();
      }
    }
  }
}

async function compareMain() {
  try {
    const list = (await getJson('/v1/compare')).comparisons;
    list.forEach(c => comparisons.set(c.id, c));
    drawComparisons();
    list.filter(c => !c.finished).forEach(c => followComparison(c.id));
  } catch (e) {
    // the page's own error line is the gap report's; comparisons are an addition
  }
}

compareMain();
