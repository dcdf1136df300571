/**
 * The saga panel: a saga's Step Functions execution (a purchase's, a SPEI transfer's), read from
 * the local stack's read API (the machine's definition at `/sagas/<machine>`: `purchase`,
 * `spei-transfer`; the execution's history at `/executions/<purchase or transfer id>`) until it
 * ends, drawn beside the conversation and, enlarged, in a dialog; a state selected shows its
 * details. Any state machine is drawn the same way, from its definition.
 *
 * @module
 */
import { $, h, reducedMotion } from './dom.js';
import { formatDuration } from './format.js';
import { fetchJson, reasonOf } from './http.js';
import { drawGraph, nodeDetail } from './saga-drawing.js';
import { executionSummary, isFinal, layoutSaga } from './saga-graph.js';

const SAGA_POLL_MS = 700;
/** How long to wait for an execution the answer named to appear (polls). */
const SAGA_MISSING_LIMIT = 60;
const SAGA_ERROR_LIMIT = 20;
const MIN_PANEL_SCALE = 0.7;

/**
 * @param {object} options
 * @param {(key: string, params?: object) => string} options.t The page's words in its current language.
 * @param {() => 'es'|'en'} options.locale
 * @param {() => string} options.http The read API's URL.
 * @param {() => void} options.onFinal The execution ended (once per execution).
 * @returns The panel's controls.
 */
/** The panel's title, by the machine it draws. */
const titleKey = (machine) => (machine === 'purchase' ? 'saga.title' : `saga.title.${machine}`);

export function createSagaPanel({ t, locale, http, onFinal }) {
  /** The definitions read so far, by machine: each is read once. */
  const definitions = new Map();
  let saga = {
    machine: 'purchase',
    definition: undefined,
    executionId: undefined,
    history: undefined,
    error: undefined,
    timer: undefined,
    misses: 0,
    errors: 0,
    generation: 0,
    selected: undefined,
    zoom: 'auto',
    lastActive: undefined,
    finalSeen: false,
  };

  $('saga-zoom-in').addEventListener('click', () => setZoom(1.25));
  $('saga-zoom-out').addEventListener('click', () => setZoom(0.8));
  $('saga-fit').addEventListener('click', () => setZoom('fit'));
  $('saga-expand').addEventListener('click', openDialog);
  $('saga-dialog-close').addEventListener('click', () => $('saga-dialog').close());
  $('saga-dialog').addEventListener('close', () => $('saga-expand').focus());
  $('saga-dialog').addEventListener('click', (event) => {
    if (event.target === event.currentTarget) event.currentTarget.close();
  });
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => saga.executionId && render(), 150);
  });

  /** Hides the panel for a new session; the machine's definition is kept. */
  function reset() {
    clearTimeout(saga.timer);
    saga = { ...saga, executionId: undefined, history: undefined, error: undefined, timer: undefined, misses: 0, errors: 0, generation: saga.generation + 1, selected: undefined, zoom: 'auto', lastActive: undefined, finalSeen: false };
    $('saga-panel').hidden = true;
    if ($('saga-dialog').open) $('saga-dialog').close();
  }

  /**
   * Shows a saga's execution and follows it until it ends.
   *
   * @param {string} executionId The execution's name: a purchase id, a SPEI transfer id.
   * @param {'purchase'|'spei-transfer'} [machine] The state machine it runs.
   */
  function show(executionId, machine = 'purchase') {
    if (saga.executionId === executionId) return;
    clearTimeout(saga.timer);
    Object.assign(saga, { machine, definition: definitions.get(machine), executionId, history: undefined, error: undefined, misses: 0, errors: 0, generation: saga.generation + 1, selected: undefined, zoom: 'auto', lastActive: undefined, finalSeen: false });
    $('saga-panel').hidden = false;
    render();
    poll();
  }

  /** Brings the panel into view and focus (a message's link to its purchase). */
  function focus() {
    const panel = $('saga-panel');
    if (panel.hidden) return;
    panel.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'start' });
    panel.focus({ preventScroll: true });
  }

  /** Whether there is an execution still to follow. */
  function running() {
    return Boolean(saga.executionId) && !isFinal(saga.history) && saga.misses < SAGA_MISSING_LIMIT && saga.errors < SAGA_ERROR_LIMIT;
  }

  async function poll() {
    const current = saga;
    current.timer = undefined;
    const generation = current.generation;
    try {
      if (!current.definition) {
        const definition = await fetchJson(`${http()}/sagas/${encodeURIComponent(current.machine)}`);
        if (!definition || typeof definition.StartAt !== 'string' || !definition.States || typeof definition.States !== 'object') throw new Error('not a state machine definition');
        definitions.set(current.machine, definition);
        if (generation !== saga.generation) return;
        current.definition = definition;
      }
      try {
        const history = await fetchJson(`${http()}/executions/${encodeURIComponent(current.executionId)}`);
        if (generation !== saga.generation) return;
        current.history = history;
        current.error = undefined;
      } catch (error) {
        if (error?.status !== 404) throw error;
        if (generation !== saga.generation) return;
        current.misses += 1;
        current.error = current.misses >= SAGA_MISSING_LIMIT ? t('saga.unavailable', { reason: 'HTTP 404' }) : t('saga.notYet');
      }
    } catch (error) {
      if (generation !== saga.generation) return;
      current.errors += 1;
      current.error = t('saga.unavailable', { reason: reasonOf(error, locale()) });
    }
    render();
    if (isFinal(current.history)) {
      if (!current.finalSeen) {
        // The saga publishes its result on the bus as it ends: the events are read a few more times.
        current.finalSeen = true;
        onFinal();
      }
      return;
    }
    if (current.misses < SAGA_MISSING_LIMIT && current.errors < SAGA_ERROR_LIMIT) current.timer = setTimeout(poll, SAGA_POLL_MS);
  }

  /** Draws the execution as it stands (nothing when there is none). */
  function render() {
    if (!saga.executionId) return;
    const summary = executionSummary(saga.history);
    const status = saga.history ? summary.status : 'UNKNOWN';
    for (const id of ['saga-status', 'saga-dialog-status']) {
      const badge = $(id);
      badge.dataset.status = status;
      badge.textContent = saga.history ? t(`saga.status.${status}`) : t('saga.loading');
    }
    const title = titleKey(saga.machine);
    $('saga-title').dataset.i18n = title;
    $('saga-title').textContent = t(title);
    $('saga-dialog-title').textContent = `${t(title)} · ${saga.executionId}`;

    const meta = [
      [saga.machine === 'purchase' ? 'purchase_id' : 'transfer_id', h('code', { text: saga.executionId, title: saga.executionId })],
      [t('saga.duration'), summary.durationMs !== undefined ? formatDuration(summary.durationMs) : '—'],
      [t('saga.states'), String(summary.visited)],
      [t('saga.retries'), String(summary.retries)],
    ];
    $('saga-meta').replaceChildren(...meta.map(([label, value]) => h('div', {}, [h('dt', { text: label }), h('dd', {}, [value])])));

    const error = $('saga-error');
    error.hidden = !saga.error;
    error.textContent = saga.error ?? '';

    if (!saga.definition) {
      $('saga-canvas').replaceChildren(h('div', { class: 'saga-placeholder' }, [h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { text: t('saga.loading') })]));
      return;
    }
    const layout = layoutSaga(saga.definition, saga.history, { now: Date.now() });
    draw($('saga-canvas'), layout, 'panel', panelScale(layout));
    followActiveNode(layout);
    const dialog = $('saga-dialog');
    if (dialog.open) draw($('saga-dialog-canvas'), layout, 'dialog', dialogScale(layout));
    renderDetail(layout);
  }

  function draw(container, layout, prefix, scale) {
    drawGraph(container, layout, { prefix, scale, selected: saga.selected, label: t(saga.machine === 'purchase' ? 'saga.graphLabel' : 'saga.graphLabel.spei-transfer', { id: saga.executionId }), t, onSelect: selectNode });
  }

  function panelScale(layout) {
    const zoom = saga.zoom;
    const available = Math.max(200, $('saga-canvas').clientWidth - 2);
    const fit = Math.min(1, available / layout.width);
    if (zoom === 'fit') return fit;
    if (typeof zoom === 'number') return zoom;
    // The whole graph when it stays legible; otherwise legible, scrolled to what runs.
    return fit >= MIN_PANEL_SCALE - 0.1 ? fit : MIN_PANEL_SCALE;
  }

  function dialogScale(layout) {
    const canvas = $('saga-dialog-canvas');
    const fit = Math.min((canvas.clientWidth - 2) / layout.width, (canvas.clientHeight - 2) / layout.height);
    return Math.max(0.72, Math.min(1.1, fit));
  }

  function setZoom(change) {
    if (!saga.definition) return;
    const layout = layoutSaga(saga.definition, saga.history);
    const current = panelScale(layout);
    saga.zoom = change === 'fit' ? 'fit' : Math.max(0.3, Math.min(2, Math.round(current * change * 100) / 100));
    render();
  }

  /** Keeps the state that ran last in view when the graph is larger than its box. */
  function followActiveNode(layout) {
    const visited = saga.history?.states;
    const last = Array.isArray(visited) && visited.length > 0 ? visited[visited.length - 1]?.name : layout.nodes[0]?.id;
    if (!last || last === saga.lastActive) return;
    saga.lastActive = last;
    const node = layout.nodes.find((n) => n.id === last);
    if (node) scrollCanvas($('saga-canvas'), node);
  }

  /** Scrolls the canvas to centre `node`, unless it is already in view. */
  function scrollCanvas(canvas, node) {
    const scale = Number(canvas.dataset.scale) || 1;
    const left = node.x * scale;
    const top = node.y * scale;
    const visible =
      left >= canvas.scrollLeft && left + node.width * scale <= canvas.scrollLeft + canvas.clientWidth && top >= canvas.scrollTop && top + node.height * scale <= canvas.scrollTop + canvas.clientHeight;
    if (visible) return;
    canvas.scrollTo({
      left: Math.max(0, (node.x + node.width / 2) * scale - canvas.clientWidth / 2),
      top: Math.max(0, (node.y + node.height / 2) * scale - canvas.clientHeight / 2),
      behavior: reducedMotion() ? 'auto' : 'smooth',
    });
  }

  function selectNode(id) {
    saga.selected = saga.selected === id ? undefined : id;
    render();
    if (saga.selected && !$('saga-dialog').open) $('saga-detail').scrollIntoView({ block: 'nearest', behavior: reducedMotion() ? 'auto' : 'smooth' });
  }

  function renderDetail(layout) {
    const node = layout.nodes.find((n) => n.id === saga.selected);
    for (const id of ['saga-detail', 'saga-dialog-detail']) {
      const container = $(id);
      container.hidden = !node;
      if (node) container.replaceChildren(...nodeDetail(node, { t, onClose: () => selectNode(node.id) }));
      else container.replaceChildren();
    }
    $('saga-hint').hidden = Boolean(node);
  }

  /** The legend of the states' colours and the edges' lines, in the page's language. */
  function renderLegend() {
    const items = ['succeeded', 'caught', 'compensated', 'running', 'failed', 'notVisited'].map((status) =>
      h('li', {}, [h('span', { class: `swatch swatch--${status}`, 'aria-hidden': 'true' }), h('span', { text: t(`node.status.${status}`) })]),
    );
    items.push(h('li', {}, [h('span', { class: 'line line--next', 'aria-hidden': 'true' }), h('span', { text: t('legend.next') })]));
    items.push(h('li', {}, [h('span', { class: 'line line--catch', 'aria-hidden': 'true' }), h('span', { text: t('legend.catch') })]));
    $('saga-legend').replaceChildren(...items);
    $('saga-legend').setAttribute('aria-label', t('legend.title'));
  }

  function openDialog() {
    const dialog = $('saga-dialog');
    if (!saga.executionId) return;
    dialog.showModal();
    render();
    $('saga-dialog-close').focus();
  }

  return { reset, show, focus, running, render, renderLegend };
}
