/**
 * What the saga panel draws: a laid-out state machine (saga-graph.js) as SVG, each state a
 * button coloured by its status, and the details of one state (its attempts, errors, input and
 * output). Drawing only: the panel (saga-panel.js) says which state is selected and what selecting
 * one does.
 *
 * @module
 */
import { h, s } from './dom.js';
import { formatClock, formatDuration, prettyJson } from './format.js';

const STATUS_ICON = {
  succeeded: { d: 'M-4,0.5 L-1.2,3.2 L4,-2.6', stroke: true },
  compensated: { d: 'M-3.6,-1.2 H1.2 A2.6,2.6 0 0 1 1.2,4 H-2 M-3.6,-1.2 L-1.4,-3.4 M-3.6,-1.2 L-1.4,1', stroke: true },
  caught: { d: 'M0,-3.6 V0.8 M0,3.2 V3.4', stroke: true },
  failed: { d: 'M-3,-3 L3,3 M3,-3 L-3,3', stroke: true },
  retrying: { d: 'M3.4,-1.2 A3.6,3.6 0 1 0 3.2,2 M3.4,-4 V-1.2 H0.6', stroke: true },
  aborted: { d: 'M-2.6,-2.6 H2.6 V2.6 H-2.6 Z', stroke: false },
  running: { d: 'M-2.4,0 A2.4,2.4 0 1 0 2.4,0 A2.4,2.4 0 1 0 -2.4,0', stroke: false },
};

function fitName(name) {
  return name.length > 30 ? `${name.slice(0, 29)}…` : name;
}

/** The words a node shows under its name: its type, how long it took, how often it was retried. */
function nodeMeta(node, t) {
  const meta = [node.type];
  if (node.durationMs !== undefined) meta.push(formatDuration(node.durationMs));
  if (node.retries > 0) meta.push(t('node.retryCount', { n: node.retries }));
  return meta;
}

/**
 * A node's accessible name: the words its box shows, in their order (so a person who reads the box
 * can name it by voice: WCAG's label in name), then its status, and its full name when the box
 * shortens it.
 */
function nodeLabel(node, t) {
  const name = fitName(node.id);
  const parts = [name, ...nodeMeta(node, t), t(`node.status.${node.status}`)];
  if (node.compensation) parts.push(t('node.compensation'));
  if (name !== node.id) parts.push(node.id);
  return parts.join(', ');
}

/**
 * Draws `layout` into `container` at `scale`, keeping its scroll position and the focused state.
 *
 * @param {HTMLElement} container
 * @param {object} layout What saga-graph.js's layoutSaga returns.
 * @param {object} options
 * @param {string} options.prefix Keeps the arrow markers' ids apart from another drawing's on the page.
 * @param {number} options.scale
 * @param {string|undefined} options.selected The selected state's name.
 * @param {string} options.label The graph's accessible name.
 * @param {(key: string, params?: object) => string} options.t
 * @param {(name: string) => void} options.onSelect A state was clicked, or pressed with Enter or Space.
 */
export function drawGraph(container, layout, { prefix, scale, selected, label, t, onSelect }) {
  const focused = document.activeElement?.closest?.('.node')?.dataset.node;
  const focusedHere = focused && container.contains(document.activeElement);
  const scrollLeft = container.scrollLeft;
  const scrollTop = container.scrollTop;
  const width = Math.round(layout.width * scale);
  const height = Math.round(layout.height * scale);
  container.dataset.scale = String(scale);

  const marker = (id, cls) =>
    s('marker', { id, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse', class: cls }, [s('path', { d: 'M0,0 L10,5 L0,10 Z' })]);
  const defs = s('defs', {}, [marker(`${prefix}-arrow`, 'arrow'), marker(`${prefix}-arrow-taken`, 'arrow arrow--taken')]);

  const edges = [...layout.edges].sort((a, b) => Number(a.taken) - Number(b.taken));
  const edgeGroup = s(
    'g',
    { class: 'edges' },
    edges.map((edge) =>
      s(
        'path',
        {
          d: edge.path,
          class: `edge edge--${edge.kind}${edge.taken ? ' edge--taken' : ''}${edge.back ? ' edge--back' : ''}`,
          'marker-end': `url(#${prefix}-arrow${edge.taken ? '-taken' : ''})`,
        },
        [s('title', { text: `${edge.from} → ${edge.to}${edge.label ? ` (${edge.label})` : ''}` })],
      ),
    ),
  );

  const nodeGroup = s(
    'g',
    { class: 'nodes' },
    layout.nodes.map((node) => {
      const iconSpec = STATUS_ICON[node.status];
      const name = fitName(node.id);
      const nameText = s('text', { class: 'node-name', x: 16, y: 24, text: name });
      // Long names are squeezed into the box rather than cut (the full name is in the title).
      if (name.length > 18) {
        nameText.setAttribute('textLength', String(node.width - 44));
        nameText.setAttribute('lengthAdjust', 'spacingAndGlyphs');
      }
      const classes = ['node', `node--${node.status}`];
      if (node.compensation) classes.push('node--compensation');
      if (node.end) classes.push('node--end');
      if (node.start) classes.push('node--start');
      if (selected === node.id) classes.push('is-selected');
      const group = s(
        'g',
        {
          class: classes.join(' '),
          transform: `translate(${node.x},${node.y})`,
          role: 'button',
          tabindex: '0',
          'aria-label': nodeLabel(node, t),
          'aria-pressed': String(selected === node.id),
          dataset: { node: node.id },
        },
        [
          s('title', { text: `${node.id} · ${t(`node.status.${node.status}`)}${node.comment ? `\n${node.comment}` : ''}` }),
          s('rect', { class: 'node-halo', x: -4, y: -4, width: node.width + 8, height: node.height + 8, rx: 14 }),
          s('rect', { class: 'node-box', width: node.width, height: node.height, rx: node.end ? node.height / 2 : 10 }),
          s('rect', { class: 'node-stripe', x: 0, y: 10, width: 4, height: node.height - 20, rx: 2 }),
          nameText,
          // Not drawn (SVG draws only what is in a <text>), but it keeps the name and the type two words for whatever reads the node's text.
          ' ',
          s('text', { class: 'node-meta', x: 16, y: 43, text: nodeMeta(node, t).join(' · ') }),
          iconSpec
            ? s('g', { class: 'node-icon', transform: `translate(${node.width - 17},17)` }, [
                s('circle', { r: 8.5 }),
                s('path', { d: iconSpec.d, class: iconSpec.stroke ? 'stroke' : 'fill' }),
              ])
            : null,
        ],
      );
      group.addEventListener('click', () => onSelect(node.id));
      group.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect(node.id);
        }
      });
      return group;
    }),
  );

  const svg = s('svg', { class: 'saga-svg', viewBox: `0 0 ${layout.width} ${layout.height}`, width, height, role: 'group', 'aria-label': label }, [defs, edgeGroup, nodeGroup]);
  container.replaceChildren(svg);
  container.scrollLeft = scrollLeft;
  container.scrollTop = scrollTop;
  if (focusedHere) container.querySelector(`.node[data-node="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
}

function jsonSection(title, value, open) {
  // The JSON is focusable: a long one scrolls, and must scroll from the keyboard too.
  return h('details', { class: 'json-section', open }, [h('summary', { text: title }), h('pre', { class: 'json', tabindex: '0', text: prettyJson(value) })]);
}

/**
 * The details of one state: its facts, its error, its attempts, and its last input and output.
 *
 * @param {object} node A node of saga-graph.js's layout.
 * @param {object} options
 * @param {(key: string, params?: object) => string} options.t
 * @param {() => void} options.onClose The details' close button.
 * @returns {HTMLElement[]}
 */
export function nodeDetail(node, { t, onClose }) {
  const last = node.visits[node.visits.length - 1];
  const rows = [[t('node.type'), node.type]];
  if (node.durationMs !== undefined) rows.push([t('node.duration'), formatDuration(node.durationMs)]);
  if (node.attempts > 0) rows.push([t('node.attempts'), String(node.attempts)]);
  if (node.retries > 0) rows.push([t('node.retries'), String(node.retries)]);
  if (node.visits.length > 1) rows.push([t('node.visits'), String(node.visits.length)]);
  if (last?.enteredAt) rows.push([t('node.entered'), formatClock(last.enteredAt)]);
  if (last?.exitedAt) rows.push([t('node.exited'), formatClock(last.exitedAt)]);
  if (node.caught) rows.push([t('node.caught'), `${node.caught.errorEquals.join(', ')} → ${node.caught.next}`]);

  const parts = [
    h('header', { class: 'node-detail-header' }, [
      h('h3', { text: node.id }),
      h('span', { class: `badge badge--node`, dataset: { status: node.status }, text: t(`node.status.${node.status}`) }),
      h('button', { type: 'button', class: 'icon-button', 'aria-label': t('node.close'), title: t('node.close'), onclick: () => onClose() }, [
        s('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, [s('path', { d: 'm6.4 5 5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z' })]),
      ]),
    ]),
  ];
  if (node.comment) parts.push(h('p', { class: 'node-comment', text: node.comment }));
  parts.push(h('dl', { class: 'node-facts' }, rows.map(([label, value]) => h('div', {}, [h('dt', { text: label }), h('dd', { text: value })]))));
  if (node.error) parts.push(h('div', { class: 'error-box', role: 'note' }, [h('strong', { text: node.error.error }), h('p', { text: node.error.cause ?? '' })]));

  const attempts = node.visits.flatMap((visit) => (Array.isArray(visit.attempts) ? visit.attempts : []));
  if (attempts.length > 0) {
    parts.push(
      h('table', { class: 'attempts' }, [
        h('caption', { text: t('node.attemptsTable') }),
        h('thead', {}, [h('tr', {}, [t('node.attempt'), t('node.function'), t('node.duration'), t('node.result')].map((c) => h('th', { scope: 'col', text: c })))]),
        h(
          'tbody',
          {},
          attempts.map((a) =>
            h('tr', { class: a.error ? 'is-error' : '' }, [
              h('td', { text: String(a.attempt ?? '') }),
              h('td', { class: 'mono', text: a.function ?? a.resource ?? '—', title: a.function ?? a.resource }),
              h('td', { text: formatDuration(a.durationMs) || '—' }),
              h('td', { text: a.error ? `${a.error.error}: ${a.error.cause}` : t('node.ok') }),
            ]),
          ),
        ),
      ]),
    );
  }
  if (last && 'input' in last) parts.push(jsonSection(t('node.input'), last.input, true));
  if (last && 'output' in last) parts.push(jsonSection(t('node.output'), last.output, false));
  return parts;
}
