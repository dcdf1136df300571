/**
 * The events panel: every event the current request put on the bus, read from the local stack's
 * read API (`GET /events?correlation_id=`) while the request is under way, a few times after its
 * answer, and for as long as its purchase saga runs; and the last frame the server sent.
 *
 * @module
 */
import { $, h } from './dom.js';
import { formatClock, prettyJson } from './format.js';
import { fetchJson, reasonOf } from './http.js';
import { shouldPollEvents } from './protocol.js';

const EVENTS_POLL_MS = 700;
const AFTER_ANSWER_POLLS = 6;

function eventKey(event) {
  if (typeof event?.id === 'string') return event.id;
  return `${event?.time}|${event?.['detail-type']}|${prettyJson(event?.detail).slice(0, 200)}`;
}

function eventItem(event, failureTypes) {
  const type = String(event['detail-type'] ?? event.detailType ?? '?');
  const source = String(event.source ?? '?');
  const failed = failureTypes().includes(type);
  const when = event.time ?? event.timestamp;
  return h('li', { class: `event${failed ? ' event--failed' : ''}` }, [
    h('details', {}, [
      h('summary', {}, [
        h('time', { class: 'event-time', datetime: typeof when === 'string' ? when : undefined, text: when ? formatClock(when) : '—' }),
        h('span', { class: 'event-source', dataset: { source }, text: source.replace(/^centli\./, ''), title: source }),
        h('span', { class: 'event-type', text: type }),
      ]),
      // Focusable: a long detail scrolls, and must scroll from the keyboard too.
      h('pre', { class: 'json', tabindex: '0', text: prettyJson(event.detail ?? event) }),
    ]),
  ]);
}

/**
 * @param {object} options
 * @param {(key: string, params?: object) => string} options.t The page's words in its current language.
 * @param {() => 'es'|'en'} options.locale
 * @param {() => string} options.http The read API's URL.
 * @param {() => boolean} options.waiting Whether the conversation awaits an answer.
 * @param {() => boolean} options.sagaRunning Whether the request's purchase saga is still running.
 * @param {() => string[]} options.failureTypes The detail-types that are failures (config.json's, from the contracts).
 * @returns The panel's controls.
 */
export function createEventsPanel({ t, locale, http, waiting, sagaRunning, failureTypes }) {
  let events = { correlationId: undefined, seen: new Set(), timer: undefined, inflight: false, pollsSinceAnswer: 0, generation: 0, waitingForId: false };

  $('events-refresh').addEventListener('click', () => {
    events.pollsSinceAnswer = Math.min(events.pollsSinceAnswer, AFTER_ANSWER_POLLS - 1);
    pollSoon(0);
  });
  $('copy-correlation').addEventListener('click', copyCorrelation);

  /** Empties the panel for a new session; a read under way is dropped when it lands. */
  function reset() {
    clearTimeout(events.timer);
    events = { correlationId: undefined, seen: new Set(), timer: undefined, inflight: false, pollsSinceAnswer: 0, generation: events.generation + 1, waitingForId: false };
    $('events-list').replaceChildren();
    $('events-correlation').hidden = true;
    $('events-error').hidden = true;
    $('last-frame').hidden = true;
    setEmpty('events.none');
    renderLive('idle');
  }

  function setEmpty(key) {
    const empty = $('events-empty');
    empty.hidden = !key;
    if (key) {
      empty.dataset.i18n = key;
      empty.textContent = t(key);
    }
  }

  /**
   * A message went out: a reply to a button continues its request; a new message starts one whose id comes later.
   *
   * @param {string|undefined} replyTo
   */
  function onSent(replyTo) {
    if (!replyTo || replyTo !== events.correlationId) waitForRequestId();
    events.pollsSinceAnswer = 0;
    pollSoon(0);
  }

  /**
   * A server message arrived: show its frame, and follow its request.
   *
   * @param {unknown} raw The frame as the server sent it.
   * @param {string|undefined} correlationId The current request's.
   */
  function onAnswer(raw, correlationId) {
    showLastFrame(raw);
    if (correlationId && correlationId !== events.correlationId) resetEvents(correlationId);
    events.pollsSinceAnswer = 0;
  }

  /** The answer awaited will not come (the socket dropped): stop waiting for its request's id. */
  function stopWaiting() {
    if (!events.waitingForId) return;
    events.waitingForId = false;
    setEmpty('events.none');
    renderLive('idle');
  }

  /** Reads the events a few more times from now (the saga ended, and publishes its result as it does). */
  function pollAgain() {
    events.pollsSinceAnswer = 0;
    pollSoon(0);
  }

  function waitForRequestId() {
    events.generation += 1;
    events.correlationId = undefined;
    events.seen = new Set();
    events.waitingForId = true;
    $('events-list').replaceChildren();
    $('events-correlation').hidden = true;
    $('events-error').hidden = true;
    setEmpty('events.waitingId');
    renderLive('live');
  }

  function resetEvents(correlationId) {
    events.generation += 1;
    events.correlationId = correlationId;
    events.seen = new Set();
    events.waitingForId = false;
    $('events-list').replaceChildren();
    $('events-correlation').hidden = false;
    $('events-correlation-id').textContent = correlationId;
    $('copy-correlation').textContent = t('events.copy');
    $('events-error').hidden = true;
    setEmpty('events.empty');
  }

  function active() {
    return shouldPollEvents({
      correlationId: events.correlationId,
      waiting: waiting(),
      pollsSinceAnswer: events.pollsSinceAnswer,
      sagaRunning: sagaRunning(),
      afterPolls: AFTER_ANSWER_POLLS,
    });
  }

  /**
   * Reads the events after `delay` ms (again and again while the request is active).
   *
   * @param {number} delay
   */
  function pollSoon(delay) {
    clearTimeout(events.timer);
    events.timer = setTimeout(poll, delay);
  }

  async function poll() {
    const current = events;
    current.timer = undefined;
    const polling = active();
    renderLive(polling || current.waitingForId ? 'live' : 'idle');
    if (!polling) return;
    if (current.inflight) {
      pollSoon(EVENTS_POLL_MS);
      return;
    }
    const generation = current.generation;
    const correlationId = current.correlationId;
    current.inflight = true;
    try {
      const list = await fetchJson(`${http()}/events?correlation_id=${encodeURIComponent(correlationId)}`);
      if (generation !== events.generation) return;
      if (!Array.isArray(list)) throw new Error('not a list');
      renderEvents(list);
      $('events-error').hidden = true;
    } catch (error) {
      if (generation !== events.generation) return;
      $('events-error').hidden = false;
      $('events-error').textContent = t('events.unavailable', { reason: reasonOf(error, locale()) });
    } finally {
      current.inflight = false;
    }
    if (!waiting()) current.pollsSinceAnswer += 1;
    pollSoon(EVENTS_POLL_MS);
  }

  /**
   * The live dot and its words; with `state`, sets it first.
   *
   * @param {'live'|'idle'} [state]
   */
  function renderLive(state) {
    const live = $('events-live');
    if (state) live.dataset.state = state;
    $('events-live-text').textContent = live.dataset.state === 'live' ? t('events.live') : events.correlationId ? t('events.idle') : '';
  }

  function renderEvents(list) {
    const target = $('events-list');
    let added = 0;
    for (const event of list) {
      if (!event || typeof event !== 'object') continue;
      const key = eventKey(event);
      if (events.seen.has(key)) continue;
      events.seen.add(key);
      target.append(eventItem(event, failureTypes));
      added += 1;
    }
    if (events.seen.size > 0) setEmpty(undefined);
    return added;
  }

  function showLastFrame(raw) {
    $('last-frame').hidden = false;
    $('last-frame-json').textContent = prettyJson(raw);
  }

  async function copyCorrelation() {
    const id = events.correlationId;
    if (!id) return;
    try {
      await navigator.clipboard.writeText(id);
      $('copy-correlation').textContent = t('events.copied');
      setTimeout(() => ($('copy-correlation').textContent = t('events.copy')), 1500);
    } catch {
      const range = document.createRange();
      range.selectNodeContents($('events-correlation-id'));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
  }

  return { reset, onSent, onAnswer, stopWaiting, pollAgain, pollSoon, renderLive };
}
