/**
 * The conversation: the messages of both sides, the buttons of a confirmation or a question (and
 * the countdown of a confirmation), the assistant typing, the suggestions and the composer. It
 * follows the current request (protocol.js's RequestTracker) and shows each server message once,
 * however often it is pushed.
 *
 * @module
 */
import { $, appendAll, h, reducedMotion, s } from './dom.js';
import { countdown, formatClock, shortId, textBlocks } from './format.js';
import { SUGGESTIONS } from './i18n.js';
import { buildMessageFrame, parseServerFrame, RequestTracker, sagaOf, SeenMessages } from './protocol.js';

const ICONS = {
  confirmation: 'M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3Zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.9-4.9 1.4 1.4-6.3 6.3Z',
  error: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm-1 5v7h2V7h-2Zm0 9v2h2v-2h-2Z',
  question: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm-1 15v2h2v-2h-2Zm1-12a4 4 0 0 0-4 4h2a2 2 0 1 1 2 2 1 1 0 0 0-1 1v2h2v-1.2A4 4 0 0 0 12 5Z',
  saga: 'M4 4h6v6H4V4Zm10 0h6v6h-6V4ZM4 14h6v6H4v-6Zm10 3h6v2h-6v-2Zm-4-10h4v2h-4V7Z',
};

function icon(kind) {
  return s('svg', { viewBox: '0 0 24 24', class: 'icon', 'aria-hidden': 'true', focusable: 'false' }, [s('path', { d: ICONS[kind] ?? ICONS.question })]);
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

/**
 * @param {object} options
 * @param {(key: string, params?: object) => string} options.t The page's words in its current language.
 * @param {() => 'es'|'en'} options.locale
 * @param {(locale: string) => void} options.setLocale A server message came in another language.
 * @param {() => boolean} options.inspecting Whether the page shows the request's events and saga (the local stack).
 * @param {{ isOpen: () => boolean, send: (frame: string) => void, connected: () => boolean }} options.socket
 * @param {(text: string) => void} options.announce Says something to screen readers.
 * @param {(replyTo: string|undefined) => void} options.onSent A message went out (replying to a button's turn, or new).
 * @param {() => void} options.onShowSaga A message's link to its saga (a purchase's, a SPEI transfer's).
 * @returns The conversation's controls.
 */
export function createConversation({ t, locale, setLocale, inspecting, socket, announce, onSent, onShowSaga }) {
  let tracker = new RequestTracker();
  const seen = new SeenMessages();
  /** Messages whose buttons still work, each `{ message, li, buttons, done, countdown, status, expiresAtMs?, expired? }`. */
  let openGroups = [];

  $('composer').addEventListener('submit', onComposerSubmit);
  $('composer-input').addEventListener('keydown', onComposerKey);
  $('composer-input').addEventListener('input', resizeComposer);

  /** Empties the conversation for a new session. */
  function reset() {
    tracker = new RequestTracker();
    openGroups = [];
    $('messages').replaceChildren();
    $('typing').hidden = true;
    $('typing-status').textContent = '';
    $('composer-input').value = '';
    resizeComposer();
    setComposerNotice('');
  }

  /**
   * The assistant's greeting and the suggestions that open a session.
   *
   * @param {string} name The customer's name.
   */
  function welcome(name) {
    addAssistantLocal(t('chat.welcome', { name: name.split(/\s+/)[0] }));
    renderSuggestions();
    $('suggestions').hidden = false;
  }

  function renderSuggestions() {
    const list = $('suggestion-list');
    list.replaceChildren(
      ...SUGGESTIONS[locale()].map((text) =>
        h('li', {}, [h('button', { type: 'button', class: 'chip', text, disabled: !socket.connected(), onclick: () => sendMessage(text) })]),
      ),
    );
  }

  /**
   * Whether messages can be sent: the send button, the composer and the suggestions say so.
   *
   * @param {boolean} open
   */
  function setOnline(open) {
    $('send-button').setAttribute('aria-disabled', String(!open));
    $('composer').classList.toggle('is-offline', !open);
    for (const chip of $('suggestion-list').querySelectorAll('.chip')) chip.disabled = !open;
    if (open) setComposerNotice('');
  }

  function scrollToEnd(force = false) {
    const scroller = $('scroller');
    const nearEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 160;
    if (force || nearEnd) scroller.scrollTo({ top: scroller.scrollHeight, behavior: reducedMotion() ? 'auto' : 'smooth' });
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

  /**
   * A line between the messages (reconnected, an answer lost).
   *
   * @param {string} text
   * @param {'info'|'success'|'warning'} [tone]
   */
  function addNote(text, tone = 'info') {
    $('messages').append(h('li', { class: `note note--${tone}` }, [h('span', { text })]));
    scrollToEnd();
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
      if (!group.done) openGroups.push(group);
    }

    if (message.approvalUrl) {
      bubble.append(h('a', { class: 'link-button', href: message.approvalUrl, target: '_blank', rel: 'noopener noreferrer' }, [icon('confirmation'), h('span', { text: t('approval.open') })]));
    }

    const run = sagaOf(message);
    if (run && inspecting()) {
      bubble.append(
        h('button', { type: 'button', class: 'link-button', onclick: () => onShowSaga() }, [icon('saga'), h('span', { text: t(`${run.machine}.view`) }), h('code', { text: shortId(run.id, 6) })]),
      );
    }
    body.append(h('div', { class: 'msg-meta' }, [timeStamp()]));
    $('messages').append(li);
    scrollToEnd(true);
  }

  function choose(group, choice, button) {
    if (group.done) return;
    if (!socket.isOpen()) {
      setComposerNotice(t('chat.offline'));
      return;
    }
    button.classList.add('is-chosen');
    button.setAttribute('aria-pressed', 'true');
    // A confirmation's button answers that confirmation only (its id), a question's the question's turn.
    if (!sendMessage(choice.value, { replyTo: group.message.correlationId, confirmationId: group.message.confirmationId, label: choice.label })) {
      button.classList.remove('is-chosen');
      button.removeAttribute('aria-pressed');
      return;
    }
    group.status.textContent = t('choices.chosen', { label: choice.label });
    $('composer-input').focus();
  }

  /** Buttons of earlier messages stop working once a later message (either side) arrives. */
  function settleOpenGroups() {
    for (const group of openGroups) settleGroup(group);
    openGroups = [];
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
      openGroups = openGroups.filter((g) => g !== group);
      announce(t('confirm.expired'));
      return;
    }
    text.textContent = t('confirm.expiresIn', { t: left.label });
  }

  /**
   * Each second: the confirmations' countdowns.
   *
   * @param {number} now
   */
  function tick(now) {
    for (const group of [...openGroups]) updateCountdown(group, now);
  }

  function updateTyping() {
    const waiting = tracker.waiting;
    const typing = $('typing');
    if (typing.hidden === !waiting) return;
    typing.hidden = !waiting;
    $('typing-status').textContent = waiting ? t('chat.typing') : '';
    if (waiting) scrollToEnd(true);
  }

  /**
   * Gives up on the answer awaited (the socket closed), saying so with `note`.
   *
   * @param {string} [note]
   * @returns {boolean} Whether an answer was awaited.
   */
  function abandon(note) {
    if (!tracker.abandon()) return false;
    if (note) addNote(note, 'warning');
    updateTyping();
    return true;
  }

  function setComposerNotice(text) {
    $('composer-notice').textContent = text;
    $('composer-notice').hidden = !text;
  }

  /**
   * Sends a customer message (typed, a suggestion, or a button's value with `replyTo` and, for a
   * confirmation's button, `confirmationId`).
   *
   * @returns {boolean} Whether it went out.
   */
  function sendMessage(text, { replyTo, confirmationId, label } = {}) {
    if (!socket.isOpen()) {
      setComposerNotice(t('chat.offline'));
      return false;
    }
    const frame = buildMessageFrame(text, replyTo, confirmationId);
    if (!frame) return false;
    try {
      socket.send(frame);
    } catch {
      setComposerNotice(t('chat.offline'));
      return false;
    }
    setComposerNotice('');
    settleOpenGroups();
    addCustomerMessage(label ?? text.trim());
    $('suggestions').hidden = true;
    tracker.send();
    updateTyping();
    onSent(replyTo);
    return true;
  }

  /**
   * A frame from the server, shown unless it was shown already.
   *
   * @param {string} data
   * @returns {object|undefined} The message (protocol.js's parseServerFrame), or undefined for a repeat.
   */
  function receive(data) {
    const message = parseServerFrame(data, { locale: locale() });
    // A repeated push of a message already shown.
    if (!seen.firstTime(message.messageId)) return undefined;
    if (message.locale && message.locale !== locale()) setLocale(message.locale);
    // A notice (a payment received) answers nothing: an open confirmation's buttons still work.
    if (!message.notice) settleOpenGroups();
    tracker.receive(message);
    addServerMessage(message);
    updateTyping();
    return message;
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

  return {
    reset,
    welcome,
    renderSuggestions,
    setOnline,
    addNote,
    receive,
    abandon,
    tick,
    focus: () => $('composer-input').focus(),
    /** Whether an answer is awaited. */
    waiting: () => tracker.waiting,
    /** The correlation id of the current request, once known. */
    correlationId: () => tracker.correlationId,
  };
}
