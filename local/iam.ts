/**
 * The functions' IAM roles, as far as they shape what happens between the local stack's parts:
 * which detail-types and sources a function may put on the bus (`events:PutEvents` and its
 * conditions on `events:source` and `events:detail-type`) and which functions it may invoke
 * (`lambda:InvokeFunction` and its resources). The statements are the ones each serverless.yml
 * gives the function (`iamRoleStatements`, resolved as osls resolves them, so the generated wiring
 * they read is what is enforced), evaluated as IAM evaluates them: an explicit Deny wins, then
 * any Allow whose action, resource and conditions all match; nothing else is allowed.
 *
 * Resources are CloudFormation values: plain ARNs (with `*` and `?` wildcards), `Fn::Sub` over the
 * pseudo parameters, `Fn::GetAtt`/`Ref` of an event bus, `Fn::Join` and `Fn::ImportValue` of an
 * export some serverless.yml declares. A value the stack cannot evaluate names nothing here, so it
 * grants nothing (and a Deny on it denies nothing). Conditions support the string operators
 * (`StringEquals`, `StringNotEquals`, `StringLike`, `StringNotLike`, `…IgnoreCase`), with
 * `ForAllValues:`/`ForAnyValue:` and `…IfExists`; a statement with any other operator is refused
 * when the stack starts, rather than guessed at.
 *
 * @module
 */
import { AwsError } from './http';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';
import type { CloudFormationResource } from './serverless-config';

/** A statement of an identity-based policy, as serverless.yml writes it. */
export interface IamStatement {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

/** A function's role: its name (for messages) and its statements. */
export interface FunctionRole {
  functionName: string;
  roleName: string;
  statements: readonly IamStatement[];
  /** The resources of the function's own service, which `Fn::GetAtt`/`Ref` name. */
  resources?: Readonly<Record<string, CloudFormationResource>>;
}

/** Where the ARNs are: the region, and the exports other stacks' values are imported from. */
export interface IamEnvironment {
  region: string;
  accountId?: string;
  /** `Fn::ImportValue` names → their values (see {@link exportsOf}). */
  exports?: ReadonlyMap<string, string>;
}

/** A request as IAM sees it. */
export interface IamRequest {
  action: string;
  /** The ARN acted on. */
  resource: string;
  /** Condition keys (lower case) → their values in the request. */
  context: Readonly<Record<string, readonly string[]>>;
}

/** How IAM decides: allowed, denied by a statement, or denied because nothing allows it. */
export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** Why PutEvents refused one entry: the codes EventBridge answers per entry (PutEventsResultEntry). */
export interface EntryRefusal {
  ErrorCode: 'NotAuthorizedForSourceException' | 'NotAuthorizedForDetailTypeException' | 'AccessDeniedException';
  ErrorMessage: string;
}

const SOURCE_KEY = 'events:source';
const DETAIL_TYPE_KEY = 'events:detail-type';
const OPERATORS = new Set(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike']);

/**
 * The permissions of every function the stack runs (see the module description). A caller the
 * stack does not know has no permissions at all.
 */
export class LocalPermissions {
  private readonly roles: ReadonlyMap<string, FunctionRole>;
  private readonly accountId: string;

  /** @throws Error when a statement uses a condition operator this evaluator does not know. */
  constructor(
    roles: Iterable<FunctionRole>,
    private readonly environment: IamEnvironment,
  ) {
    this.roles = new Map([...roles].map((role) => [role.functionName, role]));
    this.accountId = environment.accountId ?? LOCAL_ACCOUNT_ID;
    for (const role of this.roles.values()) {
      for (const statement of role.statements) assertSupported(statement, role.functionName);
    }
  }

  /**
   * Authorises one PutEvents call of `caller` on the bus: every entry's refusal (undefined where
   * the entry may go), as EventBridge answers per entry. With no entries, it checks the call alone.
   *
   * @throws AwsError `AccessDeniedException` when no statement lets the caller put events on this
   *   bus at all, whatever the entries, as EventBridge refuses the whole call.
   */
  putEvents(caller: string, busArn: string, entries: ReadonlyArray<{ source: string; detailType: string }>): Array<EntryRefusal | undefined> {
    const role = this.roles.get(caller);
    const request = (source: string, detailType: string): IamRequest => ({ action: 'events:PutEvents', resource: busArn, context: { [SOURCE_KEY]: [source], [DETAIL_TYPE_KEY]: [detailType] } });
    const decide = (candidate: IamRequest, ignoring?: ReadonlySet<string>) => (role ? this.decide(role, candidate, ignoring) : 'implicit-deny');
    if (!role || !this.mayEver(role, 'events:PutEvents', busArn)) throw this.denied(caller, 'events:PutEvents', busArn, 400);
    return entries.map(({ source, detailType }) => {
      const full = decide(request(source, detailType));
      if (full === 'allow') return undefined;
      if (full === 'implicit-deny') {
        // Which condition refused it: the detail-type alone, or the source.
        if (decide(request(source, detailType), new Set([DETAIL_TYPE_KEY])) === 'allow') {
          return { ErrorCode: 'NotAuthorizedForDetailTypeException', ErrorMessage: `You do not have permissions to publish events with this detail type onto this event bus (${caller} may not put ${detailType}).` };
        }
        if (decide(request(source, detailType), new Set([SOURCE_KEY, DETAIL_TYPE_KEY])) === 'allow') {
          return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: `You do not have permissions to publish events with this source onto this event bus (${caller} may not put as ${source}).` };
        }
      }
      return { ErrorCode: 'AccessDeniedException', ErrorMessage: `${caller} is not authorized to put ${detailType} as ${source} on ${busArn}.` };
    });
  }

  /**
   * Authorises `caller`'s invocation of the function `functionArn`.
   *
   * @throws AwsError `AccessDeniedException` (403) when its role does not allow it, as Lambda answers.
   */
  invoke(caller: string, functionArn: string): void {
    const role = this.roles.get(caller);
    const decision = role ? this.decide(role, { action: 'lambda:InvokeFunction', resource: functionArn, context: {} }) : 'implicit-deny';
    if (decision !== 'allow') throw this.denied(caller, 'lambda:InvokeFunction', functionArn, 403, decision === 'explicit-deny');
  }

  /** How IAM decides `request` for `role`; conditions on the keys in `ignoring` count as met. */
  decide(role: FunctionRole, request: IamRequest, ignoring: ReadonlySet<string> = new Set()): Decision {
    let allowed = false;
    for (const statement of role.statements) {
      if (!this.applies(role, statement, request.action, request.resource)) continue;
      if (!conditionsHold(statement.Condition, request.context, ignoring)) continue;
      if (statement.Effect === 'Deny') return 'explicit-deny';
      if (statement.Effect === 'Allow') allowed = true;
    }
    return allowed ? 'allow' : 'implicit-deny';
  }

  /** Whether some Allow statement names this action on this resource, whatever its conditions. */
  private mayEver(role: FunctionRole, action: string, resource: string): boolean {
    return role.statements.some((statement) => statement.Effect === 'Allow' && this.applies(role, statement, action, resource));
  }

  private applies(role: FunctionRole, statement: IamStatement, action: string, resource: string): boolean {
    const actionMatches = statement.NotAction !== undefined ? !listOf(statement.NotAction).some((pattern) => matchesAction(pattern, action)) : listOf(statement.Action).some((pattern) => matchesAction(pattern, action));
    if (!actionMatches) return false;
    const named = (value: unknown) => listOf(value).some((item) => {
      const pattern = evaluateValue(item, { ...this.environment, accountId: this.accountId, resources: role.resources ?? {} });
      return pattern !== undefined && wildcard(pattern, resource, false);
    });
    return statement.NotResource !== undefined ? !named(statement.NotResource) : named(statement.Resource);
  }

  private denied(caller: string, action: string, resource: string, status: number, explicit = false): AwsError {
    const role = this.roles.get(caller)?.roleName ?? 'unknown-role';
    const why = explicit ? `with an explicit deny in an identity-based policy` : `because no identity-based policy allows the ${action} action`;
    return new AwsError('AccessDeniedException', `User: arn:aws:sts::${this.accountId}:assumed-role/${role}/${caller} is not authorized to perform: ${action} on resource: ${resource} ${why}`, status);
  }
}

/**
 * The exports the services' stacks declare (`resources.Outputs.<name>.Export.Name`), with their
 * values where the stack can evaluate them, for `Fn::ImportValue`.
 */
export function exportsOf(
  stacks: ReadonlyArray<{ outputs: Readonly<Record<string, unknown>>; resources: Readonly<Record<string, CloudFormationResource>> }>,
  environment: Omit<IamEnvironment, 'exports'>,
): Map<string, string> {
  const exports = new Map<string, string>();
  for (const stack of stacks) {
    for (const output of Object.values(stack.outputs)) {
      const { Value, Export } = (output ?? {}) as { Value?: unknown; Export?: { Name?: unknown } };
      const name = typeof Export?.Name === 'string' ? Export.Name : undefined;
      const value = evaluateValue(Value, { ...environment, resources: stack.resources });
      if (name !== undefined && value !== undefined) exports.set(name, value);
    }
  }
  return exports;
}

interface EvaluationEnvironment extends IamEnvironment {
  resources: Readonly<Record<string, CloudFormationResource>>;
}

/** A CloudFormation value as a string, or undefined when the stack cannot know it. */
export function evaluateValue(value: unknown, environment: EvaluationEnvironment): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const [[fn, argument] = []] = Object.entries(value);
  if (Object.keys(value).length !== 1) return undefined;
  const account = environment.accountId ?? LOCAL_ACCOUNT_ID;
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': environment.region, 'AWS::AccountId': account, 'AWS::URLSuffix': 'amazonaws.com' };
  switch (fn) {
    case 'Ref':
      return typeof argument === 'string' ? (pseudo[argument] ?? reference(argument, undefined, environment)) : undefined;
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(argument) ? argument : typeof argument === 'string' ? argument.split('.') : [];
      return typeof id === 'string' && typeof attribute === 'string' ? reference(id, attribute, environment) : undefined;
    }
    case 'Fn::ImportValue': {
      const name = evaluateValue(argument, environment);
      return name === undefined ? undefined : environment.exports?.get(name);
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || typeof argument[0] !== 'string' || !Array.isArray(argument[1])) return undefined;
      const parts = (argument[1] as unknown[]).map((part) => evaluateValue(part, environment));
      return parts.every((part) => part !== undefined) ? parts.join(argument[0]) : undefined;
    }
    case 'Fn::Sub': {
      const [template, variables] = Array.isArray(argument) ? argument : [argument, {}];
      if (typeof template !== 'string') return undefined;
      let unknown = false;
      const text = template.replace(/\$\{([^}!][^}]*)\}/g, (_whole, name: string) => {
        const given = (variables as Record<string, unknown> | undefined)?.[name];
        const [id, attribute] = name.split('.');
        const resolved = given !== undefined ? evaluateValue(given, environment) : (pseudo[name] ?? reference(id as string, attribute, environment));
        if (resolved === undefined) unknown = true;
        return resolved ?? '';
      });
      return unknown ? undefined : text.replace(/\$\{!/g, '${');
    }
    default:
      return undefined;
  }
}

/** `Ref` (no attribute) or `Fn::GetAtt` of a resource the stack can name: an event bus. */
function reference(id: string, attribute: string | undefined, environment: EvaluationEnvironment): string | undefined {
  const resource = environment.resources[id];
  if (resource?.Type !== 'AWS::Events::EventBus') return undefined;
  const name = evaluateValue(resource.Properties?.Name, environment);
  if (name === undefined) return undefined;
  if (attribute === undefined || attribute === 'Name') return name;
  return attribute === 'Arn' ? `arn:aws:events:${environment.region}:${environment.accountId ?? LOCAL_ACCOUNT_ID}:event-bus/${name}` : undefined;
}

function assertSupported(statement: IamStatement, functionName: string): void {
  const condition = statement.Condition;
  if (condition === undefined) return;
  if (condition === null || typeof condition !== 'object') throw new Error(`${functionName}: a statement's Condition must be a mapping`);
  for (const operator of Object.keys(condition)) {
    if (!OPERATORS.has(baseOperator(operator))) throw new Error(`${functionName}: the local stack cannot evaluate the condition operator ${operator}; it knows ${[...OPERATORS].join(', ')}`);
  }
}

function baseOperator(operator: string): string {
  return operator.replace(/^(ForAllValues|ForAnyValue):/, '').replace(/IfExists$/, '');
}

/** Whether every condition holds (conditions on the keys in `ignoring` count as met). */
function conditionsHold(condition: unknown, context: Readonly<Record<string, readonly string[]>>, ignoring: ReadonlySet<string>): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition as Record<string, Record<string, unknown>>).every(([operator, keys]) =>
    Object.entries(keys ?? {}).every(([key, expected]) => ignoring.has(key.toLowerCase()) || holds(operator, context[key.toLowerCase()], listOf(expected).map(String))),
  );
}

/** One condition operator over one key, as IAM evaluates it. */
function holds(operator: string, values: readonly string[] | undefined, expected: readonly string[]): boolean {
  const set = /^(ForAllValues|ForAnyValue):/.exec(operator)?.[1];
  const ifExists = operator.endsWith('IfExists');
  const base = baseOperator(operator);
  const negated = base.includes('Not');
  const ignoreCase = base.endsWith('IgnoreCase');
  const like = base.includes('Like');
  const matches = (value: string) => expected.some((pattern) => (like ? wildcard(pattern, value, false) : ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value));
  const test = (value: string) => (negated ? !matches(value) : matches(value));
  if (set === 'ForAllValues') return (values ?? []).every(test);
  if (set === 'ForAnyValue') return (values ?? []).some(test);
  // A single-valued operator on a key the request does not have: false, but true for a negated
  // operator and for …IfExists.
  if (values === undefined || values.length === 0) return ifExists || negated;
  return values.some(test);
}

function matchesAction(pattern: unknown, action: string): boolean {
  return typeof pattern === 'string' && wildcard(pattern, action, true);
}

/** IAM's wildcards: `*` any run of characters, `?` one. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function listOf(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
