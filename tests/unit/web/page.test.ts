/**
 * The chat page's files as the browser gets them (web/chat/): a strict Content-Security-Policy,
 * no inline script or handler, no HTML built from strings, every element the page's modules look
 * up present in index.html and owned by one module, every word they show translated, and every
 * module they load present. The approval page beside it (approve.html) is held to the same.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { vendorFiles } from '../../../local/chat-page';
import { REPOSITORY_ROOT } from '../../../local/serverless-config';
import { MESSAGES } from '../../../web/chat/i18n.js';

const DIR = join(REPOSITORY_ROOT, 'web', 'chat');
const html = readFileSync(join(DIR, 'index.html'), 'utf8');
const approvalHtml = readFileSync(join(DIR, 'approve.html'), 'utf8');
const scripts = readdirSync(DIR).filter((f) => f.endsWith('.js'));
/** The approval page's own stylesheet and browser module; it reuses the chat's others. */
const APPROVAL_STYLESHEETS = ['approve.css'];
const APPROVAL_MODULES = ['approve.js'];
const stylesheets = readdirSync(DIR).filter((f) => f.endsWith('.css') && !APPROVAL_STYLESHEETS.includes(f));
const source = (file: string) => readFileSync(join(DIR, file), 'utf8');
/** The modules that use the browser (the DOM, the socket, fetch); every other one is pure, and unit-tested. */
const BROWSER_MODULES = ['app.js', 'connection.js', 'conversation.js', 'dom.js', 'events-panel.js', 'http.js', 'saga-drawing.js', 'saga-panel.js', 'screens.js', 'sign-in.js'];
/** Each element id a module looks up with `$('…')`, by module. */
const lookups = new Map(BROWSER_MODULES.map((file) => [file, [...source(file).matchAll(/\$\('([\w-]+)'\)/g)].map((m) => m[1]!)]));

describe('web/chat/index.html', () => {
  const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  it('sets a strict Content-Security-Policy', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'ws:', 'http:']));
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('has no inline script, style or event handler', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style[\s>]/);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).toContain('<script type="module" src="app.js"></script>');
  });

  it('loads nothing from another origin', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const file of scripts) expect(source(file)).not.toMatch(/from\s+['"](https?:)?\/\//);
    for (const file of stylesheets) expect(source(file)).not.toMatch(/url\(\s*['"]?(https?:)?\/\/|@import/);
  });

  it('links every stylesheet of the page, base.css first (the others use its variables)', () => {
    const linked = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)" \/>/g)].map((m) => m[1]!);
    expect(linked[0]).toBe('base.css');
    expect([...linked].sort()).toEqual([...stylesheets].sort());
  });

  it('has every element the page’s modules look up', () => {
    const ids = [...lookups.values()].flat();
    expect(ids.length).toBeGreaterThan(40);
    for (const id of new Set(ids)) expect(html).toContain(`id="${id}"`);
  });

  it('gives each element to one module: no module reaches into another’s part of the page', () => {
    const owners = new Map<string, string[]>();
    for (const [file, ids] of lookups) for (const id of new Set(ids)) owners.set(id, [...(owners.get(id) ?? []), file]);
    const shared = [...owners].filter(([, files]) => files.length > 1).map(([id, files]) => `${id}: ${files.join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('has every word it shows in both languages', () => {
    const keys = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([\w.]+)"/g)].map((m) => m[1]!);
    const used = scripts.flatMap((file) => [...source(file).matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!));
    for (const key of [...keys, ...used]) {
      expect(MESSAGES.es).toHaveProperty([key]);
      expect(MESSAGES.en).toHaveProperty([key]);
    }
  });
});

describe('web/chat/approve.html', () => {
  const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(approvalHtml)?.[1] ?? '';
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
  const ids = [...source('approve.js').matchAll(/\$\(['`]([\w-]+)(?:\$\{[^}]+\})?([\w-]*)['`]\)/g)].map((m) => `${m[1]}${m[2]}`);

  it('sets a strict Content-Security-Policy', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('has no inline script, style or event handler, and runs approve.js', () => {
    expect(approvalHtml).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(approvalHtml).not.toMatch(/<style[\s>]/);
    expect(approvalHtml).not.toMatch(/\son[a-z]+\s*=/i);
    expect(approvalHtml).not.toMatch(/\sstyle\s*=/i);
    expect(approvalHtml).toContain('<script type="module" src="approve.js"></script>');
  });

  it('links base.css first and only stylesheets that exist', () => {
    const linked = [...approvalHtml.matchAll(/<link rel="stylesheet" href="([^"]+)" \/>/g)].map((m) => m[1]!);
    expect(linked[0]).toBe('base.css');
    for (const sheet of linked) expect(existsSync(join(DIR, sheet))).toBe(true);
  });

  it('has every element approve.js looks up', () => {
    expect(ids.length).toBeGreaterThan(20);
    for (const id of new Set(ids.filter((i) => !i.endsWith('-')))) expect(approvalHtml).toContain(`id="${id}"`);
    for (const screen of ['loading', 'login', 'approval', 'refused']) expect(approvalHtml).toContain(`id="approval-screen-${screen}"`);
  });

  it('has every word it shows in both languages', () => {
    const keys = [...approvalHtml.matchAll(/data-i18n(?:-[a-z-]+)?="([\w.]+)"/g)].map((m) => m[1]!);
    const used = [...source('approve.js').matchAll(/'(approval\.[\w.]+)'/g)].map((m) => m[1]!);
    const states = ['pending', 'approved', 'declined', 'used', 'expired'].map((state) => `approval.state.${state}`);
    for (const key of [...keys, ...used, ...states]) {
      expect(MESSAGES.es).toHaveProperty([key]);
      expect(MESSAGES.en).toHaveProperty([key]);
    }
  });
});

describe('web/chat scripts', () => {
  it.each(scripts)('%s builds no HTML from strings', (file) => {
    expect(source(file)).not.toMatch(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
  });

  it.each(scripts)('%s imports only modules that exist, beside it or vendored (local/chat-page.ts)', (file) => {
    for (const [, path] of source(file).matchAll(/from\s+'\.\/([^']+)'/g)) expect(existsSync(join(DIR, path!)) || vendorFiles().some((vendored) => vendored.key === path)).toBe(true);
  });

  it('keeps the pure modules free of the DOM', () => {
    const pure = scripts.filter((f) => !BROWSER_MODULES.includes(f) && !APPROVAL_MODULES.includes(f));
    expect(pure).toEqual(expect.arrayContaining(['approval.js', 'config.js', 'format.js', 'i18n.js', 'oauth.js', 'protocol.js', 'saga-graph.js']));
    for (const file of pure) expect(source(file)).not.toMatch(/\b(document|window|WebSocket|fetch)\b[.(]/);
  });

  it('lists only modules that exist as the ones that use the browser', () => {
    expect(scripts).toEqual(expect.arrayContaining(BROWSER_MODULES));
  });
});
