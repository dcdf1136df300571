/**
 * Amazon EventBridge event-pattern matching for the local event bus.
 *
 * Follows the EventBridge user guide ("Event patterns", "Comparison operators
 * for use in event patterns") and the behaviour of aws/event-ruler, the
 * library EventBridge uses:
 *
 * - fields of a pattern are ANDed; nested objects match nested objects;
 * - a leaf is an array of alternatives, any of which may match (OR);
 * - when the event value is an array, the pattern matches if any element
 *   matches; arrays of objects are matched element by element, so fields
 *   matched together come from the same element;
 * - comparison operators: prefix, suffix, equals-ignore-case, wildcard,
 *   anything-but, numeric, exists, cidr, and `$or` at any object level.
 *
 * Call {@link assertValidPattern} once when a rule is registered;
 * {@link matchesPattern} does not re-validate and treats malformed parts of a
 * pattern as never matching.
 *
 * @module
 */
import { BlockList, isIP } from 'node:net';

/** An EventBridge event pattern, as parsed from its JSON form. */
export type EventPattern = Record<string, unknown>;

type JsonObject = Record<string, unknown>;

/** A JSON scalar found at a leaf of an event. */
type Leaf = string | number | boolean | null;

/** Tests one leaf value of an event. */
type LeafTest = (leaf: Leaf) => boolean;

type IpFamily = 'ipv4' | 'ipv6';

interface CidrBlock {
  readonly address: string;
  readonly prefixLength: number;
  readonly family: IpFamily;
}

type Comparator = (value: number, bound: number) => boolean;

const OR_KEY = '$or';

const COMPARATORS: Readonly<Record<string, Comparator>> = {
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '=': (value, bound) => value === bound,
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};

const IGNORE_CASE = 'equals-ignore-case';

const never: LeafTest = () => false;

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

/**
 * Tells whether an event matches an EventBridge event pattern.
 *
 * @param pattern - A valid event pattern (see {@link assertValidPattern}).
 * @param event - A full EventBridge event: `version`, `id`, `detail-type`,
 *   `source`, `account`, `time`, `region`, `resources` and `detail`.
 * @returns `true` when every field of the pattern matches the event.
 *
 * @example
 * ```ts
 * matchesPattern(
 *   { source: [{ prefix: 'centli.' }], 'detail-type': ['BALANCE_QUERY'] },
 *   { source: 'centli.assistant', 'detail-type': 'BALANCE_QUERY', detail: {} },
 * ); // true
 * ```
 */
export function matchesPattern(pattern: EventPattern, event: Record<string, unknown>): boolean {
  return matchesObject(pattern, event);
}

/** A nested pattern matches if any object found at that point of the event matches all its fields. */
function matchesObject(pattern: JsonObject, eventValue: unknown): boolean {
  return objectsAt(eventValue).some((candidate) => matchesFields(pattern, candidate));
}

function matchesFields(pattern: JsonObject, eventObject: JsonObject): boolean {
  return Object.entries(pattern).every(([key, spec]) =>
    key === OR_KEY && Array.isArray(spec)
      ? matchesAnyBranch(spec, eventObject)
      : matchesField(spec, fieldOf(eventObject, key)),
  );
}

/** `$or`: any branch matches, evaluated at the same object level as its siblings. */
function matchesAnyBranch(branches: readonly unknown[], eventObject: JsonObject): boolean {
  return branches.some((branch) => isJsonObject(branch) && matchesFields(branch, eventObject));
}

function matchesField(spec: unknown, eventValue: unknown): boolean {
  if (Array.isArray(spec)) return matchesLeaf(spec, leavesAt(eventValue));
  if (isJsonObject(spec)) return matchesObject(spec, eventValue);
  return false;
}

function matchesLeaf(alternatives: readonly unknown[], leaves: readonly Leaf[]): boolean {
  return alternatives.some((alternative) => matchesAlternative(alternative, leaves));
}

function matchesAlternative(alternative: unknown, leaves: readonly Leaf[]): boolean {
  if (!isJsonObject(alternative)) return leaves.some((leaf) => leaf === alternative);
  const exists = existsOperand(alternative);
  if (exists !== undefined) return exists === (leaves.length > 0);
  return leaves.some(operatorTest(alternative));
}

/** The boolean of an `{ "exists": … }` operator, or `undefined` for any other operator. */
function existsOperand(operator: JsonObject): boolean | undefined {
  const [name, operand] = singleEntry(operator) ?? [];
  return name === 'exists' && typeof operand === 'boolean' ? operand : undefined;
}

/** Builds the test for a comparison operator such as `{ "prefix": "us-" }`. */
function operatorTest(operator: JsonObject): LeafTest {
  const entry = singleEntry(operator);
  if (!entry) return never;
  const [name, operand] = entry;
  switch (name) {
    case 'prefix':
      return affixTest(operand, (value, affix) => value.startsWith(affix));
    case 'suffix':
      return affixTest(operand, (value, affix) => value.endsWith(affix));
    case IGNORE_CASE:
      return typeof operand === 'string' ? stringTest((value) => equalsIgnoreCase(value, operand)) : never;
    case 'wildcard':
      return typeof operand === 'string' ? wildcardTest(operand) : never;
    case 'numeric':
      return numericTest(operand);
    case 'cidr':
      return cidrTest(operand);
    case 'anything-but':
      return anythingButTest(operand);
    default:
      return never;
  }
}

/** `prefix`/`suffix` with a string, or with `{ "equals-ignore-case": string }`. */
function affixTest(operand: unknown, hasAffix: (value: string, affix: string) => boolean): LeafTest {
  if (typeof operand === 'string') return stringTest((value) => hasAffix(value, operand));
  const ignoreCase = ignoreCaseOperand(operand);
  if (typeof ignoreCase !== 'string') return never;
  return stringTest((value) => hasAffix(value.toLowerCase(), ignoreCase.toLowerCase()));
}

/** Anything-but matches any leaf present in the event that the excluded values do not match. */
function anythingButTest(operand: unknown): LeafTest {
  const excluded = exclusionTest(operand);
  return excluded ? (leaf) => !excluded(leaf) : never;
}

function exclusionTest(operand: unknown): LeafTest | undefined {
  if (typeof operand === 'string' || typeof operand === 'number') return (leaf) => leaf === operand;
  if (Array.isArray(operand)) return (leaf) => operand.includes(leaf);
  if (!isJsonObject(operand)) return undefined;
  const [name, value] = singleEntry(operand) ?? [];
  switch (name) {
    case 'prefix':
    case 'suffix':
      return operatorTest(operand);
    case IGNORE_CASE:
      return anyOf(stringsOf(value), (text) => stringTest((leaf) => equalsIgnoreCase(leaf, text)));
    case 'wildcard':
      return anyOf(stringsOf(value), wildcardTest);
    default:
      return undefined;
  }
}

function numericTest(operand: unknown): LeafTest {
  const conditions = numericConditions(operand);
  if (!conditions) return never;
  return (leaf) =>
    typeof leaf === 'number' && conditions.every(([compare, bound]) => compare(leaf, bound));
}

function cidrTest(operand: unknown): LeafTest {
  const block = typeof operand === 'string' ? parseCidr(operand) : undefined;
  if (!block) return never;
  const range = new BlockList();
  range.addSubnet(block.address, block.prefixLength, block.family);
  return stringTest((value) => ipFamily(value) === block.family && range.check(value, block.family));
}

function wildcardTest(pattern: string): LeafTest {
  const expression = wildcardToRegExp(pattern);
  return stringTest((value) => expression.test(value));
}

/** `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash. */
function wildcardToRegExp(pattern: string): RegExp {
  const source = wildcardTokens(pattern)
    .map((token) => (token === '*' ? '[\\s\\S]*' : escapeRegExp(unescapeWildcardToken(token))))
    .join('');
  return new RegExp(`^${source}$`);
}

// ---------------------------------------------------------------------------
// Reading the event
// ---------------------------------------------------------------------------

/** The event's own field (never an inherited property such as `constructor`). */
function fieldOf(eventObject: JsonObject, key: string): unknown {
  return Object.hasOwn(eventObject, key) ? eventObject[key] : undefined;
}

/** The scalar values at a point of the event, looking through arrays. Objects are not leaves. */
function leavesAt(eventValue: unknown): Leaf[] {
  return flattenArrays(eventValue).filter(isLeaf);
}

/**
 * The objects at a point of the event, looking through arrays. Where there are
 * none, an empty object stands in so that nested `exists: false` still matches.
 */
function objectsAt(eventValue: unknown): JsonObject[] {
  const objects = flattenArrays(eventValue).filter(isJsonObject);
  return objects.length > 0 ? objects : [{}];
}

function flattenArrays(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.flatMap(flattenArrays) : [value];
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/**
 * Checks that a pattern is a valid EventBridge event pattern.
 *
 * @param pattern - The pattern to check, as parsed from JSON.
 * @throws Error naming the offending path (for example `detail.state[0]`) when
 *   the pattern is empty, a leaf is not a non-empty array, a match value is not
 *   a string, number, boolean, null or operator object, an operator is unknown
 *   or has a malformed operand, or `$or` is not an array of at least two objects.
 */
export function assertValidPattern(pattern: EventPattern): void {
  if (!isJsonObject(pattern)) fail('', 'the pattern must be a JSON object');
  validateObject(pattern, '');
}

function validateObject(node: JsonObject, path: string): void {
  const entries = Object.entries(node);
  if (entries.length === 0) fail(path, 'empty objects are not allowed');
  for (const [key, value] of entries) {
    const fieldPath = path ? `${path}.${key}` : key;
    if (key === OR_KEY) validateOr(value, fieldPath);
    else if (Array.isArray(value)) validateLeaf(value, fieldPath);
    else if (isJsonObject(value)) validateObject(value, fieldPath);
    else fail(fieldPath, 'must be an array of match values or a nested object');
  }
}

function validateOr(value: unknown, path: string): void {
  if (!Array.isArray(value) || value.length < 2) fail(path, 'must be an array of at least two objects');
  value.forEach((branch, index) => {
    const branchPath = `${path}[${index}]`;
    if (!isJsonObject(branch)) fail(branchPath, 'each $or branch must be an object');
    validateObject(branch, branchPath);
  });
}

function validateLeaf(values: readonly unknown[], path: string): void {
  if (values.length === 0) fail(path, 'empty arrays are not allowed');
  values.forEach((value, index) => validateMatchValue(value, `${path}[${index}]`));
}

function validateMatchValue(value: unknown, path: string): void {
  if (isJsonObject(value)) return validateOperator(value, path);
  if (typeof value === 'number' && !Number.isFinite(value)) fail(path, 'numbers must be finite');
  if (!isLeaf(value)) fail(path, 'a match value must be a string, number, boolean, null or operator object');
}

function validateOperator(operator: JsonObject, path: string): void {
  const entry = singleEntry(operator);
  if (!entry) fail(path, 'an operator object must have exactly one key');
  const [name, operand] = entry;
  const operandPath = `${path}.${name}`;
  switch (name) {
    case 'prefix':
    case 'suffix':
      return validateAffix(operand, operandPath);
    case IGNORE_CASE:
      return requireString(operand, operandPath);
    case 'wildcard':
      return validateWildcard(operand, operandPath);
    case 'numeric':
      return validateNumeric(operand, operandPath);
    case 'exists':
      if (typeof operand !== 'boolean') fail(operandPath, 'must be true or false');
      return;
    case 'cidr':
      if (typeof operand !== 'string' || !parseCidr(operand)) {
        fail(operandPath, 'must be an IPv4 or IPv6 CIDR block such as "10.0.0.0/24"');
      }
      return;
    case 'anything-but':
      return validateAnythingBut(operand, operandPath);
    default:
      fail(path, `unknown operator "${name}"`);
  }
}

/** `"us-"` or `{ "equals-ignore-case": "us-" }`. */
function validateAffix(operand: unknown, path: string): void {
  if (!isJsonObject(operand)) return requireString(operand, path);
  if (ignoreCaseOperand(operand) === undefined) fail(path, `only { "${IGNORE_CASE}": string } may be nested here`);
  requireString(ignoreCaseOperand(operand), `${path}.${IGNORE_CASE}`);
}

function requireNonEmptyString(value: unknown, path: string): void {
  requireString(value, path);
  if (value === '') fail(path, 'must not be empty');
}

function validateAnythingBut(operand: unknown, path: string): void {
  if (typeof operand === 'string') return;
  if (typeof operand === 'number') return validateMatchValue(operand, path);
  if (Array.isArray(operand)) return validateAnythingButList(operand, path);
  if (!isJsonObject(operand)) fail(path, 'must be a string, a number, a list, or an operator object');
  const entry = singleEntry(operand);
  if (!entry) fail(path, 'an operator object must have exactly one key');
  const [name, value] = entry;
  const operandPath = `${path}.${name}`;
  switch (name) {
    case 'prefix':
    case 'suffix':
      return requireNonEmptyString(value, operandPath);
    case IGNORE_CASE:
      return validateStringOrList(value, operandPath, requireString);
    case 'wildcard':
      return validateStringOrList(value, operandPath, validateWildcard);
    default:
      fail(path, `"${name}" cannot be used inside anything-but`);
  }
}

function validateAnythingButList(values: readonly unknown[], path: string): void {
  if (values.length === 0) fail(path, 'empty arrays are not allowed');
  const allStrings = values.every((value) => typeof value === 'string');
  const allNumbers = values.every((value) => typeof value === 'number' && Number.isFinite(value));
  if (!allStrings && !allNumbers) fail(path, 'a list must hold only strings or only numbers');
}

function validateStringOrList(
  value: unknown,
  path: string,
  validateOne: (item: unknown, itemPath: string) => void,
): void {
  if (!Array.isArray(value)) return validateOne(value, path);
  if (value.length === 0) fail(path, 'empty arrays are not allowed');
  value.forEach((item, index) => validateOne(item, `${path}[${index}]`));
}

function validateWildcard(operand: unknown, path: string): void {
  requireString(operand, path);
  const problem = wildcardProblem(operand);
  if (problem) fail(path, problem);
}

function validateNumeric(operand: unknown, path: string): void {
  if (!numericConditions(operand)) {
    fail(path, 'must be a non-empty list of operator/number pairs, e.g. [">", 0, "<=", 5]');
  }
}

function requireString(value: unknown, path: string): asserts value is string {
  if (typeof value !== 'string') fail(path, 'must be a string');
}

function fail(path: string, reason: string): never {
  throw new Error(`Invalid event pattern at "${path || '<root>'}": ${reason}`);
}

// ---------------------------------------------------------------------------
// Operand parsing shared by matching and validation
// ---------------------------------------------------------------------------

/** `[">", 0, "<=", 5]` as comparator/bound pairs, or `undefined` when malformed. */
function numericConditions(operand: unknown): Array<[Comparator, number]> | undefined {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) return undefined;
  const conditions: Array<[Comparator, number]> = [];
  for (let index = 0; index < operand.length; index += 2) {
    const symbol: unknown = operand[index];
    const bound: unknown = operand[index + 1];
    const compare = typeof symbol === 'string' && Object.hasOwn(COMPARATORS, symbol) ? COMPARATORS[symbol] : undefined;
    if (!compare || typeof bound !== 'number' || !Number.isFinite(bound)) return undefined;
    conditions.push([compare, bound]);
  }
  return conditions;
}

/** `"10.0.0.0/24"` or `"2001:db8::/32"`, or `undefined` when malformed. */
function parseCidr(cidr: string): CidrBlock | undefined {
  const [address = '', prefixLength = '', ...rest] = cidr.split('/');
  const family = ipFamily(address);
  if (!family || rest.length > 0 || !/^\d{1,3}$/.test(prefixLength)) return undefined;
  const bits = Number(prefixLength);
  return bits <= (family === 'ipv4' ? 32 : 128) ? { address, prefixLength: bits, family } : undefined;
}

/** Why a wildcard pattern is invalid, or `undefined` when it is valid. */
function wildcardProblem(pattern: string): string | undefined {
  const tokens = wildcardTokens(pattern);
  if (tokens.some((token) => token.startsWith('\\') && token !== '\\*' && token !== '\\\\')) {
    return 'a backslash may only escape "*" or "\\"';
  }
  if (tokens.some((token, index) => token === '*' && tokens[index + 1] === '*')) {
    return 'consecutive wildcard characters are not allowed';
  }
  return undefined;
}

/** Splits a wildcard pattern into `*`, escape sequences (`\x`) and runs of literal text. */
function wildcardTokens(pattern: string): string[] {
  return pattern.match(/\\[\s\S]?|\*|[^\\*]+/g) ?? [];
}

/** The literal text of a token: `\*` is `*`, `\\` is `\`, a trailing lone `\` stays a backslash. */
function unescapeWildcardToken(token: string): string {
  return token.length === 2 && token.startsWith('\\') ? token.slice(1) : token;
}

/** The string of `{ "equals-ignore-case": string }`, or `undefined` for anything else. */
function ignoreCaseOperand(operand: unknown): unknown {
  if (!isJsonObject(operand)) return undefined;
  const [name, value] = singleEntry(operand) ?? [];
  return name === IGNORE_CASE ? value : undefined;
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function singleEntry(object: JsonObject): [string, unknown] | undefined {
  const entries = Object.entries(object);
  return entries.length === 1 ? entries[0] : undefined;
}

function stringTest(test: (value: string) => boolean): LeafTest {
  return (leaf) => typeof leaf === 'string' && test(leaf);
}

/** Matches when any of the strings' tests matches; `undefined` when the strings are malformed. */
function anyOf(strings: string[] | undefined, toTest: (text: string) => LeafTest): LeafTest | undefined {
  if (!strings) return undefined;
  const tests = strings.map(toTest);
  return (leaf) => tests.some((test) => test(leaf));
}

/** A string, or a list of strings, as a list; `undefined` for anything else. */
function stringsOf(value: unknown): string[] | undefined {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.every((item): item is string => typeof item === 'string') ? list : undefined;
}

function equalsIgnoreCase(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase();
}

function ipFamily(value: string): IpFamily | undefined {
  const version = isIP(value);
  if (version === 4) return 'ipv4';
  if (version === 6) return 'ipv6';
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLeaf(value: unknown): value is Leaf {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
