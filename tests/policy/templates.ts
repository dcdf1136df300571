/**
 * The packaged CloudFormation templates the policy tests read: what `npm run package`
 * (scripts/package-all.sh) leaves in each serverless.yml's `.serverless/` for the stage it checks
 * (`local` by default), and in `.serverless/prod/` for `prod` with the VPC on. The network stack
 * (services/network), which the local stack skips, is among them. The tests read templates, never
 * serverless.yml, so they check what would be deployed, every plugin's additions included.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findServerlessFiles, REPOSITORY_ROOT } from '../../local/serverless-config';

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
}

export interface Template {
  /** `platform` for the root serverless.yml, else the service's directory name (`core-banking`). */
  service: string;
  /** The directory of its serverless.yml. */
  dir: string;
  file: string;
  resources: Record<string, Resource>;
  outputs: Record<string, Output>;
}

export interface Output {
  Description?: string;
  Value: unknown;
  Export?: { Name: unknown };
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A statement and where it is: an IAM role's inline policy, or a resource's policy. */
export interface PolicyStatement {
  template: Template;
  /** The logical id of the role or resource that carries the policy. */
  holder: string;
  holderType: string;
  statement: Statement;
}

/**
 * The stage `npm run package` checked (its templates in `.serverless/`, with the stage's own `vpc`
 * setting): `local` unless the script was given another. `prod` is always packaged beside it, with
 * the VPC option on (`--param vpc=true`), into `.serverless/prod/`.
 */
export const CHECKED_STAGE = process.env.CENTLI_PACKAGED_STAGE ?? 'local';

/** `checked`: the stage in `.serverless/`; `prod`: the templates in `.serverless/prod/` (VPC on). */
export type Packaged = 'checked' | 'prod';

const PACKAGED = 'cloudformation-template-update-stack.json';

/** Every packaged template of the repository; throws, naming the command, when one is missing. */
export function loadTemplates(which: Packaged = 'checked'): Template[] {
  return findServerlessFiles(REPOSITORY_ROOT, { awsOnly: true }).map((serverlessFile) => {
    const dir = dirname(serverlessFile);
    const file = which === 'checked' ? join(dir, '.serverless', PACKAGED) : join(dir, '.serverless', 'prod', PACKAGED);
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run package\` (scripts/package-all.sh) before the policy tests`);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, Resource>; Outputs?: Record<string, Output> };
    const service = dir === REPOSITORY_ROOT ? 'platform' : (dir.split(/[\\/]/).pop() as string);
    return { service, dir, file, resources: parsed.Resources, outputs: parsed.Outputs ?? {} };
  });
}

export function resourcesOfType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.resources).filter(([, resource]) => resource.Type === type);
}

export function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every policy statement of a template: inline role policies, resource policies and VPC endpoint policies. */
export function statementsOf(template: Template): PolicyStatement[] {
  const found: PolicyStatement[] = [];
  const add = (holder: string, holderType: string, statements: unknown) => {
    for (const statement of list(statements as Statement | Statement[] | undefined)) found.push({ template, holder, holderType, statement });
  };
  for (const [id, resource] of Object.entries(template.resources)) {
    const properties = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::IAM::Role':
        for (const policy of list(properties.Policies as Array<{ PolicyDocument: { Statement: unknown } }> | undefined)) add(id, resource.Type, policy.PolicyDocument.Statement);
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::S3::BucketPolicy':
        add(id, resource.Type, (properties.PolicyDocument as { Statement: unknown }).Statement);
        break;
      case 'AWS::KMS::Key':
        add(id, resource.Type, (properties.KeyPolicy as { Statement: unknown }).Statement);
        break;
      case 'AWS::EC2::VPCEndpoint':
        add(id, resource.Type, (properties.PolicyDocument as { Statement: unknown } | undefined)?.Statement);
        break;
      case 'AWS::Events::EventBusPolicy':
        add(id, resource.Type, properties.Statement);
        break;
      default:
        break;
    }
  }
  return found;
}

export function actionsOf(statement: Statement): string[] {
  return list(statement.Action);
}

/** The logical id a `{ "Fn::GetAtt": [id, "Arn"] }` or `{ "Ref": id }` points at. */
export function referenced(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const object = value as Record<string, unknown>;
  if (Array.isArray(object['Fn::GetAtt'])) return object['Fn::GetAtt'][0] as string;
  if (typeof object.Ref === 'string') return object.Ref;
  return undefined;
}

/** The function a role serves, by the functions' Role property. */
export function functionsByRole(template: Template): Map<string, string[]> {
  const byRole = new Map<string, string[]>();
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const role = referenced(fn.Properties?.Role) ?? '(not in this template)';
    byRole.set(role, [...(byRole.get(role) ?? []), id]);
  }
  return byRole;
}

/** `centli.<service>`: the only source a service's roles may put on the bus. */
export function sourceOf(template: Template): string {
  return `centli.${template.service}`;
}

/** The detail-types the contracts define: one schema each (schemas/events/<TYPE>.schema.json). */
export function knownDetailTypes(): Set<string> {
  const names = readdirSync(join(REPOSITORY_ROOT, 'schemas', 'events'));
  return new Set(names.flatMap((name) => /^([A-Z_]+)\.schema\.json$/.exec(name)?.slice(1) ?? []));
}
