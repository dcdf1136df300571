/**
 * The chat page: wiring only. What can be tested without a browser lives in the pure modules
 * (config.js, oauth.js, protocol.js, format.js, saga-graph.js, i18n.js); this file owns the DOM,
 * the socket, the timers, the redirects to sign in and sessionStorage.
 *
 * The events and saga inspector reads the local stack's read API (`http` in config.json); a
 * deployed stage has none, and then the inspector is not shown and nothing polls.
 *
 * Server text is only ever put in text nodes (textContent, append of strings): never parsed as
 * HTML.
 *
 * @module
 */
import { customerFromToken, parseConfig } from './config.js';
import { countdown, formatClock, formatDuration, initials, prettyJson, shortId, textBlocks } from './format.js';
import { SUGGESTIONS, translate } from './i18n.js';
import { beginSignIn, checkRedirect, cleanUrl, logoutUrl, PENDING_KEY, readPending, readRedirect, readSession, readTokenResponse, SESSION_KEY, signInProblem, tokenRequest } from './oauth.js';
import { buildMessageFrame, parseServerFrame, reconnectDelay, RequestTracker, SeenMessages, shouldPollEvents, socketUrl } from './protocol.js';
import { executionSummary, isFinal, layoutSaga } from './saga-graph.js';

const EVENTS_POLL_MS = 700;
const AFTER_ANSWER_POLLS = 6;
const SAGA_POLL_MS = 700;
/** How long to wait for an execution the answer named to appear (polls). */
const SAGA_MISSING_LIMIT = 60;
const SAGA_ERROR_LIMIT = 20;
const MIN_PANEL_SCALE = 0.7;
const FETCH_TIMEOUT_MS = 8000;
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);
const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/* ───────────────────────────── state ───────────────────────────── */

const app = {
  config: undefined,
  locale: 'es',
  /** `{ userId, name, token, via: 'oauth' | 'demo' | 'token', expiresAt? }` */
  customer: undefined,
  expiryTimer: undefined,
  socket: undefined,
  connection: 'idle',
  everOpened: false,
  intentionalClose: false,
  reconnectAttempt: 0,
  reconnectTimer: undefined,
  reconnectAt: undefined,
  failedReconnects: 0,
  tracker: new RequestTracker(),
  seen: new SeenMessages(),
  openGroups: [],
  sent: 0,
  events: { correlationId: undefined, seen: new Set(), timer: undefined, inflight: false, pollsSinceAnswer: 0, generation: 0, waitingForId: false },
  saga: {
    definition: undefined,
    purchaseId: undefined,
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
  },
};

const t = (key, params) => translate(app.locale, key, params);
/** Whether this stage has the read API the events and saga inspector needs (the local stack). */
const inspecting = () => Boolean(app.config?.http);

/* ───────────────────────────── DOM helpers ───────────────────────────── */

/** An element; string children become text nodes (never HTML). */
function h(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  setProps(node, props);
  appendAll(node, children);
  return node;
}

/** An SVG element. */
function s(tag, props = {}, children = []) {
  const node = document.createElementNS(SVG_NS, tag);
  setProps(node, props);
  appendAll(node, children);
  return node;
}

function setProps(node, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
}

function appendAll(node, children) {
  for (const child of [].concat(children)) if (child !== undefined && child !== null && child !== false) node.append(child);
}

function announce(text) {
  const announcer = $('announcer');
  announcer.textContent = '';
  // A fresh text node after a tick is announced even when the words repeat.
  setTimeout(() => (announcer.textContent = text), 50);
}

/* ───────────────────────────── locale ───────────────────────────── */

function setLocale(locale) {
  app.locale = locale === 'en' ? 'en' : 'es';
  document.documentElement.lang = app.locale;
  document.title = t('app.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  for (const node of document.querySelectorAll('[data-i18n-title]')) node.setAttribute('title', t(node.dataset.i18nTitle));
  renderConnection();
  renderSuggestions();
  renderLive();
  renderLegend();
  if (app.saga.purchaseId) renderSaga();
  if (app.config) $('token-hint').textContent = t('token.hint', { host: hostOf(app.config.websocket) });
  if (app.config?.auth) $('signin-hint').textContent = t('login.signInHint', { host: hostOf(app.config.auth.authorizeUrl) });
  if (app.config && !$('screen-login').hidden) $('login-subtitle').textContent = t(loginSubtitleKey());
}

function loginSubtitleKey() {
  const customers = Boolean(app.config?.customers?.length);
  if (app.config?.auth) return customers ? 'login.subtitleBoth' : 'login.subtitleOAuth';
  return customers ? 'login.subtitle' : 'login.subtitleToken';
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/* ───────────────────────────── screens ───────────────────────────── */

function showScreen(name) {
  for (const screen of ['loading', 'login', 'chat']) $(`screen-${screen}`).hidden = screen !== name;
  $('session').hidden = name !== 'chat';
  document.querySelector('.skip-link').hidden = name !== 'chat';
  document.body.dataset.screen = name;
}

/** A fetch that gives up after FETCH_TIMEOUT_MS. */
async function timedFetch(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

async function fetchJson(url) {
  try {
    const response = await timedFetch(url, { cache: 'no-store', headers: { accept: 'application/json' } });
    if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error('not JSON', { cause: error });
    }
  } catch (error) {
    if (error?.name === 'AbortError') throw new Error('timeout', { cause: error });
    throw error;
  }
}

function reasonOf(error) {
  if (error?.status) return `HTTP ${error.status}`;
  return error?.message === 'Failed to fetch' || error instanceof TypeError ? (app.locale === 'en' ? 'no answer from the server' : 'el servidor no responde') : String(error?.message ?? error);
}

/** Whether anything answers at the configured HTTP origin (an opaque answer counts); only with an `http` URL. */
async function serverReachable() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 2500);
  try {
    await fetch(`${app.config.http}/health`, { mode: 'no-cors', cache: 'no-store', signal: controller.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/* ───────────────────────────── configuration ───────────────────────────── */

async function loadConfig({ quiet = false } = {}) {
  if (!quiet) {
    showScreen('loading');
    $('screen-loading').setAttribute('aria-busy', 'true');
    $('loading-text').hidden = false;
    $('config-error').hidden = true;
  }
  try {
    const config = parseConfig(await fetchJson('./config.json'));
    if (!config.ok) throw new Error(config.error);
    for (const warning of config.warnings) console.warn(`config.json: ${warning}`);
    app.config = config;
  } catch (error) {
    if (quiet && app.config) return;
    $('screen-loading').setAttribute('aria-busy', 'false');
    $('loading-text').hidden = true;
    $('config-error').hidden = false;
    $('config-error-text').textContent = `${t('config.error')} (${reasonOf(error)})`;
    $('config-retry').focus();
    return;
  }
  if (!quiet) await resume();
  else if (!$('screen-login').hidden) showLogin({ focus: false });
}

/* ───────────────────────────── sign-in (OAuth 2.0 code flow with PKCE) ───────────────────────────── */

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function stored(key) {
  try {
    return storage()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Writes (or with `undefined`, removes) a sessionStorage entry; tokens are never kept anywhere else. */
function store(key, value) {
  try {
    if (value === undefined) storage()?.removeItem(key);
    else storage()?.setItem(key, value);
  } catch {
    // Storage is off: the session lasts as long as the page.
  }
}

/** What the page does once it has its configuration: finish a sign-in, resume one, or ask. */
async function resume() {
  const redirect = readRedirect(location.search);
  if (redirect.kind !== 'none') {
    // The code is single use: it must not stay in the address bar or the history.
    window.history.replaceState(window.history.state, '', cleanUrl(location.href));
    if (app.config.auth) return completeSignIn(redirect);
  }
  const session = app.config.auth ? readSession(stored(SESSION_KEY)) : undefined;
  if (session?.expired) {
    store(SESSION_KEY, undefined);
    return showLogin({ error: t('oauth.expired') });
  }
  if (session) {
    showBusy(t('login.connecting'));
    return startSession(oauthCustomer(session.idToken), undefined);
  }
  showLogin();
}

function showBusy(text) {
  showScreen('loading');
  $('screen-loading').setAttribute('aria-busy', 'true');
  $('loading-text').hidden = false;
  $('loading-text').textContent = text;
  $('config-error').hidden = true;
}

function oauthCustomer(idToken) {
  const info = customerFromToken(idToken);
  return { userId: info.userId ?? '', name: info.name ?? info.userId ?? t('session.customer'), token: idToken, via: 'oauth' };
}

/** Leaves for the provider's sign-in page, keeping the verifier, state and nonce in this tab. */
async function signIn() {
  const auth = app.config?.auth;
  if (!auth) return;
  setLoginBusy($('signin-button'));
  $('signin-label').textContent = t('login.redirecting');
  try {
    const { url, pending } = await beginSignIn(auth);
    store(PENDING_KEY, JSON.stringify(pending));
    // Without storage the answer could not be checked on the way back: do not leave.
    if (readPending(stored(PENDING_KEY))?.state !== pending.state) throw new Error('sessionStorage is not available');
    location.assign(url);
  } catch {
    resetSignInButton();
    showLogin({ error: t(signInProblem({ problem: 'unsupported' }).key) });
  }
}

function resetSignInButton() {
  setLoginBusy(undefined);
  $('signin-label').textContent = t('login.signIn');
}

/** The provider sent the browser back: check it answers this tab's request, then trade the code for tokens. */
async function completeSignIn(redirect) {
  showBusy(t('oauth.completing'));
  const pending = readPending(stored(PENDING_KEY));
  store(PENDING_KEY, undefined);
  const checked = checkRedirect(redirect, pending);
  if (!checked.ok) return showLogin({ error: problemText(checked) });
  const request = tokenRequest(app.config.auth, checked.code, pending);
  let result;
  try {
    const response = await timedFetch(request.url, { ...request.init, cache: 'no-store', credentials: 'omit' });
    const body = await response.json().catch(() => undefined);
    result = readTokenResponse(response.status, body, pending);
  } catch {
    result = { ok: false, problem: 'network', error: hostOf(request.url) };
  }
  if (!result.ok) return showLogin({ error: problemText(result) });
  store(SESSION_KEY, JSON.stringify(result.session));
  showBusy(t('login.connecting'));
  startSession(oauthCustomer(result.session.id_token), undefined);
}

function problemText(failure) {
  const { key, params } = signInProblem(failure);
  return t(key, params);
}

function sessionExpired() {
  return app.customer?.expiresAt !== undefined && app.customer.expiresAt <= Date.now();
}

/** Says so when the session's token expires; setTimeout holds at most ~24.8 days. */
function scheduleExpiry() {
  clearTimeout(app.expiryTimer);
  app.expiryTimer = undefined;
  const at = app.customer?.expiresAt;
  if (at === undefined) return;
  app.expiryTimer = setTimeout(onSessionExpired, Math.min(Math.max(0, at - Date.now()), 2_147_483_647));
}

function onSessionExpired() {
  if (!app.customer) return;
  if (!sessionExpired()) return scheduleExpiry();
  if (app.customer.via === 'oauth') store(SESSION_KEY, undefined);
  if (!app.everOpened) {
    app.intentionalClose = true;
    closeSocket('session expired');
    setLoginBusy(undefined);
    showLogin({ error: app.customer.via === 'oauth' ? t('oauth.expired') : t('token.expired', { when: expiryText() }) });
    return;
  }
  app.intentionalClose = true;
  clearTimeout(app.reconnectTimer);
  app.reconnectTimer = undefined;
  closeSocket('session expired');
  if (app.tracker.abandon()) updateTyping();
  setConnection('expired');
  announce(t('banner.sessionExpired', { when: expiryText() }));
}

function expiryText() {
  const at = app.customer?.expiresAt;
  return at === undefined ? '' : formatClock(new Date(at), { short: true });
}

function closeSocket(reason) {
  const socket = app.socket;
  app.socket = undefined;
  if (!socket) return;
  try {
    socket.close(1000, reason);
  } catch {
    // already closing
  }
}

/* ───────────────────────────── login ───────────────────────────── */

function showLogin({ error, focus = true } = {}) {
  const customers = app.config.customers;
  const list = $('customer-list');
  list.replaceChildren(
    ...(customers ?? []).map((customer) =>
      h('li', {}, [
        h(
          'button',
          { type: 'button', class: 'customer-card', dataset: { user: customer.userId }, onclick: (event) => startSession(customer, event.currentTarget) },
          [
            h('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(customer.name) }),
            h('span', { class: 'customer-text' }, [h('span', { class: 'customer-name', text: customer.name }), h('span', { class: 'customer-id', text: customer.userId })]),
            h('span', { class: 'customer-state', 'aria-hidden': 'true' }),
            chevron(),
          ],
        ),
      ]),
    ),
  );
  const auth = app.config.auth;
  const hasCustomers = Boolean(customers?.length);
  list.hidden = !hasCustomers;
  $('signin').hidden = !auth;
  if (auth) $('signin-hint').textContent = t('login.signInHint', { host: hostOf(auth.authorizeUrl) });
  $('login-divider').hidden = !(auth && hasCustomers);
  const tokenOnly = !auth && !hasCustomers;
  const box = $('token-box');
  box.classList.toggle('token-box--only', tokenOnly);
  if (tokenOnly) box.open = true;
  $('login-subtitle').textContent = t(loginSubtitleKey());
  $('token-hint').textContent = t('token.hint', { host: hostOf(app.config.websocket) });
  $('token-error').textContent = '';
  showLoginError(error);
  showScreen('login');
  if (focus) (tokenOnly ? $('token-input') : $('login-title')).focus();
}

function chevron() {
  return s('svg', { viewBox: '0 0 24 24', class: 'chevron', 'aria-hidden': 'true', focusable: 'false' }, [s('path', { d: 'm9 6 6 6-6 6' })]);
}

function showLoginError(text) {
  $('login-error').hidden = !text;
  $('login-error-text').textContent = text ?? '';
}

function setLoginBusy(button) {
  for (const node of document.querySelectorAll('.customer-card, #token-form button, #signin-button')) {
    node.disabled = Boolean(button);
    node.classList.toggle('is-busy', node === button);
    node.removeAttribute('aria-busy');
    const state = node.querySelector('.customer-state');
    if (state) state.textContent = node === button ? t('login.connecting') : '';
  }
  if (button) button.setAttribute('aria-busy', 'true');
}

function startSession(customer, button) {
  const token = customerFromToken(customer.token);
  if (token.problem === 'expired') {
    const text = t('token.expired', { when: new Date(token.expiresAt).toLocaleString(app.locale === 'en' ? 'en-US' : 'es-MX') });
    if ($('screen-login').hidden) showLogin({ error: text });
    else showLoginError(text);
    return;
  }
  showLoginError(undefined);
  setLoginBusy(button);
  app.customer = { via: 'demo', ...customer, ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}) };
  scheduleExpiry();
  app.everOpened = false;
  app.intentionalClose = false;
  app.reconnectAttempt = 0;
  app.failedReconnects = 0;
  connect();
}

function onTokenSubmit(event) {
  event.preventDefault();
  const input = $('token-input');
  const token = input.value.trim().replace(/^Bearer\s+/i, '');
  const error = $('token-error');
  error.textContent = '';
  input.removeAttribute('aria-invalid');
  const fail = (text) => {
    error.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  if (!token) return fail(t('token.required'));
  const info = customerFromToken(token);
  if (info.problem === 'malformed') return fail(t('token.malformed'));
  if (info.problem === 'expired') return fail(t('token.expired', { when: new Date(info.expiresAt).toLocaleString(app.locale === 'en' ? 'en-US' : 'es-MX') }));
  startSession({ userId: info.userId ?? '', name: info.name ?? info.userId ?? t('session.customer'), token, via: 'token' }, event.submitter ?? $('token-form').querySelector('button'));
}

/* ───────────────────────────── connection ───────────────────────────── */

function isOpen() {
  return app.socket !== undefined && app.socket.readyState === WebSocket.OPEN;
}

function connect() {
  clearTimeout(app.reconnectTimer);
  app.reconnectTimer = undefined;
  let socket;
  try {
    socket = new WebSocket(socketUrl(app.config.websocket, app.customer.token));
  } catch {
    app.socket = undefined;
    onSocketClosed(false);
    return;
  }
  app.socket = socket;
  let opened = false;
  setConnection(app.everOpened ? 'reconnecting-now' : 'connecting');
  socket.addEventListener('open', () => {
    if (app.socket !== socket) return;
    opened = true;
    const reconnected = app.everOpened;
    app.everOpened = true;
    app.reconnectAttempt = 0;
    app.failedReconnects = 0;
    setConnection('open');
    if (reconnected) addNote(t('chat.reconnected'), 'success');
    else enterChat();
  });
  socket.addEventListener('message', (event) => {
    if (app.socket !== socket) return;
    if (typeof event.data === 'string') handleFrame(event.data);
    else if (event.data && typeof event.data.text === 'function') event.data.text().then((text) => app.socket === socket && handleFrame(text));
  });
  socket.addEventListener('close', () => {
    if (app.socket !== socket) return;
    app.socket = undefined;
    onSocketClosed(opened);
  });
}

async function onSocketClosed(opened) {
  if (app.intentionalClose) return;
  if (!app.everOpened) {
    // The first handshake failed. A browser cannot read the status of a refused handshake, so
    // ask whether the server answers at all: if it does, it refused the token (401). A deployed
    // stage has no read API to ask.
    const reachable = inspecting() ? await serverReachable() : undefined;
    if (app.intentionalClose || app.everOpened) return;
    setLoginBusy(undefined);
    setConnection('closed');
    if (app.customer?.via === 'oauth') store(SESSION_KEY, undefined);
    const url = app.config.websocket;
    const text = reachable === undefined ? t('error.refusedOrUnreachable', { url }) : reachable ? t('error.refused') : t('error.unreachable', { url });
    if ($('screen-login').hidden) showLogin({ error: text });
    else showLoginError(text);
    $('login-error').scrollIntoView({ block: 'nearest' });
    return;
  }
  if (sessionExpired()) {
    onSessionExpired();
    return;
  }
  if (opened) {
    if (app.tracker.abandon()) {
      addNote(t('chat.lostAnswer'), 'warning');
      updateTyping();
      if (app.events.waitingForId) {
        app.events.waitingForId = false;
        setEventsEmpty('events.none');
        renderLive('idle');
      }
    }
  } else {
    app.failedReconnects += 1;
    if (app.failedReconnects >= 2 && inspecting() && (await serverReachable())) {
      if (app.intentionalClose) return;
      setConnection('expired');
      return;
    }
  }
  if (app.intentionalClose) return;
  app.reconnectAttempt += 1;
  const delay = reconnectDelay(app.reconnectAttempt);
  app.reconnectAt = Date.now() + delay;
  app.reconnectTimer = setTimeout(connect, delay);
  setConnection('reconnecting');
}

function setConnection(state) {
  app.connection = state;
  renderConnection();
}

function renderConnection() {
  const state = app.connection;
  const pill = $('connection');
  pill.dataset.state = state === 'reconnecting-now' ? 'reconnecting' : state;
  const seconds = app.reconnectAt ? Math.max(0, Math.ceil((app.reconnectAt - Date.now()) / 1000)) : 0;
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
  const expiredText = sessionExpired() ? t('banner.sessionExpired', { when: expiryText() }) : t('banner.expired');
  const bannerText = state === 'expired' ? expiredText : state === 'reconnecting' ? t('banner.lost', { n: app.reconnectAttempt, s: seconds }) : t('banner.retrying');
  if ($('connection-banner-text').textContent !== bannerText) $('connection-banner-text').textContent = bannerText;
  button.textContent = state === 'expired' ? t(signsInAgain() ? 'session.signInAgain' : 'session.switch') : t('banner.retryNow');
  button.hidden = state === 'reconnecting-now';

  const open = state === 'open';
  $('send-button').setAttribute('aria-disabled', String(!open));
  $('composer').classList.toggle('is-offline', !open);
  for (const chip of document.querySelectorAll('.chip')) chip.disabled = !open;
  if (open) setComposerNotice('');
}

/** Whether a session that is no longer accepted is renewed by signing in (rather than picking a customer). */
function signsInAgain() {
  return app.customer?.via === 'oauth' && Boolean(app.config?.auth);
}

function onReconnectNow() {
  if (app.connection === 'expired') return signsInAgain() ? signIn() : switchCustomer();
  if (app.connection === 'reconnecting') connect();
}

/** Ends the session (the header button): signs out of an OAuth session, or back to the customer list. */
function switchCustomer() {
  app.intentionalClose = true;
  clearTimeout(app.reconnectTimer);
  app.reconnectTimer = undefined;
  clearTimeout(app.expiryTimer);
  app.expiryTimer = undefined;
  closeSocket('switch customer');
  const signedIn = app.customer?.via === 'oauth';
  if (signedIn) store(SESSION_KEY, undefined);
  // Ends the provider's own session too, when it has a logout endpoint, so the next sign-in asks who.
  const logout = signedIn && app.config?.auth ? logoutUrl(app.config.auth) : undefined;
  if (logout) {
    location.assign(logout);
    return;
  }
  resetConversation();
  app.customer = undefined;
  app.everOpened = false;
  setConnection('idle');
  setLocale('es');
  setLoginBusy(undefined);
  $('token-input').value = '';
  showLogin();
  // Tokens may have been reissued (a restarted local stack): read the configuration again.
  loadConfig({ quiet: true });
}

/* ───────────────────────────── conversation ───────────────────────────── */

function enterChat() {
  setLoginBusy(undefined);
  resetConversation();
  const name = app.customer.name || app.customer.userId;
  $('session-name').textContent = name;
  $('session-name').title = app.customer.userId;
  $('session-avatar').textContent = initials(name);
  const label = $('switch-customer-label');
  label.dataset.i18n = app.customer.via === 'oauth' ? 'session.signOut' : 'session.switch';
  label.textContent = t(label.dataset.i18n);
  $('inspector').hidden = !inspecting();
  $('screen-chat').classList.toggle('screen--no-inspector', !inspecting());
  showScreen('chat');
  addAssistantLocal(t('chat.welcome', { name: name.split(/\s+/)[0] }));
  renderSuggestions();
  $('suggestions').hidden = false;
  renderConnection();
  $('composer-input').focus();
}

function resetConversation() {
  clearTimeout(app.events.timer);
  clearTimeout(app.saga.timer);
  app.tracker = new RequestTracker();
  app.openGroups = [];
  app.sent = 0;
  $('messages').replaceChildren();
  $('typing').hidden = true;
  $('typing-status').textContent = '';
  $('composer-input').value = '';
  resizeComposer();
  setComposerNotice('');
  app.events = { correlationId: undefined, seen: new Set(), timer: undefined, inflight: false, pollsSinceAnswer: 0, generation: app.events.generation + 1, waitingForId: false };
  $('events-list').replaceChildren();
  $('events-correlation').hidden = true;
  $('events-error').hidden = true;
  $('last-frame').hidden = true;
  setEventsEmpty('events.none');
  renderLive('idle');
  app.saga = { ...app.saga, purchaseId: undefined, history: undefined, error: undefined, timer: undefined, misses: 0, errors: 0, generation: app.saga.generation + 1, selected: undefined, zoom: 'auto', lastActive: undefined, finalSeen: false };
  $('saga-panel').hidden = true;
  if ($('saga-dialog').open) $('saga-dialog').close();
}

function renderSuggestions() {
  const list = $('suggestion-list');
  list.replaceChildren(
    ...SUGGESTIONS[app.locale].map((text) =>
      h('li', {}, [h('button', { type: 'button', class: 'chip', text, disabled: app.connection !== 'open', onclick: () => sendMessage(text) })]),
    ),
  );
}

function scrollToEnd(force = false) {
  const scroller = $('scroller');
  const nearEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 160;
  if (force || nearEnd) scroller.scrollTo({ top: scroller.scrollHeight, behavior: reducedMotion() ? 'auto' : 'smooth' });
}

function timeStamp(date = new Date()) {
  return h('time', { class: 'msg-time', datetime: date.toISOString(), text: formatClock(date, { short: true }) });
}

function senderLabel(text) {
  return h('span', { class: 'sr-only', text: `${text}: ` });
}

/** The assistant's text: paragraphs with their line breaks, bullet lines as a list. */
function richText(text) {
  const nodes = [];
  for (const block of textBlocks(text)) {
    if (block.type === 'list') nodes.push(h('ul', { class: 'msg-list' }, block.items.map((item) => h('li', { text: item }))));
    else {
      const p = h('p');
      block.lines.forEach((line, i) => {
        if (i > 0) p.append(h('br'));
        p.append(line);
      });
      nodes.push(p);
    }
  }
  return nodes;
}

function assistantAvatar() {
  return h('span', { class: 'avatar avatar--assistant', 'aria-hidden': 'true', text: 'C' });
}

function addAssistantLocal(text) {
  const li = h('li', { class: 'msg msg--assistant msg--answer msg--local' }, [
    assistantAvatar(),
    h('div', { class: 'msg-body' }, [h('div', { class: 'bubble' }, [senderLabel(t('chat.assistant')), ...richText(text)]), h('div', { class: 'msg-meta' }, [timeStamp()])]),
  ]);
  $('messages').append(li);
  scrollToEnd(true);
}

function addCustomerMessage(text) {
  const li = h('li', { class: 'msg msg--customer' }, [
    h('div', { class: 'msg-body' }, [h('div', { class: 'bubble' }, [senderLabel(t('chat.you')), h('span', { class: 'msg-text', text })]), h('div', { class: 'msg-meta' }, [timeStamp()])]),
  ]);
  $('messages').append(li);
  scrollToEnd(true);
}

function addNote(text, tone = 'info') {
  $('messages').append(h('li', { class: `note note--${tone}` }, [h('span', { text })]));
  scrollToEnd();
}

function icon(kind) {
  const paths = {
    confirmation: 'M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3Zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.9-4.9 1.4 1.4-6.3 6.3Z',
    error: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm-1 5v7h2V7h-2Zm0 9v2h2v-2h-2Z',
    question: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm-1 15v2h2v-2h-2Zm1-12a4 4 0 0 0-4 4h2a2 2 0 1 1 2 2 1 1 0 0 0-1 1v2h2v-1.2A4 4 0 0 0 12 5Z',
    saga: 'M4 4h6v6H4V4Zm10 0h6v6h-6V4ZM4 14h6v6H4v-6Zm10 3h6v2h-6v-2Zm-4-10h4v2h-4V7Z',
  };
  return s('svg', { viewBox: '0 0 24 24', class: 'icon', 'aria-hidden': 'true', focusable: 'false' }, [s('path', { d: paths[kind] ?? paths.question })]);
}

function addServerMessage(message) {
  const kind = message.kind;
  const bubble = h('div', { class: 'bubble' }, [senderLabel(kind === 'error' ? `${t('chat.assistant')} (${t('chat.error')})` : t('chat.assistant'))]);
  if (kind === 'confirmation') bubble.append(h('p', { class: 'bubble-title' }, [icon('confirmation'), h('span', { text: t('confirm.title') })]));
  if (kind === 'error') bubble.append(h('p', { class: 'bubble-title' }, [icon('error'), h('span', { text: t('chat.error') })]));
  appendAll(bubble, richText(message.text));

  const body = h('div', { class: 'msg-body' }, [bubble]);
  const li = h('li', { class: `msg msg--assistant msg--${kind}${message.origin === 'gateway' ? ' msg--gateway' : ''}`, lang: message.locale }, [assistantAvatar(), body]);

  if (message.choices.length > 0) {
    const group = { message, li, buttons: [], done: false, countdown: undefined, status: undefined };
    const container = h('div', { class: 'choices', role: 'group', 'aria-label': t('choices.label') });
    message.choices.forEach((choice, index) => {
      const variant = kind === 'confirmation' ? (index === 0 ? 'choice choice--primary' : 'choice choice--secondary') : 'choice';
      const button = h('button', { type: 'button', class: variant, text: choice.label, onclick: () => choose(group, choice, button) });
      if (choice.value !== choice.label) button.dataset.value = choice.value;
      group.buttons.push(button);
      container.append(button);
    });
    bubble.append(container);
    if (message.expiresAtMs !== undefined) {
      group.countdown = h('p', { class: 'countdown' }, [
        s('svg', { viewBox: '0 0 24 24', class: 'icon', 'aria-hidden': 'true', focusable: 'false' }, [
          s('path', { d: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm1 3v5.4l3.5 2.1-1 1.7L11 13.5V7h2Z' }),
        ]),
        h('span', { class: 'countdown-text' }),
      ]);
      group.expiresAtMs = message.expiresAtMs;
      bubble.append(group.countdown);
      updateCountdown(group, Date.now());
    }
    group.status = h('p', { class: 'choice-status' });
    bubble.append(group.status);
    if (!group.done) app.openGroups.push(group);
  }

  if (message.purchaseId && inspecting()) {
    bubble.append(
      h('button', { type: 'button', class: 'link-button', onclick: () => focusSagaPanel() }, [icon('saga'), h('span', { text: t('purchase.view') }), h('code', { text: shortId(message.purchaseId, 6) })]),
    );
  }
  body.append(h('div', { class: 'msg-meta' }, [timeStamp()]));
  $('messages').append(li);
  scrollToEnd(true);
}

function choose(group, choice, button) {
  if (group.done) return;
  if (!isOpen()) {
    setComposerNotice(t('chat.offline'));
    return;
  }
  button.classList.add('is-chosen');
  button.setAttribute('aria-pressed', 'true');
  if (!sendMessage(choice.value, { replyTo: group.message.correlationId, label: choice.label })) {
    button.classList.remove('is-chosen');
    button.removeAttribute('aria-pressed');
    return;
  }
  group.status.textContent = t('choices.chosen', { label: choice.label });
  $('composer-input').focus();
}

/** Buttons of earlier messages stop working once a later message (either side) arrives. */
function settleOpenGroups() {
  for (const group of app.openGroups) settleGroup(group);
  app.openGroups = [];
}

function settleGroup(group) {
  if (group.done) return;
  group.done = true;
  for (const button of group.buttons) button.disabled = true;
  group.li.classList.add('is-settled');
  if (group.countdown && !group.expired) group.countdown.hidden = true;
}

function updateCountdown(group, now) {
  if (group.done || group.expiresAtMs === undefined) return;
  const left = countdown(group.expiresAtMs, now);
  const text = group.countdown.querySelector('.countdown-text');
  group.countdown.classList.toggle('is-urgent', left.urgent);
  if (left.expired) {
    group.expired = true;
    group.countdown.classList.add('is-expired');
    text.textContent = t('confirm.expired');
    settleGroup(group);
    app.openGroups = app.openGroups.filter((g) => g !== group);
    announce(t('confirm.expired'));
    return;
  }
  text.textContent = t('confirm.expiresIn', { t: left.label });
}

function updateTyping() {
  const waiting = app.tracker.waiting;
  const typing = $('typing');
  if (typing.hidden === !waiting) return;
  typing.hidden = !waiting;
  $('typing-status').textContent = waiting ? t('chat.typing') : '';
  if (waiting) scrollToEnd(true);
}

function setComposerNotice(text) {
  $('composer-notice').textContent = text;
  $('composer-notice').hidden = !text;
}

/**
 * Sends a customer message (typed, a suggestion, or a button's value with `replyTo`).
 *
 * @returns {boolean} Whether it went out.
 */
function sendMessage(text, { replyTo, label } = {}) {
  if (!isOpen()) {
    setComposerNotice(t('chat.offline'));
    return false;
  }
  const frame = buildMessageFrame(text, replyTo);
  if (!frame) return false;
  try {
    app.socket.send(frame);
  } catch {
    setComposerNotice(t('chat.offline'));
    return false;
  }
  setComposerNotice('');
  settleOpenGroups();
  addCustomerMessage(label ?? text.trim());
  app.sent += 1;
  $('suggestions').hidden = true;
  app.tracker.send();
  updateTyping();
  if (inspecting()) {
    // A reply to a button continues its request; a new message starts one whose id comes later.
    if (!replyTo || replyTo !== app.events.correlationId) waitForRequestId();
    app.events.pollsSinceAnswer = 0;
    pollEventsSoon(0);
  }
  return true;
}

function handleFrame(data) {
  const message = parseServerFrame(data, { locale: app.locale });
  // A repeated push of a message already shown.
  if (!app.seen.firstTime(message.messageId)) return;
  if (message.locale && message.locale !== app.locale) setLocale(message.locale);
  settleOpenGroups();
  app.tracker.receive(message);
  addServerMessage(message);
  updateTyping();
  if (!inspecting()) return;
  showLastFrame(message.raw);
  const id = app.tracker.correlationId;
  if (id && id !== app.events.correlationId) resetEvents(id);
  app.events.pollsSinceAnswer = 0;
  if (message.purchaseId) showSaga(message.purchaseId);
  pollEventsSoon(0);
}

function resizeComposer() {
  const input = $('composer-input');
  input.style.height = 'auto';
  // Hidden (no layout yet): leave it to the stylesheet.
  if (input.scrollHeight > 0) input.style.height = `${Math.min(input.scrollHeight, 168)}px`;
}

function onComposerSubmit(event) {
  event.preventDefault();
  const input = $('composer-input');
  if (!input.value.trim()) {
    input.focus();
    return;
  }
  if (sendMessage(input.value)) {
    input.value = '';
    resizeComposer();
  }
  input.focus();
}

function onComposerKey(event) {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
}

/* ───────────────────────────── events panel ───────────────────────────── */

function setEventsEmpty(key) {
  const empty = $('events-empty');
  empty.hidden = !key;
  if (key) {
    empty.dataset.i18n = key;
    empty.textContent = t(key);
  }
}

function waitForRequestId() {
  app.events.generation += 1;
  app.events.correlationId = undefined;
  app.events.seen = new Set();
  app.events.waitingForId = true;
  $('events-list').replaceChildren();
  $('events-correlation').hidden = true;
  $('events-error').hidden = true;
  setEventsEmpty('events.waitingId');
  renderLive('live');
}

function resetEvents(correlationId) {
  app.events.generation += 1;
  app.events.correlationId = correlationId;
  app.events.seen = new Set();
  app.events.waitingForId = false;
  $('events-list').replaceChildren();
  $('events-correlation').hidden = false;
  $('events-correlation-id').textContent = correlationId;
  $('copy-correlation').textContent = t('events.copy');
  $('events-error').hidden = true;
  setEventsEmpty('events.empty');
}

function sagaRunning() {
  const saga = app.saga;
  return Boolean(saga.purchaseId) && !isFinal(saga.history) && saga.misses < SAGA_MISSING_LIMIT && saga.errors < SAGA_ERROR_LIMIT;
}

function eventsActive() {
  return shouldPollEvents({
    correlationId: app.events.correlationId,
    waiting: app.tracker.waiting,
    pollsSinceAnswer: app.events.pollsSinceAnswer,
    sagaRunning: sagaRunning(),
    afterPolls: AFTER_ANSWER_POLLS,
  });
}

function pollEventsSoon(delay) {
  clearTimeout(app.events.timer);
  app.events.timer = setTimeout(pollEvents, delay);
}

async function pollEvents() {
  const events = app.events;
  events.timer = undefined;
  const active = eventsActive();
  renderLive(active || events.waitingForId ? 'live' : 'idle');
  if (!active) return;
  if (events.inflight) {
    pollEventsSoon(EVENTS_POLL_MS);
    return;
  }
  const generation = events.generation;
  const correlationId = events.correlationId;
  events.inflight = true;
  try {
    const list = await fetchJson(`${app.config.http}/events?correlation_id=${encodeURIComponent(correlationId)}`);
    if (generation !== app.events.generation) return;
    if (!Array.isArray(list)) throw new Error('not a list');
    renderEvents(list);
    $('events-error').hidden = true;
  } catch (error) {
    if (generation !== app.events.generation) return;
    $('events-error').hidden = false;
    $('events-error').textContent = t('events.unavailable', { reason: reasonOf(error) });
  } finally {
    events.inflight = false;
  }
  if (!app.tracker.waiting) events.pollsSinceAnswer += 1;
  pollEventsSoon(EVENTS_POLL_MS);
}

function renderLive(state) {
  const live = $('events-live');
  if (state) live.dataset.state = state;
  $('events-live-text').textContent = live.dataset.state === 'live' ? t('events.live') : app.events.correlationId ? t('events.idle') : '';
}

function eventKey(event) {
  if (typeof event?.id === 'string') return event.id;
  return `${event?.time}|${event?.['detail-type']}|${prettyJson(event?.detail).slice(0, 200)}`;
}

function renderEvents(list) {
  const target = $('events-list');
  let added = 0;
  for (const event of list) {
    if (!event || typeof event !== 'object') continue;
    const key = eventKey(event);
    if (app.events.seen.has(key)) continue;
    app.events.seen.add(key);
    target.append(eventItem(event));
    added += 1;
  }
  if (app.events.seen.size > 0) setEventsEmpty(undefined);
  return added;
}

function eventItem(event) {
  const type = String(event['detail-type'] ?? event.detailType ?? '?');
  const source = String(event.source ?? '?');
  const failed = /_(FAILED|REJECTED|ERROR)$/.test(type);
  const when = event.time ?? event.timestamp;
  return h('li', { class: `event${failed ? ' event--failed' : ''}` }, [
    h('details', {}, [
      h('summary', {}, [
        h('time', { class: 'event-time', datetime: typeof when === 'string' ? when : undefined, text: when ? formatClock(when) : '—' }),
        h('span', { class: 'event-source', dataset: { source }, text: source.replace(/^centli\./, '') , title: source }),
        h('span', { class: 'event-type', text: type }),
      ]),
      h('pre', { class: 'json', text: prettyJson(event.detail ?? event) }),
    ]),
  ]);
}

function showLastFrame(raw) {
  $('last-frame').hidden = false;
  $('last-frame-json').textContent = prettyJson(raw);
}

async function copyCorrelation() {
  const id = app.events.correlationId;
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

/* ───────────────────────────── saga panel ───────────────────────────── */

function showSaga(purchaseId) {
  const saga = app.saga;
  if (saga.purchaseId === purchaseId) return;
  clearTimeout(saga.timer);
  Object.assign(saga, { purchaseId, history: undefined, error: undefined, misses: 0, errors: 0, generation: saga.generation + 1, selected: undefined, zoom: 'auto', lastActive: undefined, finalSeen: false });
  $('saga-panel').hidden = false;
  renderSaga();
  pollSaga();
}

function focusSagaPanel() {
  const panel = $('saga-panel');
  if (panel.hidden) return;
  panel.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'start' });
  panel.focus({ preventScroll: true });
}

async function pollSaga() {
  const saga = app.saga;
  saga.timer = undefined;
  const generation = saga.generation;
  try {
    if (!saga.definition) {
      const definition = await fetchJson(`${app.config.http}/sagas/purchase`);
      if (!definition || typeof definition.StartAt !== 'string' || !definition.States || typeof definition.States !== 'object') throw new Error('not a state machine definition');
      saga.definition = definition;
    }
    try {
      const history = await fetchJson(`${app.config.http}/executions/${encodeURIComponent(saga.purchaseId)}`);
      if (generation !== app.saga.generation) return;
      saga.history = history;
      saga.error = undefined;
    } catch (error) {
      if (error?.status !== 404) throw error;
      if (generation !== app.saga.generation) return;
      saga.misses += 1;
      saga.error = saga.misses >= SAGA_MISSING_LIMIT ? t('saga.unavailable', { reason: 'HTTP 404' }) : t('saga.notYet');
    }
  } catch (error) {
    if (generation !== app.saga.generation) return;
    saga.errors += 1;
    saga.error = t('saga.unavailable', { reason: reasonOf(error) });
  }
  renderSaga();
  if (isFinal(saga.history)) {
    if (!saga.finalSeen) {
      // The saga publishes its result on the bus as it ends: fetch the events a few more times.
      saga.finalSeen = true;
      app.events.pollsSinceAnswer = 0;
      pollEventsSoon(0);
    }
    return;
  }
  if (saga.misses < SAGA_MISSING_LIMIT && saga.errors < SAGA_ERROR_LIMIT) saga.timer = setTimeout(pollSaga, SAGA_POLL_MS);
}

function renderSaga() {
  const saga = app.saga;
  if (!saga.purchaseId) return;
  const summary = executionSummary(saga.history);
  const status = saga.history ? summary.status : 'UNKNOWN';
  for (const id of ['saga-status', 'saga-dialog-status']) {
    const badge = $(id);
    badge.dataset.status = status;
    badge.textContent = saga.history ? t(`saga.status.${status}`) : t('saga.loading');
  }
  $('saga-dialog-title').textContent = `${t('saga.title')} · ${saga.purchaseId}`;

  const meta = [
    ['purchase_id', h('code', { text: saga.purchaseId, title: saga.purchaseId })],
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
  drawGraph($('saga-canvas'), layout, { prefix: 'panel', scale: panelScale(layout) });
  followActiveNode(layout);
  const dialog = $('saga-dialog');
  if (dialog.open) drawGraph($('saga-dialog-canvas'), layout, { prefix: 'dialog', scale: dialogScale(layout) });
  renderDetail(layout);
}

function panelScale(layout) {
  const zoom = app.saga.zoom;
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
  const saga = app.saga;
  if (!saga.definition) return;
  const layout = layoutSaga(saga.definition, saga.history);
  const current = panelScale(layout);
  saga.zoom = change === 'fit' ? 'fit' : Math.max(0.3, Math.min(2, Math.round(current * change * 100) / 100));
  renderSaga();
}

/** Keeps the state that ran last in view when the graph is larger than its box. */
function followActiveNode(layout) {
  const saga = app.saga;
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

function nodeLabel(node) {
  const parts = [node.id, node.type, t(`node.status.${node.status}`)];
  if (node.compensation) parts.push(t('node.compensation'));
  if (node.durationMs !== undefined) parts.push(formatDuration(node.durationMs));
  if (node.retries > 0) parts.push(`${t('node.retries')}: ${node.retries}`);
  return parts.join(', ');
}

function drawGraph(container, layout, { prefix, scale }) {
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
      const meta = [node.type];
      if (node.durationMs !== undefined) meta.push(formatDuration(node.durationMs));
      if (node.retries > 0) meta.push(t('node.retryCount', { n: node.retries }));
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
      if (app.saga.selected === node.id) classes.push('is-selected');
      const group = s(
        'g',
        {
          class: classes.join(' '),
          transform: `translate(${node.x},${node.y})`,
          role: 'button',
          tabindex: '0',
          'aria-label': nodeLabel(node),
          'aria-pressed': String(app.saga.selected === node.id),
          dataset: { node: node.id },
        },
        [
          s('title', { text: `${node.id} · ${t(`node.status.${node.status}`)}${node.comment ? `\n${node.comment}` : ''}` }),
          s('rect', { class: 'node-halo', x: -4, y: -4, width: node.width + 8, height: node.height + 8, rx: 14 }),
          s('rect', { class: 'node-box', width: node.width, height: node.height, rx: node.end ? node.height / 2 : 10 }),
          s('rect', { class: 'node-stripe', x: 0, y: 10, width: 4, height: node.height - 20, rx: 2 }),
          nameText,
          s('text', { class: 'node-meta', x: 16, y: 43, text: meta.join(' · ') }),
          iconSpec
            ? s('g', { class: 'node-icon', transform: `translate(${node.width - 17},17)` }, [
                s('circle', { r: 8.5 }),
                s('path', { d: iconSpec.d, class: iconSpec.stroke ? 'stroke' : 'fill' }),
              ])
            : null,
        ],
      );
      group.addEventListener('click', () => selectNode(node.id));
      group.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          selectNode(node.id);
        }
      });
      return group;
    }),
  );

  const svg = s(
    'svg',
    {
      class: 'saga-svg',
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      width,
      height,
      role: 'group',
      'aria-label': t('saga.graphLabel', { id: app.saga.purchaseId }),
    },
    [defs, edgeGroup, nodeGroup],
  );
  container.replaceChildren(svg);
  container.scrollLeft = scrollLeft;
  container.scrollTop = scrollTop;
  if (focusedHere) container.querySelector(`.node[data-node="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
}

function selectNode(id) {
  app.saga.selected = app.saga.selected === id ? undefined : id;
  renderSaga();
  if (app.saga.selected && !$('saga-dialog').open) $('saga-detail').scrollIntoView({ block: 'nearest', behavior: reducedMotion() ? 'auto' : 'smooth' });
}

function renderDetail(layout) {
  const node = layout.nodes.find((n) => n.id === app.saga.selected);
  for (const id of ['saga-detail', 'saga-dialog-detail']) {
    const container = $(id);
    container.hidden = !node;
    if (node) container.replaceChildren(...nodeDetail(node));
    else container.replaceChildren();
  }
  $('saga-hint').hidden = Boolean(node);
}

function nodeDetail(node) {
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
      h('button', { type: 'button', class: 'icon-button', 'aria-label': t('node.close'), title: t('node.close'), onclick: () => selectNode(node.id) }, [
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

function jsonSection(title, value, open) {
  return h('details', { class: 'json-section', open }, [h('summary', { text: title }), h('pre', { class: 'json', text: prettyJson(value) })]);
}

function renderLegend() {
  const items = ['succeeded', 'caught', 'compensated', 'running', 'failed', 'notVisited'].map((status) =>
    h('li', {}, [h('span', { class: `swatch swatch--${status}`, 'aria-hidden': 'true' }), h('span', { text: t(`node.status.${status}`) })]),
  );
  items.push(h('li', {}, [h('span', { class: 'line line--next', 'aria-hidden': 'true' }), h('span', { text: t('legend.next') })]));
  items.push(h('li', {}, [h('span', { class: 'line line--catch', 'aria-hidden': 'true' }), h('span', { text: t('legend.catch') })]));
  $('saga-legend').replaceChildren(...items);
  $('saga-legend').setAttribute('aria-label', t('legend.title'));
}

function openSagaDialog() {
  const dialog = $('saga-dialog');
  if (!app.saga.purchaseId) return;
  dialog.showModal();
  renderSaga();
  $('saga-dialog-close').focus();
}

/* ───────────────────────────── clock ───────────────────────────── */

function tick() {
  const now = Date.now();
  for (const group of [...app.openGroups]) updateCountdown(group, now);
  if (app.connection === 'reconnecting') renderConnection();
}

/* ───────────────────────────── start ───────────────────────────── */

function wire() {
  $('config-retry').addEventListener('click', () => loadConfig());
  $('token-form').addEventListener('submit', onTokenSubmit);
  $('signin-button').addEventListener('click', signIn);
  // Back from the sign-in page restores this page as it was left: busy, leaving.
  window.addEventListener('pageshow', (event) => event.persisted && resetSignInButton());
  $('switch-customer').addEventListener('click', switchCustomer);
  $('reconnect-now').addEventListener('click', onReconnectNow);
  $('composer').addEventListener('submit', onComposerSubmit);
  $('composer-input').addEventListener('keydown', onComposerKey);
  $('composer-input').addEventListener('input', resizeComposer);
  $('events-refresh').addEventListener('click', () => {
    app.events.pollsSinceAnswer = Math.min(app.events.pollsSinceAnswer, AFTER_ANSWER_POLLS - 1);
    pollEventsSoon(0);
  });
  $('copy-correlation').addEventListener('click', copyCorrelation);
  $('saga-zoom-in').addEventListener('click', () => setZoom(1.25));
  $('saga-zoom-out').addEventListener('click', () => setZoom(0.8));
  $('saga-fit').addEventListener('click', () => setZoom('fit'));
  $('saga-expand').addEventListener('click', openSagaDialog);
  $('saga-dialog-close').addEventListener('click', () => $('saga-dialog').close());
  $('saga-dialog').addEventListener('close', () => $('saga-expand').focus());
  $('saga-dialog').addEventListener('click', (event) => {
    if (event.target === event.currentTarget) event.currentTarget.close();
  });
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => app.saga.purchaseId && renderSaga(), 150);
  });
  setInterval(tick, 1000);
}

wire();
setLocale('es');
loadConfig();
