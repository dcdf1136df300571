/**
 * Who is talking: the login screen (a seeded customer, a pasted token, or signing in with the
 * OAuth 2.0 code flow and PKCE through oauth.js), the session that follows (its customer, its
 * token's expiry) and the header that names the customer. Tokens are kept in sessionStorage
 * only, so nothing outlives the tab.
 *
 * @module
 */
import { customerFromToken } from './config.js';
import { $, h, s } from './dom.js';
import { formatClock, initials } from './format.js';
import { timedFetch } from './http.js';
import { beginSignIn, checkRedirect, cleanUrl, logoutUrl, PENDING_KEY, readPending, readRedirect, readSession, readTokenResponse, SESSION_KEY, signInProblem, tokenRequest } from './oauth.js';

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

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function chevron() {
  return s('svg', { viewBox: '0 0 24 24', class: 'chevron', 'aria-hidden': 'true', focusable: 'false' }, [s('path', { d: 'm9 6 6 6-6 6' })]);
}

/**
 * @param {object} options
 * @param {(key: string, params?: object) => string} options.t The page's words in its current language.
 * @param {() => 'es'|'en'} options.locale
 * @param {() => object} options.config The parsed config.json (config.js).
 * @param {ReturnType<import('./screens.js').createScreens>} options.screens
 * @param {() => void} options.onStart A customer was chosen: open the connection.
 * @param {() => void} options.onExpired The session's token expired.
 * @param {() => void} options.onSignOut The header's button: end the session.
 * @returns The sign-in's controls and what the other parts ask about the session.
 */
export function createSignIn({ t, locale, config, screens, onStart, onExpired, onSignOut }) {
  /** `{ userId, name, token, via: 'oauth' | 'demo' | 'token', expiresAt? }` */
  let customer;
  let expiryTimer;

  $('token-form').addEventListener('submit', onTokenSubmit);
  $('signin-button').addEventListener('click', signIn);
  // Back from the sign-in page restores this page as it was left: busy, leaving.
  window.addEventListener('pageshow', (event) => event.persisted && resetSignInButton());
  $('switch-customer').addEventListener('click', () => onSignOut());

  /** What the page does once it has its configuration: finish a sign-in, resume one, or ask. */
  async function resume() {
    const redirect = readRedirect(location.search);
    if (redirect.kind !== 'none') {
      // The code is single use: it must not stay in the address bar or the history.
      window.history.replaceState(window.history.state, '', cleanUrl(location.href));
      if (config().auth) return completeSignIn(redirect);
    }
    const session = config().auth ? readSession(stored(SESSION_KEY)) : undefined;
    if (session?.expired) {
      store(SESSION_KEY, undefined);
      return showLogin({ error: t('oauth.expired') });
    }
    if (session) {
      screens.loading(t('login.connecting'));
      return startSession(oauthCustomer(session.idToken), undefined);
    }
    showLogin();
  }

  function oauthCustomer(idToken) {
    const info = customerFromToken(idToken);
    return { userId: info.userId ?? '', name: info.name ?? info.userId ?? t('session.customer'), token: idToken, via: 'oauth' };
  }

  /** Leaves for the provider's sign-in page, keeping the verifier, state and nonce in this tab. */
  async function signIn() {
    const auth = config()?.auth;
    if (!auth) return;
    setBusy($('signin-button'));
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
    setBusy(undefined);
    $('signin-label').textContent = t('login.signIn');
  }

  /** The provider sent the browser back: check it answers this tab's request, then trade the code for tokens. */
  async function completeSignIn(redirect) {
    screens.loading(t('oauth.completing'));
    const pending = readPending(stored(PENDING_KEY));
    store(PENDING_KEY, undefined);
    const checked = checkRedirect(redirect, pending);
    if (!checked.ok) return showLogin({ error: problemText(checked) });
    const request = tokenRequest(config().auth, checked.code, pending);
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
    screens.loading(t('login.connecting'));
    startSession(oauthCustomer(result.session.id_token), undefined);
  }

  function problemText(failure) {
    const { key, params } = signInProblem(failure);
    return t(key, params);
  }

  /** Whether the session's token has expired. */
  function expired() {
    return customer?.expiresAt !== undefined && customer.expiresAt <= Date.now();
  }

  /** Says so when the session's token expires; setTimeout holds at most ~24.8 days. */
  function scheduleExpiry() {
    clearTimeout(expiryTimer);
    expiryTimer = undefined;
    const at = customer?.expiresAt;
    if (at === undefined) return;
    expiryTimer = setTimeout(checkExpiry, Math.min(Math.max(0, at - Date.now()), 2_147_483_647));
  }

  /** Ends the session if its token has expired (a signed-in one is forgotten); otherwise waits on. */
  function checkExpiry() {
    if (!customer) return;
    if (!expired()) return scheduleExpiry();
    forgetSignIn();
    onExpired();
  }

  /** When the session's token expires (or expired), as a clock time; empty when it does not. */
  function expiryText() {
    const at = customer?.expiresAt;
    return at === undefined ? '' : formatClock(new Date(at), { short: true });
  }

  /** The login screen's words for an expired session. */
  function expiredText() {
    return customer.via === 'oauth' ? t('oauth.expired') : t('token.expired', { when: expiryText() });
  }

  /** A session that came from signing in is not resumed after this. */
  function forgetSignIn() {
    if (customer?.via === 'oauth') store(SESSION_KEY, undefined);
  }

  /** Whether a session that is no longer accepted is renewed by signing in (rather than picking a customer). */
  function signsInAgain() {
    return customer?.via === 'oauth' && Boolean(config()?.auth);
  }

  function loginSubtitleKey() {
    const customers = Boolean(config()?.customers?.length);
    if (config()?.auth) return customers ? 'login.subtitleBoth' : 'login.subtitleOAuth';
    return customers ? 'login.subtitle' : 'login.subtitleToken';
  }

  /**
   * The login screen as config.json allows: seeded customers, signing in, a pasted token.
   *
   * @param {{ error?: string, focus?: boolean }} [options]
   */
  function showLogin({ error, focus = true } = {}) {
    const customers = config().customers;
    const list = $('customer-list');
    list.replaceChildren(
      ...(customers ?? []).map((choice) =>
        h('li', {}, [
          h(
            'button',
            { type: 'button', class: 'customer-card', dataset: { user: choice.userId }, onclick: (event) => startSession(choice, event.currentTarget) },
            [
              h('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(choice.name) }),
              h('span', { class: 'customer-text' }, [h('span', { class: 'customer-name', text: choice.name }), h('span', { class: 'customer-id', text: choice.userId })]),
              h('span', { class: 'customer-state', 'aria-hidden': 'true' }),
              chevron(),
            ],
          ),
        ]),
      ),
    );
    const auth = config().auth;
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
    $('token-hint').textContent = t('token.hint', { host: hostOf(config().websocket) });
    $('token-error').textContent = '';
    showLoginError(error);
    screens.show('login');
    if (focus) (tokenOnly ? $('token-input') : $('login-title')).focus();
  }

  function showLoginError(text) {
    $('login-error').hidden = !text;
    $('login-error-text').textContent = text ?? '';
  }

  /**
   * A problem on the login screen: shown there, or on its own notice when the screen is up already.
   *
   * @param {string} text
   */
  function showProblem(text) {
    if (screens.current() !== 'login') showLogin({ error: text });
    else showLoginError(text);
  }

  /**
   * Marks the button that is connecting (or, with `undefined`, none) and holds the others.
   *
   * @param {HTMLElement|undefined} button
   */
  function setBusy(button) {
    for (const node of document.querySelectorAll('.customer-card, #token-form button, #signin-button')) {
      node.disabled = Boolean(button);
      node.classList.toggle('is-busy', node === button);
      node.removeAttribute('aria-busy');
      const state = node.querySelector('.customer-state');
      if (state) state.textContent = node === button ? t('login.connecting') : '';
    }
    if (button) button.setAttribute('aria-busy', 'true');
  }

  function startSession(chosen, button) {
    const token = customerFromToken(chosen.token);
    if (token.problem === 'expired') {
      showProblem(t('token.expired', { when: new Date(token.expiresAt).toLocaleString(locale() === 'en' ? 'en-US' : 'es-MX') }));
      return;
    }
    showLoginError(undefined);
    setBusy(button);
    customer = { via: 'demo', ...chosen, ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}) };
    scheduleExpiry();
    onStart();
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
    if (info.problem === 'expired') return fail(t('token.expired', { when: new Date(info.expiresAt).toLocaleString(locale() === 'en' ? 'en-US' : 'es-MX') }));
    startSession({ userId: info.userId ?? '', name: info.name ?? info.userId ?? t('session.customer'), token, via: 'token' }, event.submitter ?? $('token-form').querySelector('button'));
  }

  /**
   * The connection was refused before it ever opened: a bad or expired token, or no server.
   *
   * @param {boolean|undefined} reachable Whether the stack answers over HTTP; undefined when it cannot be asked.
   */
  function refused(reachable) {
    setBusy(undefined);
    forgetSignIn();
    const url = config().websocket;
    const text = reachable === undefined ? t('error.refusedOrUnreachable', { url }) : reachable ? t('error.refused') : t('error.unreachable', { url });
    showProblem(text);
    $('login-error').scrollIntoView({ block: 'nearest' });
  }

  /**
   * The header names the customer whose session opened; the button says how it ends.
   *
   * @returns {string} The name the conversation greets.
   */
  function showCustomer() {
    const name = customer.name || customer.userId;
    $('session-name').textContent = name;
    $('session-name').title = customer.userId;
    $('session-avatar').textContent = initials(name);
    const label = $('switch-customer-label');
    label.dataset.i18n = customer.via === 'oauth' ? 'session.signOut' : 'session.switch';
    label.textContent = t(label.dataset.i18n);
    return name;
  }

  /**
   * Ends the session: signs out of a signed-in one, at the provider too when it has a logout endpoint.
   *
   * @returns {boolean} Whether the page is leaving for the provider's logout.
   */
  function signOut() {
    clearTimeout(expiryTimer);
    expiryTimer = undefined;
    const signedIn = customer?.via === 'oauth';
    if (signedIn) store(SESSION_KEY, undefined);
    // Ends the provider's own session too, when it has a logout endpoint, so the next sign-in asks who.
    const logout = signedIn && config()?.auth ? logoutUrl(config().auth) : undefined;
    if (logout) {
      location.assign(logout);
      return true;
    }
    customer = undefined;
    return false;
  }

  /** Back to the login screen after a session ended, with nothing of it left in the form. */
  function backToLogin() {
    setBusy(undefined);
    $('token-input').value = '';
    showLogin();
  }

  /** The words that depend on the configuration, after the language changed. */
  function localize() {
    if (config()) $('token-hint').textContent = t('token.hint', { host: hostOf(config().websocket) });
    if (config()?.auth) $('signin-hint').textContent = t('login.signInHint', { host: hostOf(config().auth.authorizeUrl) });
    if (config() && screens.current() === 'login') $('login-subtitle').textContent = t(loginSubtitleKey());
  }

  return {
    customer: () => customer,
    resume,
    signIn,
    showLogin,
    showProblem,
    setBusy,
    refused,
    expired,
    expiryText,
    expiredText,
    signsInAgain,
    checkExpiry,
    showCustomer,
    signOut,
    backToLogin,
    localize,
  };
}
