/**
 * The page's frame: which of its three screens shows (loading, login, chat), the loading screen's
 * words and its configuration error, and whether the chat screen has the inspector column beside
 * the conversation.
 *
 * @module
 */
import { $ } from './dom.js';

/**
 * @param {object} options
 * @param {() => void} options.onRetry The configuration error's retry button.
 * @returns The frame's controls.
 */
export function createScreens({ onRetry }) {
  /** What index.html shows before anything runs. */
  let current = 'loading';

  $('config-retry').addEventListener('click', () => onRetry());

  /**
   * Shows one screen; the header's session and the skip link belong to the chat.
   *
   * @param {'loading'|'login'|'chat'} name
   */
  function show(name) {
    current = name;
    for (const screen of ['loading', 'login', 'chat']) $(`screen-${screen}`).hidden = screen !== name;
    $('session').hidden = name !== 'chat';
    document.querySelector('.skip-link').hidden = name !== 'chat';
    document.body.dataset.screen = name;
  }

  /**
   * The loading screen, busy; with `text`, saying what it waits for.
   *
   * @param {string} [text]
   */
  function loading(text) {
    show('loading');
    $('screen-loading').setAttribute('aria-busy', 'true');
    $('loading-text').hidden = false;
    if (text !== undefined) $('loading-text').textContent = text;
    $('config-error').hidden = true;
  }

  /**
   * The configuration could not be read: says so, with the retry button focused.
   *
   * @param {string} text
   */
  function configProblem(text) {
    $('screen-loading').setAttribute('aria-busy', 'false');
    $('loading-text').hidden = true;
    $('config-error').hidden = false;
    $('config-error-text').textContent = text;
    $('config-retry').focus();
  }

  /**
   * Gives the inspector its column, or the conversation the whole width (a deployed stage has no read API).
   *
   * @param {boolean} shown
   */
  function setInspector(shown) {
    $('inspector').hidden = !shown;
    $('screen-chat').classList.toggle('screen--no-inspector', !shown);
  }

  return { show, current: () => current, loading, configProblem, setInspector };
}
