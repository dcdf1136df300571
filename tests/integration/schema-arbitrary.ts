/**
 * fast-check arbitraries derived from Centli's JSON Schemas: anything a schema accepts, with
 * the edge values where handlers break (bounds, leap seconds and far years, huge and tiny
 * numbers, Unicode and the longest strings a schema allows, or very long ones where it sets no
 * length). Every value produced is checked against the schema itself (ajv, the same registry the
 * handlers use), so a test only ever sends what the contract calls valid.
 */
import fc, { type Arbitrary } from 'fast-check';
import { allSchemas } from '@centli/schemas/registry';

type Schema = Record<string, unknown>;

const byId = new Map<string, Schema>(allSchemas.map((schema) => [String((schema as Schema).$id), schema as Schema]));

function resolve(ref: string, base: string): { schema: Schema; base: string } {
  const target = new URL(ref, base);
  const documentId = `${target.origin}${target.pathname}`;
  let node: unknown = byId.get(documentId);
  if (!node) throw new Error(`no schema ${documentId}`);
  for (const part of target.hash.slice(1).split('/').filter(Boolean)) node = (node as Schema)[decodeURIComponent(part)];
  return { schema: node as Schema, base: documentId };
}

/** Strings people type, and ones that break naive code: accents, emoji, RTL, zero-width, quotes. */
const UNICODE = fc.constantFrom('Ñandú', 'mamá 👩‍👧', 'שלום', 'Zoë\u200bx', '"); DROP TABLE --', '💸💸💸', 'ẞtraße', '\u0000', '  ');

function stringArbitrary(schema: Schema): Arbitrary<string> {
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = schema.maxLength as number | undefined;
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern as string, 'u') : undefined;
  if (schema.format === 'date-time') {
    return fc.oneof(
      { arbitrary: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 1 },
      { arbitrary: fc.constantFrom('2026-12-31T23:59:60Z', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00Z', '2026-02-29T12:00:00Z', '2024-02-29T12:00:00+14:00', '2026-06-01T00:00:00.123456789-12:00'), weight: 2 },
    );
  }
  if (schema.format === 'date') return fc.date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2199-12-31') }).map((d) => d.toISOString().slice(0, 10));
  const longest = max ?? 120_000;
  const fits = (text: string) => text.length >= min && text.length <= longest;
  if (pattern) {
    // What the pattern allows, the longest it allows, and words with letters of every script it lets in.
    return fc.oneof(fc.stringMatching(pattern), fc.stringMatching(pattern).map((text) => text.repeat(Math.ceil(longest / Math.max(text.length, 1))).slice(0, longest)), UNICODE).filter((text) => fits(text) && pattern.test(text));
  }
  return fc.oneof(fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(longest, 40) }), fc.constant('x'.repeat(Math.max(min, 1))), fc.constant('ñ'.repeat(longest)), UNICODE.filter(fits), fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(longest, 64) }));
}

function numberArbitrary(schema: Schema, integer: boolean): Arbitrary<number> {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const edges: number[] = [0, 1, -1, 1e300, -1e300, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 + 2];
  if (min !== undefined) edges.push(min, min + 1);
  if (max !== undefined) edges.push(max, max - 1);
  const inRange = integer
    ? fc.integer({ min: Math.max(min ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER), max: Math.min(max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min: min ?? -1e12, max: max ?? 1e12, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(inRange, fc.constantFrom(...(integer ? edges.filter(Number.isInteger) : [...edges, 1e-300, 0.1])));
}

/** An arbitrary of values the schema describes (before the final ajv check). */
export function arbitraryOf(schema: Schema, base: string, depth = 0): Arbitrary<unknown> {
  if (depth > 12) return fc.constant(null);
  if (typeof schema.$ref === 'string') {
    const target = resolve(schema.$ref, base);
    return arbitraryOf({ ...target.schema, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref')) }, target.base, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const merged = (schema.allOf as Schema[]).reduce<Schema>((all, part) => ({ ...all, ...(typeof part.$ref === 'string' ? resolve(part.$ref, base).schema : part) }), { ...schema, allOf: undefined });
    delete merged.allOf;
    return arbitraryOf(merged, base, depth + 1);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) return fc.oneof(...(schema[key] as Schema[]).map((sub) => arbitraryOf(sub, base, depth + 1)));
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryOf((schema.items ?? {}) as Schema, base, depth + 1), { minLength: (schema.minItems as number | undefined) ?? 0, maxLength: Math.min((schema.maxItems as number | undefined) ?? 4, 4) });
    case 'object':
    default: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const record: Record<string, Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(properties)) record[name] = arbitraryOf(sub, base, depth + 1);
      return fc.record(record, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
    }
  }
}
