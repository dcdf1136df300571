/**
 * The chat's WebSocket: opening it with the session's token, reconnecting with backoff
 * (protocol.js) when it drops, and saying how it stands in the header's status and in the banner
 * above the conversation.
 *
 * A browser cannot read why a handshake was refused, so when the first one fails (or reconnecting
 * keeps failing) the page asks the stack's read API whether the server answers at all: if it
 * does, it refused the token. A deployed stage has no read API to ask.
 *
 * @module
 */
import { $ } from './dom.js';
import { reconnectDelay } from './protocol.js';

/**
 * @param {object} options
 * @param {(key: string, params?: object) => string} options.t The page's words in its current language.
 * @param {() => string} options.url The socket's URL with the session's token.
 * @param {{ expired: () => boolean, expiryText: () => string, signsInAgain: () => boolean }} options.session
 * @param {() => boolean} options.canProbe Whether there is a read API to ask whether the server answers.
 * @param {() => Promise<boolean>} options.probe Whether the server answers over HTTP.
 * @param {(reconnected: boolean) => void} options.onOpen
 * @param {(text: string) => void} options.onFrame A frame from the server.
 * @param {(reachable: boolean|undefined) => void} options.onRefused The first handshake failed.
 * @param {() => void} options.onDropped An open socket closed: an answer awaited may be lost.
 * @param {() => void} options.onExpired The socket closed because the session's token expired.
 * @param {(open: boolean) => void} options.onOnline Whether messages can be sent, after each change of state.
 * @param {() => void} options.onRenew The banner's button on an expired session: sign in again, or pick a customer.
 * @returns The connection's controls.
 */
export function createConnection({ t, url, session, canProbe, probe, onOpen, onFrame, onRefused, onDropped, onExpired, onOnline, onRenew }) {
  let socket;
  /** idle | connecting | open | reconnecting | reconnecting-now | closed | expired */
  let state = 'idle';
  let everOpened = false;
  let intentionalClose = false;
  let reconnectAttempt = 0;
  let reconnectTimer;
  let reconnectAt;
  let failedReconnects = 0;

  $('reconnect-now').addEventListener('click', onReconnectNow);

  /** Whether a message can go out now. */
  function isOpen() {
    return socket !== undefined && socket.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a frame on the open socket.
   *
   * @param {string} frame
   * @throws {Error} When the socket cannot take it.
   */
  function send(frame) {
    socket.send(frame);
  }

  /** A new session's connection, its first handshake still to come. */
  function start() {
    everOpened = false;
    intentionalClose = false;
    reconnectAttempt = 0;
    failedReconnects = 0;
    connect();
  }

  function connect() {
    clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    let opening;
    try {
      opening = new WebSocket(url());
    } catch {
      socket = undefined;
      onSocketClosed(false);
      return;
    }
    socket = opening;
    let opened = false;
    setState(everOpened ? 'reconnecting-now' : 'connecting');
    opening.addEventListener('open', () => {
      if (socket !== opening) return;
      opened = true;
      const reconnected = everOpened;
      everOpened = true;
      reconnectAttempt = 0;
      failedReconnects = 0;
      setState('open');
      onOpen(reconnected);
    });
    opening.addEventListener('message', (event) => {
      if (socket !== opening) return;
      if (typeof event.data === 'string') onFrame(event.data);
      else if (event.data && typeof event.data.text === 'function') event.data.text().then((text) => socket === opening && onFrame(text));
    });
    opening.addEventListener('close', () => {
      if (socket !== opening) return;
      socket = undefined;
      onSocketClosed(opened);
    });
  }

  async function onSocketClosed(opened) {
    if (intentionalClose) return;
    if (!everOpened) {
      // The first handshake failed. A browser cannot read the status of a refused handshake, so
      // ask whether the server answers at all: if it does, it refused the token (401). A deployed
      // stage has no read API to ask.
      const reachable = canProbe() ? await probe() : undefined;
      if (intentionalClose || everOpened) return;
      setState('closed');
      onRefused(reachable);
      return;
    }
    if (session.expired()) {
      onExpired();
      return;
    }
    if (opened) {
      onDropped();
    } else {
      failedReconnects += 1;
      if (failedReconnects >= 2 && canProbe() && (await probe())) {
        if (intentionalClose) return;
        setState('expired');
        return;
      }
    }
    if (intentionalClose) return;
    reconnectAttempt += 1;
    const delay = reconnectDelay(reconnectAttempt);
    reconnectAt = Date.now() + delay;
    reconnectTimer = setTimeout(connect, delay);
    setState('reconnecting');
  }

  function closeSocket(reason) {
    const closing = socket;
    socket = undefined;
    if (!closing) return;
    try {
      closing.close(1000, reason);
    } catch {
      // already closing
    }
  }

  /**
   * Closes the socket on purpose: nothing reconnects it.
   *
   * @param {string} reason
   */
  function stop(reason) {
    intentionalClose = true;
    clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    closeSocket(reason);
  }

  /** After a session ended: no connection, and the next one starts afresh. */
  function reset() {
    everOpened = false;
    setState('idle');
  }

  /**
   * @param {'idle'|'connecting'|'open'|'reconnecting'|'reconnecting-now'|'closed'|'expired'} next
   */
  function setState(next) {
    state = next;
    render();
  }

  /** The header's status and the banner, as the connection stands (and the seconds until it retries). */
  function render() {
    const pill = $('connection');
    pill.dataset.state = state === 'reconnecting-now' ? 'reconnecting' : state;
    const seconds = reconnectAt ? Math.max(0, Math.ceil((reconnectAt - Date.now()) / 1000)) : 0;
    const labels = {
      idle: t('status.closed'),
      connecting: t('status.connecting'),
      open: t('status.open'),
      reconnecting: t('status.reconnecting', { s: seconds }),
      'reconnecting-now': t('status.reconnectingNow'),
      closed: t('status.closed'),
      expired: t('status.expired'),
    };
    const text = labels[state] ?? state;
    if ($('connection-text').textContent !== text) $('connection-text').textContent = text;

    const banner = $('connection-banner');
    const button = $('reconnect-now');
    banner.hidden = !['reconnecting', 'reconnecting-now', 'expired'].includes(state);
    banner.dataset.state = state;
    const expiredText = session.expired() ? t('banner.sessionExpired', { when: session.expiryText() }) : t('banner.expired');
    const bannerText = state === 'expired' ? expiredText : state === 'reconnecting' ? t('banner.lost', { n: reconnectAttempt, s: seconds }) : t('banner.retrying');
    if ($('connection-banner-text').textContent !== bannerText) $('connection-banner-text').textContent = bannerText;
    button.textContent = state === 'expired' ? t(session.signsInAgain() ? 'session.signInAgain' : 'session.switch') : t('banner.retryNow');
    button.hidden = state === 'reconnecting-now';

    onOnline(state === 'open');
  }

  /** Each second: the countdown to the next attempt. */
  function tick() {
    if (state === 'reconnecting') render();
  }

  function onReconnectNow() {
    if (state === 'expired') return onRenew();
    if (state === 'reconnecting') connect();
  }

  return { isOpen, send, start, stop, reset, setState, render, tick, state: () => state, everOpened: () => everOpened };
}
