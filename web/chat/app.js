/**
 * The chat page's composition root: reads config.json, makes the page's parts and wires what one
 * part's events mean for the others. Each part owns its piece of the page and its state:
 *
 * - screens.js: which screen shows, the loading screen, the inspector's column;
 * - sign-in.js: the login screen, signing in (OAuth 2.0 code flow with PKCE), the session;
 * - connection.js: the WebSocket, reconnecting, the connection's status and banner;
 * - conversation.js: the messages, the confirmation and choice buttons, the composer;
 * - events-panel.js and saga-panel.js: the inspector, the request's events and its purchase saga.
 *
 * What can be tested without a browser lives in the pure modules (config.js, oauth.js,
 * protocol.js, format.js, saga-graph.js, i18n.js).
 *
 * The events and saga inspector reads the local stack's read API (`http` in config.json); a
 * deployed stage has none, and then the inspector is not shown and nothing polls.
 *
 * @module
 */
import { parseConfig } from './config.js';
import { createConnection } from './connection.js';
import { createConversation } from './conversation.js';
import { $ } from './dom.js';
import { createEventsPanel } from './events-panel.js';
import { fetchJson, reasonOf, serverReachable } from './http.js';
import { translate } from './i18n.js';
import { sagaOf, socketUrl } from './protocol.js';
import { createSagaPanel } from './saga-panel.js';
import { createScreens } from './screens.js';
import { createSignIn } from './sign-in.js';

const app = { config: undefined, locale: 'es' };

const t = (key, params) => translate(app.locale, key, params);
const locale = () => app.locale;
const config = () => app.config;
const http = () => app.config.http;
/** Whether this stage has the read API the events and saga inspector needs (the local stack). */
const inspecting = () => Boolean(app.config?.http);

const screens = createScreens({ onRetry: () => loadConfig() });
const signIn = createSignIn({ t, locale, config, screens, onStart: () => connection.start(), onExpired: onSessionExpired, onSignOut: endSession });
const connection = createConnection({
  t,
  url: () => socketUrl(app.config.websocket, signIn.customer().token),
  session: signIn,
  canProbe: inspecting,
  probe: () => serverReachable(app.config.http),
  onOpen: (reconnected) => (reconnected ? conversation.addNote(t('chat.reconnected'), 'success') : enterChat()),
  onFrame,
  onRefused: (reachable) => signIn.refused(reachable),
  onDropped: () => {
    if (conversation.abandon(t('chat.lostAnswer'))) events.stopWaiting();
  },
  onExpired: () => signIn.checkExpiry(),
  onOnline: (open) => conversation.setOnline(open),
  onRenew: () => (signIn.signsInAgain() ? signIn.signIn() : endSession()),
});
const conversation = createConversation({
  t,
  locale,
  setLocale,
  inspecting,
  socket: { isOpen: connection.isOpen, send: connection.send, connected: () => connection.state() === 'open' },
  announce,
  onSent: (replyTo) => {
    if (inspecting()) events.onSent(replyTo);
  },
  onShowSaga: () => saga.focus(),
});
const saga = createSagaPanel({ t, locale, http, onFinal: () => events.pollAgain() });
const events = createEventsPanel({ t, locale, http, waiting: conversation.waiting, sagaRunning: saga.running, failureTypes: () => app.config?.failureTypes ?? [] });

function announce(text) {
  const announcer = $('announcer');
  announcer.textContent = '';
  // A fresh text node after a tick is announced even when the words repeat.
  setTimeout(() => (announcer.textContent = text), 50);
}

function setLocale(next) {
  app.locale = next === 'en' ? 'en' : 'es';
  document.documentElement.lang = app.locale;
  document.title = t('app.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  for (const node of document.querySelectorAll('[data-i18n-title]')) node.setAttribute('title', t(node.dataset.i18nTitle));
  connection.render();
  conversation.renderSuggestions();
  events.renderLive();
  saga.renderLegend();
  saga.render();
  signIn.localize();
}

async function loadConfig({ quiet = false } = {}) {
  if (!quiet) screens.loading();
  try {
    const parsed = parseConfig(await fetchJson('./config.json'));
    if (!parsed.ok) throw new Error(parsed.error);
    for (const warning of parsed.warnings) console.warn(`config.json: ${warning}`);
    app.config = parsed;
  } catch (error) {
    if (quiet && app.config) return;
    screens.configProblem(`${t('config.error')} (${reasonOf(error, app.locale)})`);
    return;
  }
  if (!quiet) await signIn.resume();
  else if (screens.current() === 'login') signIn.showLogin({ focus: false });
}

/** The session's socket opened for the first time: the chat screen, greeted. */
function enterChat() {
  signIn.setBusy(undefined);
  resetConversation();
  const name = signIn.showCustomer();
  screens.setInspector(inspecting());
  screens.show('chat');
  conversation.welcome(name);
  connection.render();
  conversation.focus();
}

function resetConversation() {
  conversation.reset();
  events.reset();
  saga.reset();
}

function onFrame(data) {
  const message = conversation.receive(data);
  if (!message || !inspecting()) return;
  events.onAnswer(message.raw, conversation.correlationId());
  const run = sagaOf(message);
  if (run) saga.show(run.id, run.machine);
  events.pollSoon(0);
}

/** The session's token expired: before the socket ever opened, back to the login; after, the banner says so. */
function onSessionExpired() {
  if (!connection.everOpened()) {
    connection.stop('session expired');
    signIn.setBusy(undefined);
    signIn.showLogin({ error: signIn.expiredText() });
    return;
  }
  connection.stop('session expired');
  conversation.abandon();
  connection.setState('expired');
  announce(t('banner.sessionExpired', { when: signIn.expiryText() }));
}

/** Ends the session (the header button): signs out of an OAuth session, or back to the customer list. */
function endSession() {
  connection.stop('switch customer');
  if (signIn.signOut()) return;
  resetConversation();
  connection.reset();
  setLocale('es');
  signIn.backToLogin();
  // Tokens may have been reissued (a restarted local stack): read the configuration again.
  loadConfig({ quiet: true });
}

setInterval(() => {
  conversation.tick(Date.now());
  connection.tick();
}, 1000);
setLocale('es');
loadConfig();
