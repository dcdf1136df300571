/**
 * A state machine drawn the way the Step Functions console draws an execution, as plain data:
 * from an Amazon States Language definition (and, optionally, an execution history as the local
 * stack serves it at `/executions/<name>`) to positioned nodes and routed edges, each with the
 * status the page colours it by. No DOM: saga-drawing.js turns the result into SVG.
 *
 * Layout (a small Sugiyama): back edges found by a depth-first walk from `StartAt` are set
 * aside; every state gets the layer of its longest path from the start; edges that skip layers
 * pass through virtual points, one per layer, so they run between the nodes rather than over
 * them; a few barycenter sweeps order each layer to cut crossings; x positions are pulled
 * towards the neighbours' (Next edges weigh more than Catch edges, so the happy path stays a
 * straight column) by isotonic regression, which keeps the order and the gaps.
 *
 * @module
 */

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 56;
export const LAYER_GAP = 60;
export const NODE_GAP = 22;
export const VIRTUAL_WIDTH = 10;
export const MARGIN = 24;

/** How much an edge pulls its ends into line, by kind. */
const EDGE_WEIGHT = { next: 1000, default: 400, choice: 400, catch: 1 };

/**
 * The transitions out of one state, in the order the console lists them.
 *
 * @param {object} state An ASL state.
 * @returns {{ to: string, kind: 'next'|'choice'|'default'|'catch', label: string }[]}
 */
export function transitionsOf(state) {
  if (!state || typeof state !== 'object') return [];
  const out = [];
  if (typeof state.Next === 'string') out.push({ to: state.Next, kind: 'next', label: '' });
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((choice, i) => {
      if (choice && typeof choice.Next === 'string') out.push({ to: choice.Next, kind: 'choice', label: choiceLabel(choice, i) });
    });
  }
  if (typeof state.Default === 'string') out.push({ to: state.Default, kind: 'default', label: 'Default' });
  if (Array.isArray(state.Catch)) {
    for (const catcher of state.Catch) {
      if (catcher && typeof catcher.Next === 'string') {
        const errors = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.map(String) : [];
        out.push({ to: catcher.Next, kind: 'catch', label: errors.join(', ') });
      }
    }
  }
  return out;
}

function choiceLabel(choice, index) {
  if (typeof choice.Comment === 'string' && choice.Comment) return choice.Comment;
  const variable = typeof choice.Variable === 'string' ? choice.Variable : '';
  const operator = Object.keys(choice).find((key) => !['Variable', 'Next', 'Comment', 'Assign', 'Output'].includes(key));
  if (variable && operator) return `${variable} ${operator} ${JSON.stringify(choice[operator])}`;
  return `Rule #${index + 1}`;
}

/**
 * The states that only a Catch leads to: whatever is not reachable from `StartAt` by Next,
 * Choice and Default alone (the compensations and the failure path of a saga).
 *
 * @param {{ StartAt: string, States: Record<string, object> }} definition
 * @returns {Set<string>}
 */
export function compensationStates(definition) {
  const states = statesOf(definition);
  const forward = new Set();
  const stack = typeof definition?.StartAt === 'string' && states[definition.StartAt] ? [definition.StartAt] : [];
  while (stack.length > 0) {
    const name = stack.pop();
    if (forward.has(name)) continue;
    forward.add(name);
    for (const t of transitionsOf(states[name])) if (t.kind !== 'catch' && states[t.to] && !forward.has(t.to)) stack.push(t.to);
  }
  return new Set(Object.keys(states).filter((name) => !forward.has(name)));
}

function statesOf(definition) {
  const states = definition && typeof definition === 'object' ? definition.States : undefined;
  return states && typeof states === 'object' && !Array.isArray(states) ? states : {};
}

function time(iso) {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * What happened to each state in an execution.
 *
 * Status: `succeeded` (passed), `caught` (failed, and a Catch took it on), `compensated` (a
 * compensation state that ran and passed), `running` (entered, not left, while the execution
 * runs; `retrying` when its last attempt failed and a retry is pending), `failed` (the error
 * the execution stopped on), `aborted` (left unfinished by an aborted execution) or
 * `notVisited`.
 *
 * @param {{ StartAt: string, States: Record<string, object> }} definition
 * @param {object | undefined} history An ExecutionHistory (see local/saga.ts).
 * @param {number} [now] For the duration of a state still running.
 * @returns {Map<string, object>} By state name: status, visits, durationMs, retries, attempts, error, caught, input, output.
 */
export function stateStatuses(definition, history, now = Date.now()) {
  const states = statesOf(definition);
  const compensations = compensationStates(definition);
  const visitsAll = Array.isArray(history?.states) ? history.states.filter((v) => v && typeof v.name === 'string') : [];
  const executionStatus = typeof history?.status === 'string' ? history.status : undefined;
  const result = new Map();
  const names = [...Object.keys(states), ...visitsAll.map((v) => v.name).filter((n) => !(n in states))];
  for (const name of new Set(names)) {
    const visits = [];
    visitsAll.forEach((visit, index) => {
      if (visit.name === name) visits.push({ visit, index });
    });
    const compensation = compensations.has(name);
    if (visits.length === 0) {
      result.set(name, { name, status: 'notVisited', compensation, visits: [], retries: 0, attempts: 0 });
      continue;
    }
    let durationMs = 0;
    let known = false;
    for (const { visit, index } of visits) {
      const d = visitDuration(visit, visitsAll[index + 1], executionStatus, history, now);
      if (d !== undefined) {
        durationMs += d;
        known = true;
      }
    }
    const last = visits[visits.length - 1].visit;
    const retries = visits.reduce((sum, { visit }) => sum + (Array.isArray(visit.retries) ? visit.retries.length : 0), 0);
    const attempts = visits.reduce((sum, { visit }) => sum + (Array.isArray(visit.attempts) ? visit.attempts.length : 0), 0);
    const status = visitStatus(last, executionStatus, compensation);
    const lastAttempt = Array.isArray(last.attempts) && last.attempts.length > 0 ? last.attempts[last.attempts.length - 1] : undefined;
    const error = last.error ?? (status === 'failed' || status === 'retrying' ? lastAttempt?.error : undefined);
    result.set(name, {
      name,
      status,
      compensation,
      visits: visits.map((v) => v.visit),
      ...(known ? { durationMs: Math.round(durationMs * 10) / 10 } : {}),
      retries,
      attempts,
      ...(error ? { error } : {}),
      ...(last.caught ? { caught: last.caught } : {}),
      enteredAt: last.enteredAt,
      ...(last.exitedAt ? { exitedAt: last.exitedAt } : {}),
      input: last.input,
      ...('output' in last ? { output: last.output } : {}),
    });
  }
  return result;
}

function visitDuration(visit, nextVisit, executionStatus, history, now) {
  if (typeof visit.durationMs === 'number') return visit.durationMs;
  const entered = time(visit.enteredAt);
  if (entered === undefined) return undefined;
  const exited = time(visit.exitedAt) ?? time(nextVisit?.enteredAt);
  if (exited !== undefined) return Math.max(0, exited - entered);
  if (executionStatus === 'RUNNING') return Math.max(0, now - entered);
  const stopped = time(history?.stopDate);
  return stopped === undefined ? undefined : Math.max(0, stopped - entered);
}

function visitStatus(visit, executionStatus, compensation) {
  if (visit.caught) return 'caught';
  if (visit.exitedAt && !visit.error) return compensation ? 'compensated' : 'succeeded';
  if (visit.exitedAt && visit.error) return 'caught';
  if (executionStatus === 'RUNNING' || executionStatus === undefined) {
    const pendingRetry = Boolean(visit.error);
    return pendingRetry ? 'retrying' : 'running';
  }
  if (executionStatus === 'ABORTED') return 'aborted';
  if (executionStatus === 'SUCCEEDED') return compensation ? 'compensated' : 'succeeded';
  return 'failed';
}

/**
 * Whether a history is final (nothing more will change).
 *
 * @param {object | undefined} history
 */
export function isFinal(history) {
  return Boolean(history && typeof history.status === 'string' && history.status !== 'RUNNING');
}

/**
 * Lays the state machine out top-down.
 *
 * @param {{ StartAt: string, States: Record<string, object> }} definition An ASL definition.
 * @param {object} [history] An execution history: colours the nodes and marks the edges taken.
 * @param {{ now?: number }} [options]
 * @returns {{
 *   nodes: { id: string, type: string, comment?: string, layer: number, order: number, x: number, y: number, width: number, height: number,
 *            start: boolean, end: boolean, compensation: boolean, status: string, durationMs?: number, retries: number, attempts: number,
 *            error?: { error: string, cause: string }, caught?: { errorEquals: string[], next: string }, visits: object[] }[],
 *   edges: { id: string, from: string, to: string, kind: string, label: string, back: boolean, taken: boolean, points: { x: number, y: number }[], path: string }[],
 *   layers: string[][], width: number, height: number, problems: string[]
 * }}
 */
export function layoutSaga(definition, history, options = {}) {
  const states = statesOf(definition);
  const names = Object.keys(states);
  const problems = [];
  if (names.length === 0) problems.push('the definition has no States');
  const start = typeof definition?.StartAt === 'string' ? definition.StartAt : undefined;
  if (start === undefined || !states[start]) problems.push(`StartAt ${String(start)} is not a state`);

  // Edges, dangling ones reported.
  const edges = [];
  for (const from of names) {
    transitionsOf(states[from]).forEach((t, i) => {
      if (!states[t.to]) {
        problems.push(`${from} → ${t.to}: no such state`);
        return;
      }
      edges.push({ id: `${from}->${t.to}#${t.kind}${i}`, from, to: t.to, kind: t.kind, label: t.label, back: false });
    });
  }

  // Depth-first from the start, then from whatever it did not reach: discovery order seeds the
  // ordering, and an edge to a state still on the stack closes a loop (a back edge).
  const discovered = [];
  const seen = new Set();
  const onStack = new Set();
  const outgoing = new Map(names.map((n) => [n, edges.filter((e) => e.from === n)]));
  const visit = (name) => {
    seen.add(name);
    onStack.add(name);
    discovered.push(name);
    for (const edge of outgoing.get(name)) {
      if (edge.to === name || onStack.has(edge.to)) edge.back = true;
      else if (!seen.has(edge.to)) visit(edge.to);
    }
    onStack.delete(name);
  };
  if (start !== undefined && states[start]) visit(start);
  for (const name of names) if (!seen.has(name)) visit(name);

  // Longest-path layering over the forward edges, in topological order.
  const forward = edges.filter((e) => !e.back);
  const layer = new Map(names.map((n) => [n, 0]));
  const indegree = new Map(names.map((n) => [n, 0]));
  for (const e of forward) indegree.set(e.to, indegree.get(e.to) + 1);
  const queue = discovered.filter((n) => indegree.get(n) === 0);
  while (queue.length > 0) {
    const name = queue.shift();
    for (const e of forward) {
      if (e.from !== name) continue;
      layer.set(e.to, Math.max(layer.get(e.to), layer.get(name) + 1));
      indegree.set(e.to, indegree.get(e.to) - 1);
      if (indegree.get(e.to) === 0) queue.push(e.to);
    }
  }

  // Layout items: real nodes and the virtual points of long edges.
  const layerCount = names.length === 0 ? 0 : Math.max(...layer.values()) + 1;
  const items = new Map();
  const rows = Array.from({ length: layerCount }, () => []);
  for (const name of discovered) {
    const item = { id: name, layer: layer.get(name), width: NODE_WIDTH, virtual: false, up: [], down: [], x: 0 };
    items.set(name, item);
    rows[item.layer].push(item);
  }
  const link = (a, b, weight) => {
    const existing = a.down.find((n) => n.item === b);
    if (existing) {
      existing.weight = Math.max(existing.weight, weight);
      b.up.find((n) => n.item === a).weight = existing.weight;
      return;
    }
    a.down.push({ item: b, weight });
    b.up.push({ item: a, weight });
  };
  // Long edges into the same state share their virtual points (edge concentration): the four
  // reservation failures run to ReleaseInventory as one line, not four side by side.
  const shared = new Map();
  for (const e of forward) {
    const weight = EDGE_WEIGHT[e.kind] ?? 1;
    let previous = items.get(e.from);
    e.chain = [];
    for (let l = layer.get(e.from) + 1; l < layer.get(e.to); l++) {
      const key = `${e.to}@${l}#${e.kind === 'catch' ? 'catch' : 'next'}`;
      let v = shared.get(key);
      if (!v) {
        v = { id: key, layer: l, width: VIRTUAL_WIDTH, virtual: true, up: [], down: [], x: 0 };
        shared.set(key, v);
        rows[l].push(v);
      }
      e.chain.push(v);
      link(previous, v, weight);
      previous = v;
    }
    link(previous, items.get(e.to), weight);
  }
  // Where several edges merge, none of their sources is pulled over the merge point: they fan in.
  for (const v of shared.values()) {
    if (v.up.length < 2) continue;
    for (const n of v.up) {
      n.weight = 1;
      n.item.down.find((d) => d.item === v).weight = 1;
    }
  }

  orderLayers(rows);
  rows.forEach((row) => row.forEach((item, i) => (item.order = i)));
  placeHorizontally(rows);
  alignChains(rows);

  // Coordinates.
  const minX = Math.min(...[...items.values(), ...rows.flat()].map((i) => i.x - i.width / 2), Infinity);
  const shift = Number.isFinite(minX) ? MARGIN - minX : MARGIN;
  for (const row of rows) for (const item of row) item.x += shift;
  const maxX = Math.max(MARGIN, ...rows.flat().map((i) => i.x + i.width / 2));
  const hasBackEdges = edges.some((e) => e.back);
  const width = Math.round(maxX + MARGIN + (hasBackEdges ? 40 : 0));
  const height = Math.round(MARGIN * 2 + layerCount * NODE_HEIGHT + Math.max(0, layerCount - 1) * LAYER_GAP);
  const top = (l) => MARGIN + l * (NODE_HEIGHT + LAYER_GAP);

  const statuses = stateStatuses(definition, history, options.now);
  const taken = takenEdges(history);
  const ends = new Set(names.filter((n) => {
    const s = states[n];
    return s?.End === true || s?.Type === 'Succeed' || s?.Type === 'Fail';
  }));

  const nodes = discovered.map((name) => {
    const item = items.get(name);
    const state = states[name] ?? {};
    const s = statuses.get(name) ?? { status: 'notVisited', retries: 0, attempts: 0, visits: [], compensation: false };
    return {
      id: name,
      type: typeof state.Type === 'string' ? state.Type : 'Unknown',
      ...(typeof state.Comment === 'string' ? { comment: state.Comment } : {}),
      layer: item.layer,
      order: item.order,
      x: round(item.x - NODE_WIDTH / 2),
      y: top(item.layer),
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      start: name === start,
      end: ends.has(name),
      compensation: s.compensation,
      status: s.status,
      ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
      retries: s.retries,
      attempts: s.attempts,
      ...(s.error ? { error: s.error } : {}),
      ...(s.caught ? { caught: s.caught } : {}),
      visits: s.visits,
    };
  });

  const routed = edges.map((e) => {
    const a = items.get(e.from);
    const b = items.get(e.to);
    let points;
    let path;
    if (e.back) {
      // A loop: out of the source's right side, round and into the target's right side.
      const x1 = a.x + NODE_WIDTH / 2;
      const y1 = top(a.layer) + NODE_HEIGHT / 2;
      const x2 = b.x + NODE_WIDTH / 2;
      const y2 = top(b.layer) + NODE_HEIGHT / 2;
      const bulge = Math.max(x1, x2) + 36;
      points = [{ x: x1, y: y1 }, { x: bulge, y: y1 }, { x: bulge, y: y2 }, { x: x2, y: y2 }];
      path = `M${r(x1)},${r(y1)} C${r(bulge)},${r(y1)} ${r(bulge)},${r(y2)} ${r(x2)},${r(y2)}`;
    } else {
      points = [{ x: a.x, y: top(a.layer) + NODE_HEIGHT }];
      for (const v of e.chain) points.push({ x: v.x, y: top(v.layer) }, { x: v.x, y: top(v.layer) + NODE_HEIGHT });
      points.push({ x: b.x, y: top(b.layer) });
      path = smoothPath(points);
    }
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      kind: e.kind,
      label: e.label,
      back: e.back,
      taken: taken.has(`${e.from}->${e.to}`),
      points: points.map((p) => ({ x: round(p.x), y: round(p.y) })),
      path,
    };
  });

  return {
    nodes,
    edges: routed,
    layers: rows.map((row) => row.filter((i) => !i.virtual).map((i) => i.id)),
    width,
    height,
    problems,
  };
}

/** `from->to` for every transition the execution made (consecutive visits). */
function takenEdges(history) {
  const taken = new Set();
  const visits = Array.isArray(history?.states) ? history.states : [];
  for (let i = 1; i < visits.length; i++) taken.add(`${visits[i - 1].name}->${visits[i].name}`);
  for (const v of visits) if (v?.caught && typeof v.caught.next === 'string') taken.add(`${v.name}->${v.caught.next}`);
  return taken;
}

/** Straight down through a virtual point's band, an S-curve between layers. */
function smoothPath(points) {
  let d = `M${r(points[0].x)},${r(points[0].y)}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1];
    const q = points[i];
    if (p.x === q.x) d += ` L${r(q.x)},${r(q.y)}`;
    else {
      const mid = (p.y + q.y) / 2;
      d += ` C${r(p.x)},${r(mid)} ${r(q.x)},${r(mid)} ${r(q.x)},${r(q.y)}`;
    }
  }
  return d;
}

function r(n) {
  return Math.round(n * 10) / 10;
}

const round = r;

/** Barycenter sweeps, down and up, keeping the ordering with the fewest crossings. */
function orderLayers(rows) {
  const position = () => {
    const pos = new Map();
    for (const row of rows) row.forEach((item, i) => pos.set(item, i));
    return pos;
  };
  let best = rows.map((row) => [...row]);
  let bestCrossings = crossings(rows);
  for (let sweep = 0; sweep < 8 && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    const sequence = down ? rows.map((_, i) => i).slice(1) : rows.map((_, i) => i).reverse().slice(1);
    for (const l of sequence) {
      const pos = position();
      const row = rows[l];
      const keyed = row.map((item, i) => {
        const neighbours = down ? item.up : item.down;
        if (neighbours.length === 0) return { item, key: i, i };
        const total = neighbours.reduce((sum, n) => sum + n.weight, 0);
        const key = neighbours.reduce((sum, n) => sum + pos.get(n.item) * n.weight, 0) / total;
        return { item, key, i };
      });
      keyed.sort((p, q) => p.key - q.key || p.i - q.i);
      rows[l] = keyed.map((k) => k.item);
    }
    const c = crossings(rows);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = rows.map((row) => [...row]);
    }
  }
  best.forEach((row, l) => (rows[l] = row));
}

/** Edge crossings between adjacent layers. */
export function crossings(rows) {
  let count = 0;
  for (let l = 0; l + 1 < rows.length; l++) {
    const below = new Map(rows[l + 1].map((item, i) => [item, i]));
    const pairs = [];
    rows[l].forEach((item, i) => {
      for (const n of item.down) if (below.has(n.item)) pairs.push([i, below.get(n.item)]);
    });
    for (let a = 0; a < pairs.length; a++) {
      for (let b = a + 1; b < pairs.length; b++) {
        const [a1, a2] = pairs[a];
        const [b1, b2] = pairs[b];
        if ((a1 - b1) * (a2 - b2) < 0) count++;
      }
    }
  }
  return count;
}

/** Gap to keep between two neighbours in a layer (centre to centre). */
function separation(a, b) {
  const gap = a.virtual && b.virtual ? 8 : NODE_GAP;
  return a.width / 2 + gap + b.width / 2;
}

/**
 * x positions: packed first, then alternately pulled towards the (weighted) mean of the
 * neighbours above and below, each layer solved exactly under its order and gaps.
 */
function placeHorizontally(rows) {
  for (const row of rows) {
    let x = 0;
    row.forEach((item, i) => {
      if (i > 0) x += separation(row[i - 1], item);
      item.x = x;
    });
  }
  const widest = Math.max(0, ...rows.map((row) => (row.length ? row[row.length - 1].x : 0)));
  for (const row of rows) {
    const w = row.length ? row[row.length - 1].x : 0;
    for (const item of row) item.x += (widest - w) / 2;
  }
  for (let sweep = 0; sweep < 24; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? rows.map((_, i) => i) : rows.map((_, i) => i).reverse();
    for (const l of order) {
      const row = rows[l];
      const targets = row.map((item) => {
        const neighbours = [...item.up, ...item.down];
        if (neighbours.length === 0) return { desired: item.x, weight: 0.1 };
        const total = neighbours.reduce((s, n) => s + n.weight, 0);
        return { desired: neighbours.reduce((s, n) => s + n.item.x * n.weight, 0) / total, weight: total };
      });
      const xs = fitInOrder(
        targets.map((t) => t.desired),
        targets.map((t) => t.weight),
        row.slice(1).map((item, i) => separation(row[i], item)),
      );
      row.forEach((item, i) => (item.x = xs[i]));
    }
  }
}

/** The one neighbour joined by the heaviest edge, if there is exactly one (and it is heavy). */
function uniqueHeaviest(neighbours) {
  if (neighbours.length === 0) return undefined;
  const max = Math.max(...neighbours.map((n) => n.weight));
  const heaviest = neighbours.filter((n) => n.weight === max);
  return heaviest.length === 1 && max >= EDGE_WEIGHT.default ? heaviest[0].item : undefined;
}

/**
 * Straightens runs of Next edges (each node the other's only heavy neighbour): one x for the
 * whole run, the one nearest their mean that every row still has room for.
 */
function alignChains(rows) {
  const index = new Map();
  for (const row of rows) row.forEach((item, i) => index.set(item, { row, i }));
  const below = (a) => {
    const b = uniqueHeaviest(a.down);
    return b && uniqueHeaviest(b.up) === a ? b : undefined;
  };
  const hasAbove = (b) => {
    const a = uniqueHeaviest(b.up);
    return Boolean(a && below(a) === b);
  };
  const fits = (item, x) => {
    const { row, i } = index.get(item);
    if (i > 0 && x < row[i - 1].x + separation(row[i - 1], item) - 0.01) return false;
    if (i + 1 < row.length && x > row[i + 1].x - separation(item, row[i + 1]) + 0.01) return false;
    return true;
  };
  for (const row of rows) {
    for (const head of row) {
      if (hasAbove(head)) continue;
      const chain = [head];
      for (let next = below(head); next; next = below(next)) chain.push(next);
      if (chain.length < 2) continue;
      const mean = chain.reduce((s, item) => s + item.x, 0) / chain.length;
      const candidates = [mean, ...chain.map((item) => item.x)].sort((p, q) => Math.abs(p - mean) - Math.abs(q - mean));
      const x = candidates.find((c) => chain.every((item) => fits(item, c)));
      if (x !== undefined) for (const item of chain) item.x = x;
    }
  }
}

/**
 * Positions closest (weighted least squares) to `desired` with x[i+1] − x[i] ≥ gaps[i]:
 * subtracting the cumulative gaps turns it into isotonic regression, solved by pooling
 * adjacent violators.
 *
 * @param {number[]} desired
 * @param {number[]} weights
 * @param {number[]} gaps
 * @returns {number[]}
 */
export function fitInOrder(desired, weights, gaps) {
  const offsets = [0];
  for (const g of gaps) offsets.push(offsets[offsets.length - 1] + g);
  const blocks = [];
  desired.forEach((d, i) => {
    blocks.push({ value: d - offsets[i], weight: Math.max(weights[i], 1e-6), count: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].value > blocks[blocks.length - 1].value) {
      const b = blocks.pop();
      const a = blocks.pop();
      const weight = a.weight + b.weight;
      blocks.push({ value: (a.value * a.weight + b.value * b.weight) / weight, weight, count: a.count + b.count });
    }
  });
  const xs = [];
  for (const block of blocks) for (let k = 0; k < block.count; k++) xs.push(block.value + offsets[xs.length]);
  return xs;
}

/**
 * A one-line summary of an execution for the panel header.
 *
 * @param {object | undefined} history
 * @param {number} [now]
 * @returns {{ status: string, durationMs?: number, visited: number, retries: number }}
 */
export function executionSummary(history, now = Date.now()) {
  if (!history || typeof history !== 'object') return { status: 'UNKNOWN', visited: 0, retries: 0 };
  const states = Array.isArray(history.states) ? history.states : [];
  const started = time(history.startDate);
  const stopped = time(history.stopDate);
  const durationMs =
    typeof history.durationMs === 'number' ? history.durationMs : started === undefined ? undefined : Math.max(0, (stopped ?? now) - started);
  return {
    status: typeof history.status === 'string' ? history.status : 'UNKNOWN',
    ...(durationMs !== undefined ? { durationMs } : {}),
    visited: new Set(states.map((s) => s?.name)).size,
    retries: states.reduce((sum, s) => sum + (Array.isArray(s?.retries) ? s.retries.length : 0), 0),
  };
}
