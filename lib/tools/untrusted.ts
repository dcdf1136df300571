/**
 * Other people's words in a service's answer, as an agent gets it. The text a door tells quotes
 * them (« », lib/tools/text.ts); the structured answer an MCP client gets beside it marks them:
 * each field that holds words someone other than the customer or Centli wrote is neutralised
 * (@centli/pure/quoted: one line, nothing invisible, no guillemet, bounded; without the quotes,
 * since a JSON string is delimited already) and its JSON Pointer (RFC 6901) is listed under the
 * answer's `_untrusted`, which the answers' schemas declare (common.schema.json
 * `$defs/untrusted`), so the tools' output schemas hold and clients that validate
 * structuredContent accept it. An answer with none of these fields is handed over as it is.
 *
 * What counts, and why, is written once here (docs/decisions.md says the same):
 * - a transaction's description: a payer's concepto, a purchase's product name or legacy text;
 *   who wrote a history's text is never assumed, so every description is marked; and a SPEI
 *   payment's other party, their name and their bank's, as the sending bank gave them;
 * - what a retailer writes: its products' names, brands and descriptions, its promotions'
 *   descriptions and its own name (the marketplace's answers and a purchase's product name).
 * What does not: the customer's own beneficiaries (name and alias, as they typed them, also as a
 * SPEI transfer's beneficiary_name and its receipt's), the SPEI participant's return-reason code
 * (a code of the participant's catalogue, not a person's words; a text still quotes it), their
 * delivery address, and what Centli names (accounts, cards, amounts, ids, dates). Pure.
 */
import { neutralised } from '@centli/pure/quoted';

type Detail = Record<string, unknown>;

/** Per answer detail-type, the fields that hold other people's words, as JSON Pointer templates ('*' for any array index). */
export const OTHERS_WORDS: Readonly<Record<string, readonly string[]>> = {
  TRANSACTIONS_RESPONSE: ['/transactions/*/description', '/transactions/*/counterparty_name', '/transactions/*/counterparty_bank'],
  CATALOG_RESPONSE: ['/products/*/name', '/products/*/brand', '/products/*/description', '/products/*/retailer_name'],
  BENEFITS_RESPONSE: ['/offers/*/product_name', '/offers/*/retailer_name', '/offers/*/promotions/*/description'],
  PURCHASE_CONFIRMED: ['/product_name'],
  PURCHASE_STATUS_RESPONSE: ['/product_name'],
};

/** The answer's detail as an agent gets it: other people's words neutralised and listed under `_untrusted`. */
export function markedForAgent(answer: { detailType: string; detail: Detail }): Detail {
  const templates = OTHERS_WORDS[answer.detailType];
  if (!templates) return answer.detail;
  const detail = structuredClone(answer.detail);
  const pointers: string[] = [];
  for (const template of templates) mark(detail, template.split('/').slice(1), '', pointers);
  return pointers.length > 0 ? { ...detail, _untrusted: pointers } : answer.detail;
}

/** Neutralises the strings `parts` reach under `node`, recording their pointers (`at` is the pointer so far). */
function mark(node: unknown, parts: readonly string[], at: string, pointers: string[]): void {
  const [part, ...rest] = parts;
  if (part === undefined || node === null || typeof node !== 'object') return;
  const keys = part === '*' ? (Array.isArray(node) ? node.map((_, index) => String(index)) : []) : Object.hasOwn(node, part) ? [part] : [];
  const container = node as Record<string, unknown>;
  for (const key of keys) {
    const pointer = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (rest.length > 0) mark(container[key], rest, pointer, pointers);
    else if (typeof container[key] === 'string') {
      container[key] = neutralised(container[key]);
      pointers.push(pointer);
    }
  }
}
