/**
 * The chat page's files as the browser gets them (web/chat/): a strict Content-Security-Policy,
 * no inline script or handler, no HTML built from strings, every element app.js looks up present
 * in index.html, every word it shows translated, and every module it loads present.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../../local/serverless-config';
import { MESSAGES } from '../../../web/chat/i18n.js';

const DIR = join(REPOSITORY_ROOT, 'web', 'chat');
const html = readFileSync(join(DIR, 'index.html'), 'utf8');
const scripts = readdirSync(DIR).filter((f) => f.endsWith('.js'));
const source = (file: string) => readFileSync(join(DIR, file), 'utf8');
const app = source('app.js');

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
  });

  it('has every element app.js looks up', () => {
    const ids = [...app.matchAll(/\$\('([\w-]+)'\)/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(40);
    for (const id of new Set(ids)) expect(html).toContain(`id="${id}"`);
  });

  it('has every word it shows in both languages', () => {
    const keys = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([\w.]+)"/g)].map((m) => m[1]!);
    const used = [...app.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!);
    for (const key of [...keys, ...used]) {
      expect(MESSAGES.es).toHaveProperty([key]);
      expect(MESSAGES.en).toHaveProperty([key]);
    }
  });
});

describe('web/chat scripts', () => {
  it.each(scripts)('%s builds no HTML from strings', (file) => {
    expect(source(file)).not.toMatch(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
  });

  it.each(scripts)('%s imports only modules that exist', (file) => {
    for (const [, path] of source(file).matchAll(/from\s+'(\.\/[^']+)'/g)) expect(existsSync(join(DIR, path!))).toBe(true);
  });

  it('keeps the pure modules free of the DOM', () => {
    for (const file of scripts.filter((f) => f !== 'app.js')) expect(source(file)).not.toMatch(/\b(document|window|WebSocket|fetch)\b[.(]/);
  });
});
