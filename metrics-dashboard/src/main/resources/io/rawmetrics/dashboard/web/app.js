'use strict';

// The rawmetrics dashboard page: the panels of a Grafana dashboard, drawn with ECharts from what
// /api/dashboards/<uid> reads from InfluxDB, refreshed every few seconds.

const REFRESH_MS = 5000;
const state = { uid: null, dashboards: [], charts: new Map(), timer: null, refreshes: 0 };

function byId(id) { return document.getElementById(id); }

// Three significant digits, never in scientific notation: 9110, 94.9, 0.178.
function plain(value) {
  if (value === 0) return '0';
  return Math.abs(value) >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(3)));
}

// A duration in seconds in the unit it needs, as Grafana's "s" does: 178 ns, 2.1 µs, 51.3 ms, 1.20 s.
const TIME_UNITS = [[1, 's'], [1e-3, 'ms'], [1e-6, 'µs'], [1e-9, 'ns']];
function timeUnit(seconds) {
  const magnitude = Math.abs(seconds);
  return TIME_UNITS.find(([size]) => magnitude >= size) || TIME_UNITS[TIME_UNITS.length - 1];
}

function format(unit, value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  switch (unit) {
    case 's': { const [size, name] = timeUnit(value); return plain(value / size) + ' ' + name; }
    case 'reqps': return plain(value) + ' req/s';
    case 'percentunit': return plain(value * 100) + ' %';
    case 'bytes': return plain(value / 1048576) + ' MiB';
    default: return plain(value);
  }
}

// One time format on every chart, 24-hour, as the heatmaps' columns and the lines' axes.
function clock(millis) {
  const d = new Date(millis);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map(n => String(n).padStart(2, '0')).join(':');
}

function bucketOrder(a, b) {
  const rank = name => name === 'inf' || name === 'rest' ? Infinity : parseFloat(name);
  return rank(a) - rank(b);
}

function reduce(values, how) {
  const present = values.filter(v => v !== null);
  if (present.length === 0) return null;
  if (how === 'last' || how === 'lastNotNull') return present[present.length - 1];
  if (how === 'max') return Math.max(...present);
  return present.reduce((a, b) => a + b, 0) / present.length;
}

function lineOption(panel, range) {
  return {
    animation: false,
    // containLabel: the grid leaves room for the longest axis label, so none is cut off; on the
    // right, room for half a time label, centred on a tick at the range's end.
    grid: { left: 8, right: 32, top: 28, bottom: 4, containLabel: true },
    legend: { top: 0, textStyle: { color: '#ccccdc' } },
    tooltip: { trigger: 'axis', valueFormatter: v => format(panel.unit, v) },
    xAxis: { type: 'time', min: range.from, max: range.to, axisLabel: { color: '#8e8e8e', formatter: clock, hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { color: '#8e8e8e', formatter: v => format(panel.unit, v) },
             splitLine: { lineStyle: { color: '#2c3235' } } },
    series: panel.series.map(s => ({
      type: 'line', name: s.name, showSymbol: false, connectNulls: true,
      data: s.times.map((t, i) => [t, s.values[i]])
    }))
  };
}

function gaugeOption(panel) {
  const value = reduce(panel.series.flatMap(s => s.values), panel.reduce);
  // The scale: the next power of ten above the value, in the unit the value is shown in (ns for
  // 178 ns), labelled with plain numbers of that unit, so that the labels stay short.
  const size = panel.unit === 's' && value ? timeUnit(value)[0] : 1;
  const max = (value && value > 0 ? Math.pow(10, Math.ceil(Math.log10(value / size * 1.25))) : 1) * size;
  return {
    animation: false,
    series: [{
      type: 'gauge', min: 0, max: max, radius: '88%', center: ['50%', '58%'], splitNumber: 5,
      axisLabel: { color: '#8e8e8e', fontSize: 10, distance: 14, formatter: v => plain(v / size) },
      // Below the arc's centre, clear of the scale's labels.
      detail: { color: '#fff', fontSize: 16, offsetCenter: [0, '62%'], formatter: v => format(panel.unit, v) },
      data: [{ value: value === null ? 0 : value }]
    }]
  };
}

function heatmapOption(panel, range) {
  const names = panel.series.map(s => s.name).sort(bucketOrder);
  // A column per step of the page's whole range, as the line charts span it, not only the data's.
  const first = Math.floor(range.from / range.step) * range.step;
  const columns = Math.max(1, Math.floor((range.to - first) / range.step) + 1);
  const times = Array.from({ length: columns }, (_, i) => first + i * range.step);
  const data = [];
  let max = 0;
  for (const s of panel.series) {
    const row = names.indexOf(s.name);
    s.times.forEach((t, i) => {
      const v = s.values[i];
      const column = Math.round((t - first) / range.step);
      if (v !== null && column >= 0 && column < columns) { data.push([column, row, v]); max = Math.max(max, v); }
    });
  }
  return {
    animation: false,
    grid: { left: 8, right: 32, top: 8, bottom: 4, containLabel: true },
    tooltip: { position: 'top' },
    xAxis: { type: 'category', data: times.map(clock), axisLabel: { color: '#8e8e8e', hideOverlap: true } },
    yAxis: { type: 'category', data: names, axisLabel: { color: '#8e8e8e' } },
    visualMap: { min: 0, max: Math.max(1, max), show: false, inRange: { color: ['#1f2a37', '#5794f2', '#fade2a', '#f2495c'] } },
    series: [{ type: 'heatmap', data: data }]
  };
}

function draw(data) {
  const main = byId('panels');
  const seen = new Set();
  for (const panel of data.panels) {
    const key = panel.title + '|' + panel.grid.join(',');
    seen.add(key);
    let section = main.querySelector(`section[data-key="${CSS.escape(key)}"]`);
    if (!section) {
      section = document.createElement('section');
      section.className = 'panel';
      section.dataset.key = key;
      section.style.gridColumn = `${panel.grid[0] + 1} / span ${panel.grid[2]}`;
      section.style.gridRow = `${panel.grid[1] + 1} / span ${panel.grid[3]}`;
      section.innerHTML = '<h2></h2><div class="chart"></div><p class="note"></p>';
      section.querySelector('h2').textContent = panel.title;
      main.appendChild(section);
      // SVG: what a chart states (its axis labels, a gauge's value) is text in the page, which
      // people can select and the browser test reads.
      state.charts.set(key, echarts.init(section.querySelector('.chart'), null, { renderer: 'svg' }));
    }
    section.dataset.title = panel.title;
    section.dataset.type = panel.type;
    section.dataset.points = String(panel.points);
    section.dataset.state = panel.note ? 'note' : panel.points > 0 ? 'data' : 'empty';
    section.querySelector('.note').textContent = panel.note || (panel.points > 0 ? '' : 'no data in this range');
    section.querySelector('.chart').hidden = Boolean(panel.note);
    if (panel.note) continue; // nothing to chart: the note says why
    const range = { from: data.updated - data.range * 60000, to: data.updated, step: data.step };
    const option = panel.type === 'gauge' ? gaugeOption(panel)
                 : panel.type === 'heatmap' ? heatmapOption(panel, range) : lineOption(panel, range);
    state.charts.get(key).setOption(option, true);
  }
  for (const section of [...main.querySelectorAll('section')]) {
    if (!seen.has(section.dataset.key)) {
      state.charts.get(section.dataset.key).dispose();
      state.charts.delete(section.dataset.key);
      section.remove();
    }
  }
}

// The ten slowest calls of the range, with the trace and span ids of those made in a span.
function drawSlowest(table) {
  const section = byId('slowest');
  const rows = (table.calls || []).map(call => {
    const tr = document.createElement('tr');
    tr.dataset.traceId = call.traceId || '';
    const cells = [[clock(call.time)], [call.function], [call.outcome], [format('s', call.seconds)],
                   [call.traceId || '-', 'id'], [call.spanId || '-', 'id']];
    for (const [text, className] of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      if (className && text !== '-') td.className = className;
      tr.appendChild(td);
    }
    return tr;
  });
  section.querySelector('tbody').replaceChildren(...rows);
  section.dataset.rows = String(rows.length);
  section.querySelector('.note').textContent = table.error || (rows.length ? '' : 'no calls in this range');
  section.hidden = false;
}

function showMessage(text, isError) {
  const message = byId('message');
  message.hidden = !text;
  message.textContent = text || '';
  message.className = isError ? 'error' : '';
}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.status + ' from ' + url);
  return body;
}

async function fillSelect(id, key) {
  const select = byId(id);
  const chosen = select.value;
  const tags = await getJson(`/api/tags/${encodeURIComponent(key)}?dashboard=${encodeURIComponent(state.uid)}`);
  const values = tags.values || [];
  select.replaceChildren(new Option('all', ''), ...values.map(v => new Option(v, v)));
  select.value = values.includes(chosen) ? chosen : '';
}

// The user's tags of raw points (constant and @Tag ones): Raw Requests filters and groups by one.
async function fillTagPicker() {
  const select = byId('tag');
  const chosen = select.value;
  const keys = state.uid === 'raw-requests' ? ((await getJson('/api/tag-keys')).keys || []) : [];
  select.replaceChildren(new Option('none', ''), ...keys.map(k => new Option(k, k)));
  select.value = keys.includes(chosen) ? chosen : '';
  byId('tag-picker').hidden = keys.length === 0;
  if (select.value) {
    await fillSelect('tag-value', select.value);
  } else {
    byId('tag-value').replaceChildren(new Option('all', ''));
    byId('group-by').checked = false;
  }
  byId('tag-value').disabled = byId('group-by').disabled = !select.value;
}

async function refresh() {
  // Only the latest refresh draws: an answer that comes after another tab or choice was made
  // (the timer's, or a choice's before the next) would draw the wrong dashboard over the page.
  const seq = ++state.refreshes;
  try {
    // New functions and processes appear as they are called and started.
    await Promise.all([fillSelect('function', 'function'), fillSelect('process', 'process'), fillTagPicker()]);
  } catch (e) {
    // The data request below reports an unreachable server.
  }
  if (seq !== state.refreshes) return;
  const params = new URLSearchParams({ range: byId('range').value });
  if (byId('function').value && state.uid === 'raw-requests') params.set('function', byId('function').value);
  if (byId('process').value) params.set('process', byId('process').value);
  if (byId('tag').value && state.uid === 'raw-requests') {
    params.set('tag', byId('tag').value);
    if (byId('tag-value').value) params.set('tagValue', byId('tag-value').value);
    if (byId('group-by').checked) params.set('groupBy', 'true');
  }
  try {
    const slowest = state.uid === 'raw-requests' ? getJson(`/api/slowest?${tableParams(params)}`) : null;
    const data = await getJson(`/api/dashboards/${state.uid}?${params}`);
    const table = slowest ? await slowest : null;
    if (seq !== state.refreshes) return;
    byId('slowest').hidden = true;
    if (table && !data.error && !data.empty) drawSlowest(table);
    if (data.error) {
      byId('panels').replaceChildren();
      state.charts.clear();
      showMessage(data.error, true);
      document.body.dataset.state = 'error';
    } else {
      draw(data);
      showMessage(data.empty ? data.message : null, false);
      document.body.dataset.state = data.empty ? 'empty' : 'ready';
    }
    byId('status').textContent = `updated ${clock(data.updated)} · database ${data.database} at ${data.url}`;
    byId('status').title = byId('status').textContent;
  } catch (e) {
    if (seq !== state.refreshes) return;
    showMessage('the dashboard server does not answer: ' + e.message, true);
    document.body.dataset.state = 'error';
    window.dashboardErrors.push(String(e));
  }
}

// The charts' selection for the table of slowest calls: a table is not split by a tag's values.
function tableParams(params) {
  const copy = new URLSearchParams(params);
  copy.delete('groupBy');
  return copy;
}

async function show(uid) {
  state.uid = state.dashboards.some(d => d.uid === uid) ? uid : state.dashboards[0].uid;
  for (const a of byId('tabs').querySelectorAll('a')) a.classList.toggle('active', a.dataset.uid === state.uid);
  byId('function-picker').hidden = state.uid !== 'raw-requests';
  for (const chart of state.charts.values()) chart.dispose();
  state.charts.clear();
  byId('panels').replaceChildren();
  byId('slowest').hidden = true;
  document.body.dataset.state = 'loading';
  document.body.dataset.dashboard = state.uid;
  await refresh();
}

async function start() {
  state.dashboards = await getJson('/api/dashboards');
  byId('tabs').replaceChildren(...state.dashboards.map(d => {
    const a = document.createElement('a');
    a.href = '#' + d.uid;
    a.textContent = d.title;
    a.dataset.uid = d.uid;
    return a;
  }));
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  for (const id of ['range', 'function', 'process', 'tag', 'tag-value', 'group-by']) byId(id).addEventListener('change', refresh);
  window.addEventListener('resize', () => state.charts.forEach(c => c.resize()));
  state.timer = setInterval(refresh, REFRESH_MS);
  await show(location.hash.slice(1));
}

start().catch(e => {
  window.dashboardErrors.push(String(e));
  showMessage('the dashboard could not start: ' + e.message, true);
  document.body.dataset.state = 'error';
});
