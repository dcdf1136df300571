/**
 * The approval page (approve.html): where a customer approves or declines what an agent asked to
 * do in their name. The address names the approval (`?id=ap_…`, the `approval_url` the MCP server
 * answered); the customer signs in as themselves (OAuth 2.0 code flow with PKCE through oauth.js,
 * or locally a seeded customer), sees what will happen (the approvals API's view: the tool, the
 * summary with its amounts, the expiry) and presses Aprobar or Rechazar. The agent holds nothing
 * that decides: only this page, signed in as the approval's customer, does.
 *
 * An approval above the customer's MTU needs the customer's passkey: the page asks the approvals
 * API for this approval's challenge, the browser signs it with the passkey (@simplewebauthn/browser,
 * served beside the page as vendor/simplewebauthn/), and Aprobar sends the assertion; the API
 * checks it (services/mcp/src/app/passkeys.ts) and without it refuses. A customer with no passkey
 * yet creates one here, through the same API, after signing in again (approval.js's fresh
 * sign-in): a passkey is added only by a sign-in of the last few minutes.
 *
 * Another customer's approval is answered as one that does not exist, and the page says so with
 * nothing to press. Tokens are kept in sessionStorage only.
 *
 * @module
 */
import { APPROVAL_PENDING_KEY, APPROVAL_SESSION_KEY, approvalIdOf, beginFreshSignIn, isFreshSignIn, screenOf, TOOL_KEYS } from './approval.js';
import { customerFromToken, parseConfig } from './config.js';
import { $, h } from './dom.js';
import { countdown, formatClock, initials } from './format.js';
import { fetchJson, reasonOf, timedFetch } from './http.js';
import { translate } from './i18n.js';
import { beginSignIn, checkRedirect, cleanUrl, PENDING_KEY, readPending, readRedirect, readSession, readTokenResponse, signInProblem, tokenRequest } from './oauth.js';
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from './vendor/simplewebauthn/index.js';

/**
 * `outcome`: the i18n key of what the page last said of the customer's decision, kept while the
 * view is shown again. `assertion`: the passkey's answer to this approval's challenge, in memory
 * only (the challenge is good once, for two minutes). `passkey`: `none` when the customer has no
 * passkey yet, `added` once they created one here.
 */
const page = { locale: 'es', config: undefined, approvalId: undefined, session: undefined, view: undefined, busy: false, outcome: undefined, assertion: undefined, passkey: undefined };
const t = (key, params) => translate(page.locale, key, params);

function stored(key) {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key, value) {
  try {
    if (value === undefined) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, value);
  } catch {
    // Storage is off: the session lasts as long as the page.
  }
}

/** This page's own address, without its query: the redirect URI it registered. */
const pageUrl = () => `${location.origin}${location.pathname}`;

function show(screen, focus) {
  document.body.dataset.screen = screen;
  for (const name of ['loading', 'login', 'approval', 'refused']) $(`approval-screen-${name}`).hidden = name !== screen;
  $('approval-sign-out').hidden = !page.session || screen === 'loading';
  if (focus) $(focus).focus();
}

function problem(text) {
  show('loading');
  $('approval-screen-loading').removeAttribute('aria-busy');
  $('approval-loading-text').hidden = true;
  $('approval-problem').hidden = false;
  $('approval-problem-text').textContent = text;
}

function setLocale(next) {
  page.locale = next === 'en' ? 'en' : 'es';
  document.documentElement.lang = page.locale;
  document.title = t('approval.pageTitle');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  $('approval-language').lang = page.locale === 'en' ? 'es' : 'en';
  if (page.view) renderView();
}

/** The customer signed in on this page, from their token (a seeded customer's demo token names no one: the list gives the name). */
function sessionOf(idToken, name) {
  const info = customerFromToken(idToken);
  return { idToken, userId: info.userId ?? '', name: name ?? info.name ?? info.userId ?? '', expiresAt: info.expiresAt };
}

function startSession(idToken, expiresAt, name) {
  store(APPROVAL_SESSION_KEY, JSON.stringify({ id_token: idToken, expires_at: expiresAt, ...(name ? { name } : {}) }));
  page.session = sessionOf(idToken, name);
  const label = $('approval-customer');
  label.textContent = page.session.name;
  label.title = page.session.userId;
  label.hidden = false;
}

function endSession() {
  store(APPROVAL_SESSION_KEY, undefined);
  page.session = undefined;
  page.assertion = undefined;
  page.passkey = undefined;
  page.view = undefined;
  $('approval-customer').hidden = true;
}

/** The name kept with the session, if any. */
function storedName() {
  try {
    const name = JSON.parse(stored(APPROVAL_SESSION_KEY) ?? '{}').name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

// --- Signing in -----------------------------------------------------------------------------

function showLogin(error) {
  const config = page.config;
  const customers = config.customers ?? [];
  $('approval-customer-list').replaceChildren(
    ...customers.map((choice) =>
      h('li', {}, [
        h('button', { type: 'button', class: 'customer-card', dataset: { user: choice.userId }, onclick: () => pickCustomer(choice) }, [
          h('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(choice.name) }),
          h('span', { class: 'customer-text' }, [h('span', { class: 'customer-name', text: choice.name }), h('span', { class: 'customer-id', text: choice.userId })]),
        ]),
      ]),
    ),
  );
  $('approval-customer-list').hidden = customers.length === 0;
  $('approval-signin').hidden = !config.auth;
  $('approval-login-divider').hidden = !(config.auth && customers.length > 0);
  $('approval-login-error').hidden = !error;
  $('approval-login-error-text').textContent = error ?? '';
  show('login', 'approval-login-title');
}

function pickCustomer(choice) {
  const info = customerFromToken(choice.token);
  startSession(choice.token, info.expiresAt ?? Date.now() + 3600_000, choice.name);
  loadApproval();
}

/** Leaves for the provider: to sign in, or to sign in again before adding a passkey (`passkey`). */
async function leaveFor(purpose) {
  const auth = { ...page.config.auth, redirectUri: pageUrl() };
  try {
    const { url, pending } = purpose === 'passkey' ? await beginFreshSignIn(auth, page.session) : await beginSignIn(auth);
    store(PENDING_KEY, JSON.stringify(pending));
    store(APPROVAL_PENDING_KEY, JSON.stringify({ approval_id: page.approvalId, purpose }));
    if (readPending(stored(PENDING_KEY))?.state !== pending.state) throw new Error('sessionStorage is not available');
    location.assign(url);
  } catch {
    const text = t(signInProblem({ problem: 'unsupported' }).key);
    if (purpose === 'passkey') showError(text);
    else showLogin(text);
  }
}

/** Back from the provider: the code traded for the ID token, kept as the session (a fresh one, when the customer signed in again to add a passkey). */
async function completeRedirect(redirect) {
  const pending = readPending(stored(PENDING_KEY));
  store(PENDING_KEY, undefined);
  const checked = checkRedirect(redirect, pending);
  if (!checked.ok) return { error: t(signInProblem(checked).key, signInProblem(checked).params) };
  const request = tokenRequest(page.config.auth, checked.code, pending);
  let result;
  try {
    const response = await timedFetch(request.url, { ...request.init, cache: 'no-store', credentials: 'omit' });
    result = readTokenResponse(response.status, await response.json().catch(() => undefined), pending);
  } catch {
    result = { ok: false, problem: 'network', error: new URL(request.url).host };
  }
  if (!result.ok) return { error: t(signInProblem(result).key, signInProblem(result).params) };
  startSession(result.session.id_token, result.session.expires_at);
  return {};
}

// --- The approval ---------------------------------------------------------------------------

/** The approvals API's answer: its status and JSON body. `path`: this approval's by default. */
async function api(method, body, path = `/approvals/${encodeURIComponent(page.approvalId)}`) {
  const response = await timedFetch(`${page.config.approvalsApi}${path}`, {
    method,
    cache: 'no-store',
    credentials: 'omit',
    headers: { authorization: `Bearer ${page.session.idToken}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

async function loadApproval() {
  show('loading');
  let answer;
  try {
    answer = await api('GET');
  } catch (error) {
    return problem(t('approval.failed', { reason: reasonOf(error, page.locale) }));
  }
  if (answer.status === 401) {
    endSession();
    return showLogin(t('approval.sessionExpired'));
  }
  if (answer.status === 404) return show('refused', 'approval-refused-title');
  if (answer.status !== 200) return problem(t('approval.failed', { reason: `HTTP ${answer.status}` }));
  page.view = answer.body;
  if (page.view.locale === 'en' || page.view.locale === 'es') setLocale(page.view.locale);
  page.outcome = undefined;
  renderView();
  show('approval', 'approval-title');
}

/** Asks the API for this approval's challenge and has the customer's passkey sign it; Aprobar then sends the answer. */
async function confirmWithPasskey() {
  if (page.busy) return;
  page.busy = true;
  showError(undefined);
  renderView();
  let answer;
  try {
    answer = await api('POST', {}, `/approvals/${encodeURIComponent(page.approvalId)}/passkey/options`);
    if (answer.status === 200) {
      page.assertion = await startAuthentication({ optionsJSON: answer.body });
      page.passkey = undefined;
    }
  } catch (error) {
    showError(t('approval.stepUpFailed', { reason: reasonOf(error, page.locale) }));
    answer = undefined;
  }
  page.busy = false;
  if (answer?.status === 401) {
    endSession();
    return showLogin(t('approval.sessionExpired'));
  }
  if (answer?.status === 404) return show('refused', 'approval-refused-title');
  if (answer?.status === 409 && answer.body.error === 'no_passkey') page.passkey = 'none';
  else if ((answer?.status === 409 || answer?.status === 410) && answer.body.view) page.view = answer.body.view;
  else if (answer && answer.status !== 200) showError(t('approval.stepUpFailed', { reason: `HTTP ${answer.status}` }));
  renderView();
  if (page.assertion) $('approval-approve').focus();
  else if (page.passkey === 'none' && !$('approval-passkey-add-button').hidden) $('approval-passkey-add-button').focus();
}

/**
 * Creates a passkey for the customer, through the approvals API, when their sign-in is fresh; else
 * leaves to sign in again first (the API would refuse a stale one: a stolen session must not add a
 * factor of its own).
 */
async function addPasskey() {
  if (page.busy) return;
  if (!isFreshSignIn(page.session?.idToken)) return leaveFor('passkey');
  page.busy = true;
  showError(undefined);
  renderView();
  let again = false;
  try {
    const options = await api('POST', {}, '/passkeys/registration/options');
    if (options.status === 401 && options.body.error === 'fresh_sign_in_required') again = true;
    else if (options.status !== 200) throw new Error(`HTTP ${options.status}`);
    else {
      const response = await startRegistration({ optionsJSON: options.body });
      const registered = await api('POST', { response }, '/passkeys/registration');
      if (registered.status !== 200) throw new Error(registered.body.error ?? `HTTP ${registered.status}`);
      page.passkey = 'added';
    }
  } catch (error) {
    showError(t('approval.passkeyAddFailed', { reason: reasonOf(error, page.locale) }));
  }
  page.busy = false;
  if (again) return leaveFor('passkey');
  renderView();
  if (page.passkey === 'added') $('approval-step-up-button').focus();
}

/** The approval as it stands: its facts, its state and, while it can be decided, the buttons. */
function renderView() {
  const view = page.view;
  const screen = screenOf(view);
  $('approval-tool').textContent = TOOL_KEYS[view.tool] ? t(TOOL_KEYS[view.tool]) : view.tool;
  $('approval-summary').textContent = view.summary;
  const expires = Date.parse(view.expires_at);
  const left = countdown(expires, Date.now());
  $('approval-expires').textContent = screen.state === 'pending' ? t('approval.expiresIn', { clock: formatClock(new Date(expires), { short: true }), left: left.label }) : formatClock(new Date(expires), { short: true });
  const state = $('approval-state');
  state.dataset.state = screen.state;
  state.textContent = t(`approval.state.${screen.state}`);
  $('approval-actions').hidden = !screen.decidable;
  const supported = browserSupportsWebAuthn();
  const verified = screen.stepUp && Boolean(page.assertion);
  const adding = screen.stepUp && supported && page.passkey === 'none';
  const fresh = isFreshSignIn(page.session?.idToken);
  $('approval-step-up').hidden = !screen.stepUp;
  $('approval-step-up-button').hidden = verified || !supported || adding;
  $('approval-step-up-done').hidden = !verified;
  $('approval-step-up-text').textContent = t(!supported ? 'approval.stepUpUnavailable' : page.passkey === 'added' ? 'approval.passkeyAdded' : 'approval.stepUpText');
  $('approval-passkey-add').hidden = !adding;
  $('approval-passkey-add-text').textContent = t(fresh ? 'approval.passkeyAddFresh' : page.config.auth ? 'approval.passkeyAddText' : 'approval.passkeyAddUnavailable');
  $('approval-passkey-add-button').hidden = !fresh && !page.config.auth;
  for (const id of ['approval-approve', 'approval-decline', 'approval-step-up-button', 'approval-passkey-add-button']) $(id).disabled = page.busy;
  const said = page.outcome ? t(page.outcome) : screen.decidable ? '' : t(settledKey(screen.state));
  // Set only when it changes: a live region says again whatever is written to it.
  if ($('approval-outcome').textContent !== said) $('approval-outcome').textContent = said;
}

function settledKey(state) {
  return { approved: 'approval.wasApproved', declined: 'approval.wasDeclined', used: 'approval.wasUsed', expired: 'approval.wasExpired' }[state] ?? 'approval.wasExpired';
}

function showError(text) {
  $('approval-error').hidden = !text;
  $('approval-error-text').textContent = text ?? '';
}

/** Sends the customer's decision once; the API's answer is what the page then shows. */
async function decide(decision) {
  if (page.busy) return;
  page.busy = true;
  showError(undefined);
  page.outcome = 'approval.sending';
  renderView();
  const assertion = decision === 'approve' ? page.assertion : undefined;
  // The challenge it answers is spent by this request, whatever the answer.
  if (assertion) page.assertion = undefined;
  let answer;
  try {
    answer = await api('POST', { decision, ...(assertion ? { passkey: assertion } : {}) });
  } catch (error) {
    answer = { status: 0, body: {}, reason: reasonOf(error, page.locale) };
  }
  page.busy = false;
  if (answer.status === 200) {
    page.view = answer.body;
    page.outcome = answer.body.status === 'declined' ? 'approval.declined' : 'approval.approved';
    renderView();
    $('approval-outcome').focus();
    return;
  }
  if (answer.status === 401 && answer.body.error === 'step_up_required') {
    if (answer.body.view) page.view = answer.body.view;
    page.outcome = undefined;
    renderView();
    showError(t('approval.stepUpNeeded'));
    if (!$('approval-step-up-button').hidden) $('approval-step-up-button').focus();
    return;
  }
  if (answer.status === 401) {
    endSession();
    return showLogin(t('approval.sessionExpired'));
  }
  if (answer.status === 404) return show('refused', 'approval-refused-title');
  if ((answer.status === 409 || answer.status === 410) && answer.body.view) {
    page.view = answer.body.view;
    page.outcome = undefined;
    renderView();
    $('approval-outcome').focus();
    return;
  }
  page.outcome = undefined;
  renderView();
  showError(t('approval.failed', { reason: answer.reason ?? `HTTP ${answer.status}` }));
}

// --- Start ----------------------------------------------------------------------------------

async function start() {
  setLocale('es');
  $('approval-language').addEventListener('click', () => setLocale(page.locale === 'es' ? 'en' : 'es'));
  $('approval-signin-button').addEventListener('click', () => leaveFor('sign-in'));
  $('approval-step-up-button').addEventListener('click', () => confirmWithPasskey());
  $('approval-passkey-add-button').addEventListener('click', () => addPasskey());
  $('approval-approve').addEventListener('click', () => decide('approve'));
  $('approval-decline').addEventListener('click', () => decide('decline'));
  for (const id of ['approval-sign-out', 'approval-switch']) {
    $(id).addEventListener('click', () => {
      endSession();
      showLogin();
    });
  }

  // Back from the provider, the address has no id: the tab kept it.
  const redirect = readRedirect(location.search);
  let leftFor;
  if (redirect.kind !== 'none') {
    try {
      leftFor = JSON.parse(stored(APPROVAL_PENDING_KEY) ?? 'null');
    } catch {
      leftFor = undefined;
    }
    store(APPROVAL_PENDING_KEY, undefined);
  }
  page.approvalId = approvalIdOf(location.search) ?? approvalIdOf(`?id=${leftFor?.approval_id ?? ''}`);
  if (!page.approvalId) return problem(t('approval.noId'));
  // The code is single use: it leaves the address, which names the approval again.
  if (redirect.kind !== 'none') window.history.replaceState(window.history.state, '', `${cleanUrl(pageUrl())}?id=${page.approvalId}`);

  try {
    const parsed = parseConfig(await fetchJson('./config.json'));
    if (!parsed.ok) throw new Error(parsed.error);
    if (!parsed.approvalsApi) throw new Error('config.json names no approvals_api');
    page.config = parsed;
  } catch (error) {
    return problem(`${t('config.error')} (${reasonOf(error, page.locale)})`);
  }

  const session = readSession(stored(APPROVAL_SESSION_KEY));
  if (session && !session.expired) startSession(session.idToken, session.expiresAt, storedName());
  else store(APPROVAL_SESSION_KEY, undefined);

  if (redirect.kind !== 'none' && page.config.auth) {
    const purpose = leftFor?.purpose === 'passkey' && page.session ? 'passkey' : 'sign-in';
    const done = await completeRedirect(redirect);
    if (done.error) {
      if (purpose === 'sign-in') return showLogin(done.error);
      await loadApproval();
      return showError(done.error);
    }
    if (purpose === 'passkey') {
      // Signed in again: what the customer came to do next is create the passkey.
      page.passkey = 'none';
      await loadApproval();
      if (!$('approval-passkey-add').hidden) $('approval-passkey-add-button').focus();
      return;
    }
  }
  if (!page.session) return showLogin(session?.expired ? t('approval.sessionExpired') : undefined);
  await loadApproval();
}

// The countdown follows the clock; a pending approval whose time ran out shows as expired.
setInterval(() => {
  if (page.view && document.body.dataset.screen === 'approval' && !page.busy) renderView();
}, 1000);

start();
