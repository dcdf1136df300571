/**
 * Resolves Serverless Framework variables in a parsed serverless.yml, offline, for one stage:
 * `${sls:stage}`, `${opt:stage, 'dev'}`, `${opt:region, 'us-east-1'}`, `${self:custom.a.b}`,
 * `${param:name}`, `${env:NAME, 'fallback'}`, `${aws:region}` / `${aws:accountId}`,
 * `${file(../../serverless.common.yml):bus.name}` (a YAML or JSON file, relative to the
 * serverless.yml), fallbacks (`${a, b, 'literal'}`) and variables nested in addresses
 * (`${self:custom.${sls:stage}}`).
 *
 * A string that is one variable and nothing else takes the variable's value with its type (an
 * object, a boolean); variables embedded in longer strings are interpolated. `${...}` that is not
 * a Serverless variable (`${AWS::Region}`, `${EventBus.Arn}` in a `Fn::Sub`) is left untouched.
 * What a file holds is resolved as osls resolves it: its variables in the context of the including
 * serverless.yml (`${sls:stage}` is that service's stage), its CloudFormation short-form tags read
 * as their long form. Sources that need AWS (`ssm`, `cf`, `s3`, ...) and JavaScript files (which
 * osls runs) are not read: they resolve only through a fallback.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve as resolvePath } from 'node:path';
import { parseCloudFormationYaml } from './cloudformation-yaml';

/** What the variables of one deployment resolve against. */
export interface VariableContext {
  /** The stage: `${sls:stage}` and `${opt:stage}`. */
  stage: string;
  /** `--region`, when given: `${opt:region}`. */
  region?: string | undefined;
  /** Other command-line options: `${opt:<name>}`. */
  options?: Readonly<Record<string, string | boolean>> | undefined;
  /** `--param` values; they win over the file's `params` block. */
  params?: Readonly<Record<string, string>> | undefined;
  /** The environment read by `${env:...}`; `process.env` when absent. */
  env?: NodeJS.ProcessEnv | undefined;
  /** The directory of the serverless.yml, which `${file(path)}` is relative to; the working directory when absent. */
  serviceDir?: string | undefined;
}

type Candidate =
  | { kind: 'literal'; value: unknown }
  | { kind: 'template'; text: string }
  | { kind: 'source'; type: string; param: string | undefined; address: string };

interface VariableToken {
  /** The variable as written, `${...}`. */
  text: string;
  start: number;
  end: number;
  /** The variable, then its fallbacks, in order. */
  candidates: Candidate[];
}

const SOURCE = /^([A-Za-z][\w-]*)(?:\(([^)]*)\))?(?::(.*))?$/s;
// `source:` but not `AWS::` (a CloudFormation pseudo parameter), or `source(param)`.
const VARIABLE_START = /^(?:\$\{|[A-Za-z][\w-]*(?:\([^)]*\)|:(?!:)))/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const OFFLINE_ACCOUNT_ID = '000000000000';

/** Resolves the Serverless variables of one parsed serverless.yml. */
export class VariableResolver {
  private readonly resolving = new Set<string>();
  private readonly instanceId = randomUUID();
  /** Files read by `${file(...)}`, parsed once: absolute path → content (`undefined` when missing). */
  private readonly files = new Map<string, unknown>();

  /**
   * @param document - The parsed serverless.yml (variables unresolved).
   * @param context - The stage, options, params and environment to resolve against.
   */
  constructor(
    private readonly document: Record<string, unknown>,
    private readonly context: VariableContext,
  ) {}

  /**
   * Resolves the node at a dotted path of the document, and everything under it.
   *
   * @param path - `provider.environment`, or its segments; `''` for the whole document.
   * @returns The resolved node, or `undefined` when the path does not exist.
   * @throws Error naming the path and the variable when a variable cannot be resolved or
   *   references itself.
   */
  resolveAt(path: string | readonly string[]): unknown {
    const segments = typeof path === 'string' ? splitPath(path) : [...path];
    const key = segments.join('.');
    if (this.resolving.has(key)) throw new Error(`circular variable reference through \${self:${key}}`);
    this.resolving.add(key);
    try {
      let node: unknown = this.document;
      for (let index = 0; index < segments.length; index++) {
        if (typeof node === 'string') node = this.resolveValue(node, segments.slice(0, index).join('.'));
        const segment = segments[index] as string;
        if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
        node = (node as Record<string, unknown>)[segment];
      }
      return this.resolveValue(node, key);
    } finally {
      this.resolving.delete(key);
    }
  }

  /**
   * Resolves every variable in a value (recursively through arrays and objects).
   *
   * @param value - A value taken from the document.
   * @param where - The value's path, named in errors.
   */
  resolveValue(value: unknown, where: string): unknown {
    if (typeof value === 'string') return this.resolveString(value, where);
    if (Array.isArray(value)) return value.map((item, index) => this.resolveValue(item, `${where}[${index}]`));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.resolveValue(item, where ? `${where}.${key}` : key)]),
      );
    }
    return value;
  }

  private resolveString(text: string, where: string): unknown {
    const tokens = findVariables(text);
    if (tokens.length === 0) return text;
    const [first] = tokens;
    if (tokens.length === 1 && first && first.start === 0 && first.end === text.length) return this.resolveToken(first, where);
    let result = '';
    let last = 0;
    for (const token of tokens) {
      const value = this.resolveToken(token, where);
      if (value !== null && typeof value === 'object') {
        throw new Error(`${where}: ${token.text} resolves to ${JSON.stringify(value)}, which cannot be embedded in the string "${text}"`);
      }
      result += text.slice(last, token.start) + String(value);
      last = token.end;
    }
    return result + text.slice(last);
  }

  private resolveToken(token: VariableToken, where: string): unknown {
    const reasons: string[] = [];
    for (const candidate of token.candidates) {
      const value = this.resolveCandidate(candidate, where, reasons);
      if (value !== undefined && value !== null) return value;
    }
    const why = reasons.length > 0 ? ` (${reasons.join('; ')})` : '';
    throw new Error(`${where || 'document'}: cannot resolve ${token.text}${why}`);
  }

  private resolveCandidate(candidate: Candidate, where: string, reasons: string[]): unknown {
    switch (candidate.kind) {
      case 'literal':
        return candidate.value;
      case 'template':
        return this.resolveString(candidate.text, where);
      case 'source': {
        const address = this.resolveString(candidate.address, where);
        if (typeof address !== 'string') throw new Error(`${where}: the address of a ${candidate.type} variable must be a string`);
        const param = candidate.param === undefined ? undefined : this.resolveString(candidate.param, where);
        if (param !== undefined && typeof param !== 'string') throw new Error(`${where}: the argument of a ${candidate.type} variable must be a string`);
        const value = candidate.type === 'file' ? this.file(param, address, where) : this.lookup(candidate.type, address);
        if (value === undefined) reasons.push(describeMiss(candidate.type, address, param));
        return value;
      }
    }
  }

  private lookup(type: string, address: string): unknown {
    const { context } = this;
    switch (type) {
      case 'sls':
        if (address === 'stage') return context.stage;
        if (address === 'instanceId') return this.instanceId;
        return undefined;
      case 'opt':
        if (address === 'stage') return context.stage;
        if (address === 'region') return context.region;
        return context.options?.[address];
      case 'self':
        return this.resolveAt(address);
      case 'param':
        return this.param(address);
      case 'env':
        return (context.env ?? process.env)[address];
      case 'aws':
        if (address === 'accountId') return OFFLINE_ACCOUNT_ID;
        if (address === 'region') return context.region ?? this.resolveAt('provider.region') ?? 'us-east-1';
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * `${file(path):address}`: the value at the dotted address of a YAML or JSON file (the whole
   * file without an address), its variables resolved here. `undefined` when the file, or the
   * address in it, does not exist, so that a fallback applies, as in osls.
   */
  private file(path: string | undefined, address: string, where: string): unknown {
    if (path === undefined || path === '') throw new Error(`${where}: a file variable needs a path, \${file(path):address}`);
    const absolute = resolvePath(this.context.serviceDir ?? process.cwd(), path);
    const key = `file(${absolute}):${address}`;
    if (this.resolving.has(key)) throw new Error(`circular variable reference through \${${key}}`);
    let node = this.readFile(absolute);
    this.resolving.add(key);
    try {
      for (const segment of splitPath(address)) {
        if (typeof node === 'string') node = this.resolveValue(node, `${path}:${address}`);
        if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
        node = (node as Record<string, unknown>)[segment];
      }
      return node === null ? undefined : this.resolveValue(node, `${path}:${address}`);
    } finally {
      this.resolving.delete(key);
    }
  }

  private readFile(absolute: string): unknown {
    if (this.files.has(absolute)) return this.files.get(absolute);
    let content: unknown;
    if (existsSync(absolute)) {
      const extension = extname(absolute).toLowerCase();
      const text = () => readFileSync(absolute, 'utf8');
      if (extension === '.yml' || extension === '.yaml') content = parseCloudFormationYaml(text(), absolute);
      else if (extension === '.json') content = JSON.parse(text()) as unknown;
      // osls runs a JS file's export; the local stack reads data only (see the module comment).
      else if (extension !== '.js' && extension !== '.cjs') content = text();
    }
    this.files.set(absolute, content);
    return content;
  }

  private param(name: string): unknown {
    const fromCli = this.context.params?.[name];
    if (fromCli !== undefined) return fromCli;
    const params = this.document.params;
    if (params === null || typeof params !== 'object') return undefined;
    for (const scope of [this.context.stage, 'default']) {
      const block = (params as Record<string, unknown>)[scope];
      if (block !== null && typeof block === 'object' && Object.hasOwn(block, name)) return this.resolveAt(['params', scope, name]);
    }
    return undefined;
  }
}

function describeMiss(type: string, address: string, param?: string): string {
  switch (type) {
    case 'file': {
      const where = `${param ?? ''}${address ? `:${address}` : ''}`;
      return /\.c?js$/i.test(param ?? '') ? `file(${param}) is JavaScript, which is not run offline` : `file(${where}) is not set`;
    }
    case 'sls':
    case 'opt':
    case 'self':
    case 'param':
    case 'env':
    case 'aws':
      return `${type}:${address} is not set`;
    default:
      return `the ${type} source is not available offline`;
  }
}

function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

/** Finds the Serverless variables of a string, outermost first, left to right. */
function findVariables(text: string): VariableToken[] {
  const tokens: VariableToken[] = [];
  let from = 0;
  for (let start = text.indexOf('${', from); start >= 0; start = text.indexOf('${', from)) {
    const close = closingBrace(text, start);
    if (close < 0) break;
    const parts = splitTopLevel(text.slice(start + 2, close)).map((part) => part.trim());
    if (VARIABLE_START.test(parts[0] ?? '')) {
      tokens.push({ text: text.slice(start, close + 1), start, end: close + 1, candidates: parts.map(parseCandidate) });
      from = close + 1;
    } else {
      from = start + 2;
    }
  }
  return tokens;
}

/** Index of the `}` closing the `${` at `start`, or -1. Quoted fallbacks may hold braces. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === '$' && text[index + 1] === '{') {
      depth++;
      index++;
    } else if (char === '}') {
      depth--;
      if (depth === 0) return index;
    } else if ((char === "'" || char === '"') && depth === 1 && /,\s*$/.test(text.slice(start, index))) {
      const end = text.indexOf(char, index + 1);
      if (end < 0) return -1;
      index = end;
    }
  }
  return -1;
}

/** Splits a variable's body at the commas that separate it from its fallbacks. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index] as string;
    if (char === '$' && body[index + 1] === '{') {
      depth++;
      current += '${';
      index++;
      continue;
    }
    if (char === '}') depth--;
    if ((char === "'" || char === '"') && depth === 0 && current.trim() === '') {
      const end = body.indexOf(char, index + 1);
      const stop = end < 0 ? body.length - 1 : end;
      current += body.slice(index, stop + 1);
      index = stop;
      continue;
    }
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

function parseCandidate(part: string): Candidate {
  const quote = part[0];
  if ((quote === "'" || quote === '"') && part.length >= 2 && part.endsWith(quote)) return { kind: 'literal', value: part.slice(1, -1) };
  if (part.startsWith('${') && closingBrace(part, 0) === part.length - 1) return { kind: 'template', text: part };
  if (NUMBER.test(part)) return { kind: 'literal', value: Number(part) };
  if (part === 'true' || part === 'false') return { kind: 'literal', value: part === 'true' };
  const source = SOURCE.exec(part);
  if (source && (source[2] !== undefined || source[3] !== undefined) && !part.includes('::')) {
    return { kind: 'source', type: source[1] as string, param: source[2], address: source[3] ?? '' };
  }
  // Serverless v2 style bare fallback: `${opt:stage, dev}`.
  return { kind: 'literal', value: part };
}
