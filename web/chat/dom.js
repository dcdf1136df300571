/**
 * Building the page's elements, for the modules that each own a part of the page (sign-in.js,
 * connection.js, conversation.js, events-panel.js, saga-panel.js, screens.js). Server text only
 * ever becomes text nodes (textContent, append of strings): never parsed as HTML.
 *
 * @module
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The element with this id. Each id belongs to one module, which alone looks it up; what another
 * module needs from that part of the page it asks for through the owner's functions.
 *
 * @param {string} id
 * @returns {HTMLElement}
 */
export const $ = (id) => document.getElementById(id);

/** Whether the person asked for less motion (scrolls then jump rather than glide). */
export const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * An element; string children become text nodes (never HTML).
 *
 * @param {string} tag
 * @param {object} [props] Attributes, plus `class`, `text`, `dataset` and `on<event>` listeners; `undefined`, `null` and `false` are left out.
 * @param {Array<Node|string|undefined|null|false>|Node|string} [children]
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  setProps(node, props);
  appendAll(node, children);
  return node;
}

/**
 * An SVG element, with the props and children of {@link h}.
 *
 * @param {string} tag
 * @param {object} [props]
 * @param {Array<Node|string|undefined|null|false>|Node|string} [children]
 * @returns {SVGElement}
 */
export function s(tag, props = {}, children = []) {
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

/**
 * Appends children to `node`, skipping `undefined`, `null` and `false`; strings become text nodes.
 *
 * @param {Node} node
 * @param {Array<Node|string|undefined|null|false>|Node|string} children
 */
export function appendAll(node, children) {
  for (const child of [].concat(children)) if (child !== undefined && child !== null && child !== false) node.append(child);
}
