/**
 * The browser tests' accessibility check: axe-core run in the page as it is, reporting what a
 * person with a screen reader, a keyboard or low vision would trip on.
 *
 * axe's source goes in with `page.evaluate`, not `page.addScriptTag`: the chat page's
 * Content-Security-Policy (`script-src 'self'`) refuses an inline `<script>`, and the local
 * issuer's allows no script at all. What Playwright evaluates arrives through the DevTools
 * protocol, outside the page's own script loading, so no policy applies to it and the page runs
 * under the same policy it ships with. (`addInitScript` would get past it too, but only for
 * documents loaded after it is added, on every page of the test.)
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** The impacts that fail a test; `minor` and `moderate` are left to review. */
const FAILING = new Set(['serious', 'critical']);

/** The page's global scope, as far as the checks below use it (the tests compile without the DOM's types). */
interface PageScope {
  axe: typeof axe;
  document: { getAnimations(): Array<{ effect: { getTiming(): { iterations?: number } } | null; finished: Promise<unknown> }> };
}

/**
 * The violations of impact serious or critical on the page as it is now, one line each: the
 * rule, its impact, what it asks for and the CSS selectors of every offending node.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  // A message or event still fading in would be judged at part of its opacity: let finite
  // animations end first (spinners and live dots run forever and are not waited for).
  await page.evaluate(async () => {
    const { document } = globalThis as unknown as PageScope;
    await Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined)));
  });
  // The whole document; only violations are reported in full, the passes are not needed.
  const results = await page.evaluate(() => (globalThis as unknown as PageScope).axe.run({ resultTypes: ['violations'] }));
  return results.violations
    .filter((violation) => FAILING.has(violation.impact ?? ''))
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}; ${violation.nodes.map((node) => node.target.join(' >>> ')).join(', ')}`);
}
