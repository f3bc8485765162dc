// The Pathpoint dashboard: plain JavaScript over the API of this bundle (api/v1/, relative to the page).
// Credentials stay in this tab (sessionStorage), go out only in the Authorization header, never in a
// cookie or a URL. The value stream is read with fetch, since EventSource cannot send the header.
'use strict';

(function () {
  const API = 'api/v1/';
  const POLL_MILLIS = 2000;
  const STORAGE_KEY = 'pathpoint.authorization';
  const $ = (id) => document.getElementById(id);

  let authorization = sessionStorage.getItem(STORAGE_KEY);
  let pollTimer = null;
  let stream = null;           // AbortController of the running stream
  let streamRetry = 1000;
  const readings = new Map();  // pathpoint -> reading
  let history = [];

  class Unauthorized extends Error {}

  async function api(path, options = {}) {
    const headers = Object.assign({ 'Authorization': authorization, 'X-Requested-With': 'fetch' }, options.headers || {});
    const response = await fetch(API + path, Object.assign({}, options, { headers, credentials: 'omit', cache: 'no-store' }));
    if (response.status === 401) {
      throw new Unauthorized();
    }
    return response;
  }

  async function json(path) {
    const response = await api(path);
    if (!response.ok) {
      throw new Error(path + ': ' + response.status + ' ' + (await errorText(response)));
    }
    return response.json();
  }

  async function errorText(response) {
    const text = await response.text();
    try {
      return JSON.parse(text).error || text;
    } catch (e) {
      return text;
    }
  }

  // --- logging in and out -------------------------------------------------------------------

  async function logIn(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    const user = $('user').value.trim();
    if (token) {
      authorization = 'Bearer ' + token;
    } else if (user) {
      authorization = 'Basic ' + btoa(unescape(encodeURIComponent(user + ':' + $('password').value)));
    } else {
      $('login-error').textContent = 'Enter a token, or a user and password.';
      return;
    }
    $('login-button').disabled = true;
    $('login-error').textContent = 'Checking…';
    try {
      await json('queue');
      sessionStorage.setItem(STORAGE_KEY, authorization);
      $('token').value = '';
      $('password').value = '';
      $('login-error').textContent = '';
      start();
    } catch (e) {
      authorization = null;
      $('login-error').textContent = e instanceof Unauthorized
        ? 'Not accepted. Repeated failures are answered more and more slowly.'
        : 'The gateway did not answer: ' + e.message;
    } finally {
      $('login-button').disabled = false;
    }
  }

  function logOut() {
    sessionStorage.removeItem(STORAGE_KEY);
    authorization = null;
    stop();
    $('main').hidden = true;
    $('logout-button').hidden = true;
    $('login').hidden = false;
  }

  function start() {
    $('login').hidden = true;
    $('main').hidden = false;
    $('logout-button').hidden = false;
    poll();
    openStream();
  }

  function stop() {
    clearTimeout(pollTimer);
    pollTimer = null;
    if (stream) {
      stream.abort();
      stream = null;
    }
    setStreamState('offline', false);
    readings.clear();
    renderValues();
  }

  function failed(e) {
    if (e instanceof Unauthorized) {
      logOut();
      $('login-error').textContent = 'The gateway no longer accepts these credentials.';
      return true;
    }
    return false;
  }

  // --- polling: queue, statistics, drivers, connections, links ------------------------------

  async function poll() {
    try {
      const [queue, stats, drivers, connections, links] = await Promise.all(
        ['queue', 'stats', 'drivers', 'connections', 'links'].map(json));
      renderQueue(queue);
      renderStats(stats);
      renderDrivers(drivers.drivers);
      renderConnections('connections', connections.connections);
      renderConnections('links', links.links);
    } catch (e) {
      if (failed(e)) {
        return;
      }
    }
    if (authorization) {
      pollTimer = setTimeout(poll, POLL_MILLIS);
    }
  }

  function renderQueue(queue) {
    $('queue-queued').textContent = queue.queuedSections;
    $('queue-running').textContent = queue.runningSections;
    $('queue-inflight').textContent = queue.inFlight;
  }

  function renderStats(stats) {
    $('stats-completed').textContent = stats.ordersCompleted;
    $('stats-retries').textContent = stats.retries;
    $('stats-latency').textContent = millis(stats.meanLatencyMillis) + ' / ' + millis(stats.maxLatencyMillis);
    const failures = Object.entries(stats.failuresByReason).map(([reason, count]) => reason + ' ' + count);
    $('stats-failures').textContent = failures.length ? failures.join(', ') : 'none';
    history = stats.history;
    plot();
  }

  function millis(value) {
    return value < 10 ? value.toFixed(2) + ' ms' : Math.round(value) + ' ms';
  }

  // A small plot drawn by hand: orders per second as bars, mean and max latency as lines.
  function plot() {
    const canvas = $('latency-plot');
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth, height = canvas.clientHeight;
    if (!width || !height) {
      return;
    }
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    if (history.length < 2) {
      g.fillStyle = '#5f6b7a';
      g.font = '12px system-ui, sans-serif';
      g.fillText('collecting samples…', 8, 18);
      return;
    }
    const pad = 4, top = 16;
    const step = (width - 2 * pad) / (history.length - 1);
    const maxRate = Math.max(1, ...history.map((s) => s.ordersPerSecond));
    const maxLatency = Math.max(0.001, ...history.map((s) => s.maxLatencyMillis));
    g.fillStyle = '#b6d4fe';
    history.forEach((sample, i) => {
      const h = (height - top - pad) * sample.ordersPerSecond / maxRate;
      g.fillRect(pad + i * step - step / 2, height - pad - h, Math.max(1, step - 1), h);
    });
    const line = (field, colour) => {
      g.strokeStyle = colour;
      g.lineWidth = 1.5;
      g.beginPath();
      history.forEach((sample, i) => {
        const y = height - pad - (height - top - pad) * sample[field] / maxLatency;
        if (i === 0) g.moveTo(pad, y); else g.lineTo(pad + i * step, y);
      });
      g.stroke();
    };
    line('maxLatencyMillis', '#cf222e');
    line('meanLatencyMillis', '#1f6feb');
    g.fillStyle = '#5f6b7a';
    g.font = '11px system-ui, sans-serif';
    g.fillText(millis(maxLatency) + ' · ' + maxRate.toFixed(1) + ' orders/s', pad + 2, 12);
  }

  function fillTable(id, rows) {
    const body = $(id).tBodies[0];
    body.replaceChildren(...rows.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach((cell) => {
        const td = document.createElement('td');
        td.textContent = cell.text;
        if (cell.className) td.className = cell.className;
        tr.appendChild(td);
      });
      return tr;
    }));
  }

  function renderDrivers(drivers) {
    fillTable('drivers', drivers.map((d) => [
      { text: d.name }, { text: d.pattern || '(none)' }, { text: String(d.ranking) },
      { text: String(d.inFlight) }, { text: d.bundle }]));
  }

  function renderConnections(id, reports) {
    fillTable(id, reports.map((c) => [
      { text: c.name }, { text: c.state, className: 'state-' + c.state }, { text: c.endpoint },
      { text: time(c.since) }, { text: c.problem || '' }]));
  }

  function time(iso) {
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleTimeString();
  }

  // --- values and their stream --------------------------------------------------------------

  function show(reading) {
    return 'value' in reading ? String(reading.value) : reading.reason + ': ' + reading.message;
  }

  function newer(reading) {
    const known = readings.get(reading.pathpoint);
    return !known || known.timestamp <= reading.timestamp;
  }

  function renderValues(changed) {
    const filter = $('value-filter').value.trim().toLowerCase();
    const names = [...readings.keys()].filter((name) => name.toLowerCase().includes(filter)).sort();
    const body = $('values').tBodies[0];
    body.replaceChildren(...names.map((name) => {
      const reading = readings.get(name);
      const tr = document.createElement('tr');
      tr.dataset.pathpoint = name;
      if (changed && changed.has(name)) tr.className = 'changed';
      const cells = [[name, 'name'], [show(reading), 'value' in reading ? 'value' : 'value failed'], [time(reading.timestamp), 'time']];
      cells.forEach(([text, className]) => {
        const td = document.createElement('td');
        td.textContent = text;
        td.className = className;
        tr.appendChild(td);
      });
      return tr;
    }));
    $('values-count').textContent = names.length + ' of ' + readings.size;
  }

  async function loadValues() {
    const answer = await json('values');
    answer.values.forEach((reading) => {
      if (newer(reading)) readings.set(reading.pathpoint, reading);
    });
    renderValues();
  }

  function setStreamState(text, live) {
    const pill = $('stream-state');
    pill.textContent = text;
    pill.className = 'pill ' + (live ? 'live' : 'off');
  }

  async function openStream() {
    const controller = new AbortController();
    stream = controller;
    setStreamState('connecting', false);
    try {
      const response = await api('values/stream', { signal: controller.signal, headers: { 'Accept': 'text/event-stream' } });
      if (!response.ok) {
        throw new Error('stream: ' + response.status);
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handleEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (controller.signal.aborted || failed(e)) {
        return;
      }
    }
    if (stream === controller) {
      setStreamState('reconnecting', false);
      setTimeout(() => { if (stream === controller) openStream(); }, streamRetry);
      streamRetry = Math.min(streamRetry * 2, 15000);
    }
  }

  let pendingChanges = new Set();
  let renderScheduled = false;

  function handleEvent(frame) {
    let type = 'message', data = '';
    frame.split('\n').forEach((line) => {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    });
    if (type === 'ready') {
      streamRetry = 1000;
      setStreamState('live', true);
      loadValues().catch(failed);
    } else if (type === 'reading') {
      const reading = JSON.parse(data);
      if (newer(reading)) {
        readings.set(reading.pathpoint, reading);
        pendingChanges.add(reading.pathpoint);
        scheduleRender();
      }
    } else if (type === 'removed') {
      readings.delete(JSON.parse(data).pathpoint);
      scheduleRender();
    } else if (type === 'overflow') {
      // this tab was too slow and missed changes: read everything again
      loadValues().catch(failed);
    }
  }

  function scheduleRender() {
    if (!renderScheduled) {
      renderScheduled = true;
      requestAnimationFrame(() => {
        renderScheduled = false;
        const changed = pendingChanges;
        pendingChanges = new Set();
        renderValues(changed);
      });
    }
  }

  // --- reading, writing, running sections ---------------------------------------------------

  async function runSections(documentText) {
    const response = await api('sections', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: documentText });
    if (response.status === 200) {
      const text = await response.text();
      return { ok: true, results: text.trim().split('\n').filter((l) => l).map((l) => JSON.parse(l)) };
    }
    if (response.status === 202) {
      const running = await response.json();
      return pollRun(running.location);
    }
    return { ok: false, message: response.status + ': ' + (await errorText(response)) };
  }

  async function pollRun(location) {
    const path = location.slice(location.indexOf(API) + API.length);
    for (;;) {
      const response = await api(path + '?wait=10');
      if (response.status === 200) {
        const text = await response.text();
        return { ok: true, results: text.trim().split('\n').filter((l) => l).map((l) => JSON.parse(l)) };
      }
      if (response.status !== 202) {
        return { ok: false, message: response.status + ': ' + (await errorText(response)) };
      }
    }
  }

  function outcome(order) {
    if (order.status === 'done') return 'value' in order ? String(order.value) : 'done';
    if (order.status === 'failed') return 'failed ' + order.reason + ': ' + order.message;
    return order.status;
  }

  function wireValue(text) {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }

  async function readOrWrite(write) {
    const path = $('rw-path').value.trim();
    const result = $('rw-result');
    if (!path) {
      result.textContent = 'Enter a pathpoint.';
      return;
    }
    const orders = [];
    if (write) {
      orders.push({ type: 'write', path, value: wireValue($('rw-value').value), advise: 1 });
    }
    // after a write, read it back: the table then shows what the device holds
    orders.push({ type: 'read', path, advise: 1 });
    result.className = 'result';
    result.textContent = write ? 'writing…' : 'reading…';
    try {
      const answer = await runSections(JSON.stringify({ orders }));
      if (!answer.ok) {
        result.className = 'result bad';
        result.textContent = answer.message;
        return;
      }
      const done = answer.results[0].orders;
      result.className = answer.results[0].succeeded ? 'result' : 'result bad';
      result.textContent = done.map((o) => o.type + ' ' + o.path + ': ' + outcome(o)).join('\n');
    } catch (e) {
      if (!failed(e)) {
        result.className = 'result bad';
        result.textContent = e.message;
      }
    }
  }

  async function runSectionForm(event) {
    event.preventDefault();
    const out = $('section-results');
    out.className = 'result';
    out.textContent = 'running…';
    try {
      const answer = await runSections($('section-doc').value);
      if (!answer.ok) {
        out.className = 'result bad';
        out.textContent = answer.message;
        return;
      }
      out.textContent = answer.results.map((section, i) => 'section ' + (i + 1) + (section.succeeded ? ' succeeded' : ' did not succeed')
        + '\n' + section.orders.map((o) => '  ' + o.type + (o.path ? ' ' + o.path : o.op_type ? ' ' + o.op_type : '') + ': ' + outcome(o)).join('\n'))
        .join('\n');
    } catch (e) {
      if (!failed(e)) {
        out.className = 'result bad';
        out.textContent = e.message;
      }
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', logIn);
    $('logout-button').addEventListener('click', logOut);
    $('value-filter').addEventListener('input', () => renderValues());
    $('rw-form').addEventListener('submit', (event) => { event.preventDefault(); readOrWrite(false); });
    $('write-button').addEventListener('click', () => readOrWrite(true));
    $('section-form').addEventListener('submit', runSectionForm);
    window.addEventListener('resize', plot);
    if (authorization) {
      start();
    }
  });
}());
