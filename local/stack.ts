/**
 * The whole system on this machine: DynamoDB Local with the services' tables (and seed data),
 * and one HTTP server carrying every other AWS part the handlers use: the event bus (one target
 * per function `eventBridge` event), the purchase saga's Step Functions API, the Lambda Invoke
 * API, KMS HMAC keys, the HTTP APIs (`httpApi` events), the WebSocket API (`websocket` events)
 * with its `@connections` API, the Lex V2 runtime's RecognizeText for the voice bot, and a token
 * issuer for the front doors. The handlers run in
 * process and find every part through the AWS SDK's own endpoint settings
 * (`AWS_ENDPOINT_URL_<SERVICE>`), so their code is the code that runs in AWS. What a function puts
 * on the bus and which functions it invokes are held to its role in serverless.yml, as in AWS
 * (local/iam.ts, local/caller.ts).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadSeed } from '../seed/load';
import { LocalEventBus } from './bus';
import { createTables, startDynamoDbLocal } from './dynamodb';
import { applyEnvironment, unionEnvironment } from './environment';
import { LocalHttpServer, sendJson } from './http';
import { mountHttpApi } from './http-api';
import { CHAT_PATH, mountChatPage } from './chat-page';
import { createLocalIssuer, LOCAL_CLIENT_ID } from './identity';
import { mountOAuthServer } from './oauth-server';
import { mountKms } from './kms';
import { LOCAL_SPEI_SIGNING_SECRET, mountSsm } from './ssm';
import { mountSpeiParticipant, SPEI_PATH } from './spei';
import { startConverseStub } from './bedrock-runtime';
import { botsOf, mountLexRuntime, type LocalBotInfo } from './lex-runtime';
import { Chaos, ChaosFault, invocationContext, tagOutgoingRequests, type ChaosOptions } from './chaos';
import { startDynamoDbProxy } from './dynamodb-proxy';
import { tagCallerRequests } from './caller';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';
import { exportsOf, LocalPermissions } from './iam';
import { handlerLocation, invokeFunction, type InvokeOptions, type LambdaFunction } from './lambda';
import { mountLambdaApi } from './lambda-api';
import { createLocalSagas } from './saga';
import { mountWebSocketApi, WEBSOCKET_PATH, type LocalWebSocketApi } from './websocket';
import { loadServiceConfigs, REPOSITORY_ROOT, type FunctionConfig, type ServiceConfig } from './serverless-config';
import { failureTypes } from '@centli/schemas';
import { API_SCOPES } from '@centli/pure/oauth';

/** Core Banking's route for the SPEI participant's notifications (services/core-banking/serverless.yml). */
const SPEI_NOTIFICATIONS_PATH = '/spei/incoming-payments';
/** Core Banking's endpoint for the results of the orders the SPEI saga sends. */
const SPEI_ORDER_RESULTS_PATH = '/spei/order-results';

/** The approval page, beside the chat page on the same site. */
const APPROVAL_PAGE = 'approve.html';
/** The MCP service's authorization front (its issuer path), and the fixed public MCP client it relays with: the user pool's app client in AWS. */
const OAUTH_FRONT_PATH = '/oauth';
export const LOCAL_MCP_CLIENT_ID = 'centli-mcp';
/** The MCP service's pre token generation trigger, which Cognito runs for the pool and this issuer runs locally. */
const TOKEN_TRIGGER_FUNCTION = 'oauth-token-claims';
/**
 * The approval page's own address: the stack's, by the name `localhost`. It asks for a passkey
 * (WebAuthn) for a step-up, and WebAuthn takes a domain as the relying party's id, never an IP.
 */
const approvalPageOf = (stackUrl: string) => `${stackUrl.replace('//127.0.0.1:', '//localhost:')}${CHAT_PATH}${APPROVAL_PAGE}`;

/** How to start the local stack. */
export interface LocalStackOptions {
  /** The stage the serverless.yml files are resolved for; `local` by default. */
  stage?: string;
  /** `--param` values for every service, over their `params` blocks (e.g. `intentEngine: 'bedrock'`). */
  params?: Readonly<Record<string, string>>;
  /** The bus's port (DynamoDB Local takes the next one); `0` (the default): free ports. */
  port?: number;
  /** Load the seed data (`seed/load.ts`); `true` by default. */
  seed?: boolean;
  /**
   * Where to write the endpoints for other processes (`sls invoke local`, test setups),
   * relative to the repository root; `.centli/local.json` by default, `false` for none.
   */
  stateFile?: string | false;
  /** POWERTOOLS_LOG_LEVEL for the handlers, over what serverless.yml sets. */
  logLevel?: string;
  /** In-flight deliveries per target (32 by default). */
  concurrency?: number;
  /** The repository to run; this one by default. */
  rootDir?: string;
  /** Receives the stack's own messages (retries, dead letters, warnings); stderr by default. */
  log?: (message: string) => void;
  /** Chaos mode (local/chaos.ts): the faults AWS produces, reproducible from a seed. */
  chaos?: ChaosOptions;
  /** Attempts per delivery before the bus dead-letters it (3 by default). */
  deliveryAttempts?: number;
}

/** Where the local parts listen. */
export interface LocalStackEndpoints {
  dynamodb: string;
  eventbridge: string;
  /**
   * The stack's one HTTP server (the same as `eventbridge`): the bus's read API (`/events`,
   * `/dead-letters`, `/health`), `/executions`, and the Lambda, Step Functions, KMS and
   * `@connections` APIs.
   */
  http: string;
  region: string;
  /** The issuer of the demo tokens; its keys are at `<issuer>/.well-known/jwks.json`. */
  issuer: string;
  /** The MCP server's Streamable HTTP endpoint, when a function serves `/mcp`. */
  mcp?: string;
  /** The WebSocket API (connect with `?token=<token>`), when functions serve one. */
  websocket?: string;
  /** The chat page, when the repository has one. */
  chat?: string;
  /** The approval page beside it, where a customer approves what an agent asked for. */
  approvals?: string;
  /** The SPEI participant stand-in (local/spei.ts), when a function receives its notifications: `POST <spei>/incoming`. */
  spei?: string;
  /** The Lex V2 runtime (RecognizeText; the same server as `http`), when a service declares a bot alias. */
  lex?: string;
  /** The bot aliases it serves, with the ids a Lex runtime client names. */
  bots?: LocalBotInfo[];
  /**
   * The stack's own Bedrock runtime stand-in (local/bedrock-runtime.ts), when the handlers run the
   * Bedrock intent engine (`--param intentEngine=bedrock`) and AWS_ENDPOINT_URL_BEDROCK_RUNTIME
   * names no other.
   */
  bedrock?: string;
}

/** A running local stack. */
export interface LocalStack {
  endpoints: LocalStackEndpoints;
  bus: LocalEventBus;
  services: ServiceConfig[];
  /** The absolute path of the state file, when one was written. */
  stateFile: string | undefined;
  /** A demo token for each seeded customer, by user_id, valid while this stack runs. */
  tokens: Record<string, string>;
  /** The WebSocket API, when functions serve one. */
  websocket: LocalWebSocketApi | undefined;
  /** Chaos mode's decisions and the faults injected so far, when it is on. */
  chaos: Chaos | undefined;
  /** Stops the bus and DynamoDB Local, restores the environment and removes the state file. */
  stop(): Promise<void>;
}

/** Starts the local stack (see the module description). */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stage = options.stage ?? 'local';
  const rootDir = options.rootDir ?? REPOSITORY_ROOT;
  const log = options.log ?? ((message: string) => process.stderr.write(`[centli] ${message}\n`));
  const port = options.port ?? 0;

  const services = loadServiceConfigs({ stage, ...(options.params ? { params: options.params } : {}) }, rootDir);
  const functions = services.flatMap((service) => service.functions);
  for (const fn of functions) handlerLocation(fn.dir, fn.handler);
  const environment = unionEnvironment(functions);
  const region = services[0]?.region ?? 'us-east-1';
  const busName = eventBusName(services, environment, stage);
  // Each function's role, as its serverless.yml declares it: what it may put on the bus and invoke.
  const permissions = new LocalPermissions(
    services.flatMap((service) => service.functions.map((fn) => ({ functionName: fn.functionName, roleName: fn.role.name, statements: fn.role.statements, resources: service.resources }))),
    { region, accountId: LOCAL_ACCOUNT_ID, exports: exportsOf(services, { region, accountId: LOCAL_ACCOUNT_ID }) },
  );

  const undo: Array<() => unknown> = [];
  const unwind = async () => {
    const errors: unknown[] = [];
    for (const step of undo.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'the local stack did not stop cleanly');
  };

  try {
    const dynamo = await startDynamoDbLocal({ port: port === 0 ? 0 : port + 1, region });
    undo.push(() => dynamo.stop());
    const chaos = options.chaos ? new Chaos({ ...options.chaos, log }) : undefined;
    // In chaos mode the handlers reach DynamoDB through the throttling proxy; everything else directly.
    let handlerDynamoDb = dynamo.endpoint;
    if (chaos) {
      const proxy = await startDynamoDbProxy(dynamo.endpoint, chaos);
      undo.push(() => proxy.stop());
      undo.push(tagOutgoingRequests());
      handlerDynamoDb = proxy.endpoint;
      log(`CHAOS MODE, seed ${chaos.options.seed}: ${Object.entries(chaos.rates).map(([kind, rate]) => `${kind} ${rate}`).join(', ')}`);
      undo.push(() => log(`chaos injected: ${Object.entries(chaos.injected()).map(([kind, count]) => `${kind} ${count}`).join(', ')}`));
    }
    /** Every invocation runs in its correlation id's context, so a fault it meets is logged with it. */
    const invoke = (fn: LambdaFunction, event: unknown, invokeOptions: InvokeOptions = {}) =>
      chaos ? invocationContext.run({ correlationId: correlationOf(event) ?? 'unknown' }, () => invokeFunction(fn, event, invokeOptions)) : invokeFunction(fn, event, invokeOptions);
    /** A bus delivery, which chaos mode may fail before the handler runs or after it has written. */
    const deliver = async (fn: LambdaFunction, event: unknown) => {
      const correlationId = correlationOf(event);
      if (chaos?.strikes('fail-before', correlationId, `function=${fn.functionName}`)) throw new ChaosFault('fail-before', 'Rate Exceeded.', 'TooManyRequestsException');
      const result = await invoke(fn, event, { region });
      if (chaos?.strikes('fail-after', correlationId, `function=${fn.functionName}`)) throw new ChaosFault('fail-after', `Task timed out after ${fn.timeout}.00 seconds`, 'Sandbox.Timedout');
      return result;
    };
    // Per service: logical ids are unique within a stack only.
    const tables = (await Promise.all(services.map((service) => createTables(dynamo.client, service.resources)))).flat();

    // The Bedrock intent engine, when a param chose it, calls Converse: the endpoint the stack was
    // given (AWS_ENDPOINT_URL_BEDROCK_RUNTIME, which the handlers read as they share its process),
    // else its own stand-in, which answers as the parser reads without a wait.
    let bedrock: string | undefined;
    if (environment.INTENT_ENGINE === 'bedrock' && !process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME) {
      const converse = await startConverseStub();
      undo.push(() => converse.stop());
      bedrock = converse.url;
    }

    const http = new LocalHttpServer({ port });
    // The sagas (every state machine a service declares, sagas/*.asl.yml): their Step Functions API
    // (which the starters and the SPEI result endpoint call) and their executions' histories
    // (`GET /executions/<purchase or transfer id>`) are served beside the bus; their result events go on the bus.
    const saga = createLocalSagas({
      stateMachines: services.flatMap((service) => service.stateMachines),
      stage,
      region,
      busName,
      functions,
      log,
      putEvents: async (entries) => bus.putEvents(entries),
      ...(chaos
        ? {
            // A task fails transiently before its function runs, or after it ran and wrote (a timeout after commit).
            wrapTask: (state, real) => async (input) => {
              const correlationId = correlationOf({ detail: (input as { Payload?: unknown } | null)?.Payload ?? (input as { Entries?: Array<{ Detail?: string }> } | null)?.Entries?.[0]?.Detail });
              if (chaos.strikes('saga-task-before', correlationId, `state=${state}`)) throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
              const output = await invocationContext.run({ correlationId: correlationId ?? 'unknown' }, () => real(input));
              if (chaos.strikes('saga-task-after', correlationId, `state=${state}`)) throw Object.assign(new Error('Task timed out'), { name: 'Sandbox.Timedout' });
              return output;
            },
          }
        : {}),
    });
    const bus = new LocalEventBus({
      busName,
      region,
      log,
      permissions,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.deliveryAttempts === undefined ? {} : { retry: { attempts: options.deliveryAttempts } }),
      ...(chaos
        ? {
            faults: {
              copies: (event, target) => (chaos.strikes('duplicate', correlationOf(event), `target=${target}`) ? 2 : 1),
              delayMs: (event, target) => chaos.delayFor(correlationOf(event), target),
            },
          }
        : {}),
    });
    bus.mount(http);
    if (saga) {
      for (const [target, operation] of Object.entries(saga.operations)) http.operation(target, operation);
      http.route((request, response, url) => {
        if (request.method !== 'GET' || !(url.pathname === '/executions' || url.pathname.startsWith('/executions/'))) return false;
        const name = decodeURIComponent(url.pathname.slice('/executions'.length).replace(/^\//, ''));
        const body = name === '' ? saga.list() : saga.execution(name);
        if (body === undefined) sendJson(response, 404, { message: `no execution ${url.pathname.slice('/executions/'.length)}` });
        else sendJson(response, 200, body);
        return true;
      });
    }
    for (const fn of functions) {
      fn.eventBridge.forEach((subscription, index) => {
        bus.register({
          name: fn.eventBridge.length > 1 ? `${fn.functionName}#${index + 1}` : fn.functionName,
          pattern: subscription.pattern,
          invoke: (event) => deliver(fn, event),
        });
      });
    }
    mountLambdaApi(http, { functions, region, log, invoke, permissions });
    if (chaos) {
      http.route((request, response, url) => {
        if (request.method !== 'GET' || url.pathname !== '/chaos') return false;
        sendJson(response, 200, { seed: chaos.options.seed, rates: chaos.rates, injected: chaos.injected() });
        return true;
      });
    }
    const hmacKeys = mountKms(http, services.map((service) => service.resources), region);
    // The secrets the functions read from SSM Parameter Store (their `*_PARAMETER` variables), with local development values.
    mountSsm(http, environment, region);
    // The voice bot as its service's template declares it; its code hook runs as the function it names.
    const bots = mountLexRuntime(http, {
      bots: services.flatMap((service) => botsOf(service.resources, service.functions, region, log)),
      invoke: (fn, event) => invoke(fn, event, { region }),
      log,
    });
    const httpRoutes = mountHttpApi(http, { functions: functions.filter((fn) => fn.httpApi.length > 0), region, invoke, log });
    // The SPEI participant notifies the function that serves its notifications, signed with the secret that function is configured with.
    const speiRoute = httpRoutes.find((route) => route === `POST ${SPEI_NOTIFICATIONS_PATH}`);
    if (speiRoute) {
      // The orders' results go to the function that serves them, when one does (the SPEI saga's).
      const resultsRoute = httpRoutes.includes(`POST ${SPEI_ORDER_RESULTS_PATH}`);
      const participant = mountSpeiParticipant(http, {
        secret: LOCAL_SPEI_SIGNING_SECRET,
        notifyUrl: () => `${http.url}${SPEI_NOTIFICATIONS_PATH}`,
        orderResultUrl: resultsRoute ? () => `${http.url}${SPEI_ORDER_RESULTS_PATH}` : undefined,
        chaos,
        log,
      });
      undo.push(() => participant.stop());
    }
    const socketFunctions = functions.filter((fn) => fn.websocket.length > 0);
    const websocket =
      socketFunctions.length > 0
        ? mountWebSocketApi(http, {
            functions: socketFunctions,
            routeSelection: services.find((service) => service.functions.some((fn) => fn.websocket.length > 0))?.websocketRouteSelection ?? '$request.body.action',
            stage,
            region,
            invoke,
            log,
            ...(chaos ? { dropAfterPost: (connectionId: string) => chaos.strikes('socket-drop', undefined, `connection=${connectionId}`) } : {}),
          })
        : undefined;
    const customers = seededCustomers(rootDir);
    const chatUrl = () => `${http.url}${CHAT_PATH}`;
    // The MCP endpoint is an OAuth resource the issuer binds tokens to; MCP clients register themselves (./oauth-server.ts).
    const mcpUrl = () => `${http.url}/mcp`;
    const servesMcp = httpRoutes.some((route) => route.endsWith(' /mcp'));
    const registry = mountOAuthServer(http);
    // The MCP service's authorization front relays to this issuer as it relays to Cognito in AWS:
    // with the fixed MCP client, back to its callback, and the pool's pre token generation trigger
    // (the MCP service's oauth-token-claims) run on the tokens of every sign-in.
    const frontUrl = () => `${http.url}${OAUTH_FRONT_PATH}`;
    const servesFront = httpRoutes.some((route) => route.endsWith(` ${OAUTH_FRONT_PATH}/authorize`));
    const tokenTrigger = functions.find((fn) => fn.service === 'centli-mcp' && fn.name === TOKEN_TRIGGER_FUNCTION);
    const issuer = await createLocalIssuer(http, {
      customers: () => customers,
      clients: [
        { clientId: LOCAL_CLIENT_ID, redirectUris: () => [chatUrl(), `${chatUrl()}${APPROVAL_PAGE}`, approvalPageOf(http.url)] },
        ...(servesFront ? [{ clientId: LOCAL_MCP_CLIENT_ID, redirectUris: () => [`${frontUrl()}/callback`] }] : []),
      ],
      registeredClient: (clientId) => registry.clientOf(clientId),
      resources: () => (servesMcp ? [mcpUrl()] : []),
      ...(tokenTrigger ? { preTokenGeneration: (event) => invoke(tokenTrigger, event, { region }) } : {}),
    });
    let tokens: Record<string, string> = {};
    const websocketUrl = () => `${http.url.replace(/^http/, 'ws')}${WEBSOCKET_PATH}`;
    const chat = mountChatPage(http, {
      dir: join(rootDir, 'web', 'chat'),
      // The page signs in, and calls the approvals API, on the origin it was served from (localhost or 127.0.0.1).
      config: (origin) => ({
        ...(websocket ? { websocket: websocketUrl() } : {}),
        http: http.url,
        approvals_api: origin,
        auth: issuer.oauthSettings(LOCAL_CLIENT_ID, chatUrl(), origin),
        customers: customers.map(({ user_id, name }) => ({ user_id, name, token: tokens[user_id] ?? '' })),
        // The inspector marks a failure as the contracts define one (schemas/index.ts), not by its name.
        failure_types: [...failureTypes],
      }),
      ...(saga ? { sagaDefinitions: saga.definitions } : {}),
    });
    const busUrl = await http.start();
    undo.push(() => http.stop());
    // From here on, what a function asks of the stack names the function (local/caller.ts).
    undo.push(tagCallerRequests(busUrl));
    if (websocket) undo.push(() => websocket.close());
    undo.push(() => bus.stop());
    if (saga) undo.push(() => saga.stop());
    const endpoints: LocalStackEndpoints = {
      dynamodb: dynamo.endpoint,
      eventbridge: busUrl,
      http: busUrl,
      region,
      issuer: issuer.issuer,
      ...(httpRoutes.some((route) => route.endsWith(' /mcp')) ? { mcp: `${busUrl}/mcp` } : {}),
      ...(websocket ? { websocket: websocketUrl() } : {}),
      ...(chat ? { chat: `${busUrl}${CHAT_PATH}`, approvals: approvalPageOf(busUrl) } : {}),
      ...(speiRoute ? { spei: `${busUrl}${SPEI_PATH}` } : {}),
      ...(bots.length > 0 ? { lex: busUrl, bots } : {}),
      ...(bedrock ? { bedrock } : {}),
    };

    const provided: Record<string, string> = {
      AWS_ENDPOINT_URL_DYNAMODB: handlerDynamoDb,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
      AWS_ENDPOINT_URL_SFN: endpoints.http,
      AWS_ENDPOINT_URL_LAMBDA: endpoints.http,
      AWS_ENDPOINT_URL_KMS: endpoints.http,
      AWS_ENDPOINT_URL_SSM: endpoints.http,
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: endpoints.http,
      AWS_ENDPOINT_URL_LEX_RUNTIME_V2: endpoints.http,
      ...(bedrock ? { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock } : {}),
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      // DynamoDB Local and the bus accept any credentials; the SDK insists on some.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // The front doors trust this stack's tokens, as a deployed stage trusts its user pool's.
      CENTLI_AUTH_ISSUER: endpoints.issuer,
      CENTLI_AUTH_AUDIENCE: 'centli',
      CENTLI_AUTH_USER_CLAIM: 'sub',
      // The MCP endpoint as an OAuth resource (services/mcp/src/domain/authorization.ts): its URL, and
      // its authorization server: the MCP service's authorization front, as in AWS, or else this issuer.
      CENTLI_MCP_RESOURCE: `${busUrl}/mcp`,
      CENTLI_AUTHORIZATION_SERVER: servesFront ? `${busUrl}${OAUTH_FRONT_PATH}` : endpoints.issuer,
      // The front (services/mcp/src/domain/oauth-front.ts): its URL, this issuer as the user pool domain, the fixed MCP client.
      CENTLI_OAUTH_FRONT_URL: `${busUrl}${OAUTH_FRONT_PATH}`,
      CENTLI_OAUTH_UPSTREAM: endpoints.issuer,
      CENTLI_MCP_OAUTH_CLIENT_ID: LOCAL_MCP_CLIENT_ID,
      // Where the MCP server sends a customer to approve what an agent asked for: the page beside the chat.
      CENTLI_APPROVAL_PAGE: approvalPageOf(busUrl),
      // The page's origin (CORS, and the origin its passkeys are made on) and their relying party:
      // `localhost`, as WebAuthn takes a domain, never an IP address, for an RP ID.
      CENTLI_APPROVAL_ORIGIN: new URL(approvalPageOf(busUrl)).origin,
      CENTLI_PASSKEY_RP_ID: 'localhost',
      // The SPEI participant's order API (the stand-in, local/spei.ts), which the SPEI saga's SendOrder calls.
      ...(speiRoute ? { SPEI_PARTICIPANT_URL: `${busUrl}${SPEI_PATH}` } : {}),
      // What Lambda sets for on-demand functions; Powertools reports cold starts only under it.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      ...(options.logLevel ? { POWERTOOLS_LOG_LEVEL: options.logLevel } : {}),
      // EMF metric lines are for CloudWatch; locally they would only crowd the logs.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      // No X-Ray daemon here: Powertools' own switch, whatever AWS_EXECUTION_ENV the machine sets.
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
    assertProvided(functions, provided);
    const restore = applyEnvironment({ ...environment, ...provided });
    undo.push(restore);

    if (options.seed ?? true) await seed(stage, endpoints, log);
    // A demo token opens every door: the chat and the approval page (audience `centli`) and the MCP endpoint (bound to it, with its scopes).
    const demo = servesMcp ? { audience: [LOCAL_CLIENT_ID, mcpUrl()], claims: { scope: API_SCOPES.join(' ') } } : {};
    tokens = Object.fromEntries(await Promise.all(customers.map(async ({ user_id }) => [user_id, await issuer.tokenFor(user_id, demo)] as const)));

    // Scheduled functions run on their rate, as EventBridge Scheduler runs them, with its event's shape.
    const scheduled = functions.flatMap((fn) => fn.schedules.map((period) => ({ fn, period })));
    for (const { fn, period } of scheduled) {
      const timer = setInterval(() => {
        const event = { version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: LOCAL_ACCOUNT_ID, time: new Date().toISOString(), region, resources: [`arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:rule/${fn.functionName}-schedule`], detail: {} };
        invoke(fn, event, { region }).catch((error: Error) => log(`scheduled ${fn.functionName} failed: ${error.message}`));
      }, period * 1000);
      timer.unref();
      undo.push(() => clearInterval(timer));
    }

    let stateFile: string | undefined;
    if (options.stateFile !== false) {
      const file = options.stateFile ?? join('.centli', 'local.json');
      stateFile = isAbsolute(file) ? file : resolve(rootDir, file);
      writeStateFile(stateFile, { ...endpoints, tokens });
      const written = stateFile;
      undo.push(() => removeStateFile(written));
    }

    log(`stage ${stage}: tables ${tables.join(', ') || '(none)'}; ${functions.length} function(s) on bus ${busName}`);
    if (httpRoutes.length > 0) log(`HTTP API: ${httpRoutes.join(', ')}`);
    if (websocket) log(`WebSocket API: ${websocket.routes.join(', ')}`);
    if (hmacKeys.length > 0) log(`KMS HMAC keys: ${hmacKeys.join(', ')}`);
    if (bots.length > 0) log(`Lex V2 bots: ${bots.map((bot) => `${bot.botName} alias ${bot.botAliasName} (${bot.botId}/${bot.botAliasId}; ${bot.locales.join(', ')})`).join('; ')}`);
    if (scheduled.length > 0) log(`schedules: ${scheduled.map(({ fn, period }) => `${fn.functionName} every ${period} s`).join(', ')}`);
    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      bus,
      services,
      stateFile,
      tokens,
      websocket,
      chaos,
      stop: () => (stopping ??= unwind()),
    };
  } catch (error) {
    await unwind().catch(() => {});
    throw error;
  }
}

/** The correlation id of an event, whatever its shape (a bus event, a task payload, a WebSocket or HTTP event). */
function correlationOf(event: unknown): string | undefined {
  const e = (event ?? {}) as { detail?: unknown; correlation_id?: unknown; requestContext?: { requestId?: unknown } };
  let detail = e.detail;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail) as unknown;
    } catch {
      detail = undefined;
    }
  }
  const fromDetail = (detail as { correlation_id?: unknown } | undefined)?.correlation_id;
  if (typeof fromDetail === 'string') return fromDetail;
  if (typeof e.correlation_id === 'string') return e.correlation_id;
  return typeof e.requestContext?.requestId === 'string' ? e.requestContext.requestId : undefined;
}

/**
 * Every variable a function sets to a CloudFormation value (an export of another stack, a
 * resource's attribute) must be one the local stack provides itself.
 *
 * @throws Error naming the function and the variable otherwise.
 */
function assertProvided(functions: readonly FunctionConfig[], provided: Readonly<Record<string, string>>): void {
  for (const fn of functions) {
    for (const name of fn.cloudFormationEnvironment) {
      if (!(name in provided)) {
        throw new Error(`${fn.service}/${fn.name} sets ${name} to a CloudFormation value the local stack cannot evaluate; use a plain string, or have local/stack.ts provide it`);
      }
    }
  }
}

/** The bus the platform declares, checked against the EVENT_BUS_NAME the handlers publish to. */
function eventBusName(services: readonly ServiceConfig[], environment: Readonly<Record<string, string>>, stage: string): string {
  const declared = services
    .flatMap((service) => Object.values(service.resources))
    .find((resource) => resource?.Type === 'AWS::Events::EventBus')?.Properties?.Name;
  const name = typeof declared === 'string' ? declared : (environment.EVENT_BUS_NAME ?? `centli-event-bus-${stage}`);
  const published = environment.EVENT_BUS_NAME;
  if (published !== undefined && published !== name) {
    throw new Error(`the functions publish to EVENT_BUS_NAME=${published}, but the platform's event bus is ${name}`);
  }
  return name;
}

async function seed(stage: string, endpoints: LocalStackEndpoints, log: (message: string) => void): Promise<void> {
  const client = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const started = Date.now();
    const { items, missingTables } = await loadSeed({ stage, documentClient });
    log(`seeded ${items} item(s) in ${Date.now() - started} ms${missingTables.length > 0 ? `; no table for ${missingTables.join(', ')}` : ''}`);
  } finally {
    client.destroy();
  }
}

function writeStateFile(file: string, state: LocalStackEndpoints & { tokens: Record<string, string> }): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...state, pid: process.pid }, null, 2)}\n`, { mode: 0o600 });
}

/** The seeded customers (seed/data/customers.json, or the `user-…` owners of the seeded accounts), with their names. */
function seededCustomers(rootDir: string): Array<{ user_id: string; name: string }> {
  const read = (table: string): Record<string, unknown>[] => {
    try {
      return JSON.parse(readFileSync(join(rootDir, 'seed', 'data', `${table}.json`), 'utf8')) as Record<string, unknown>[];
    } catch {
      return [];
    }
  };
  const named = new Map<string, string>();
  for (const row of read('customers')) if (typeof row.user_id === 'string') named.set(row.user_id, typeof row.name === 'string' ? row.name : row.user_id);
  for (const row of read('accounts')) if (typeof row.user_id === 'string' && row.user_id.startsWith('user-') && !named.has(row.user_id)) named.set(row.user_id, row.user_id);
  return [...named].map(([user_id, name]) => ({ user_id, name }));
}

/** Removes the state file unless another stack has since written its own there. */
function removeStateFile(file: string): void {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
    if (state.pid !== process.pid) return;
  } catch {
    return;
  }
  rmSync(file, { force: true });
}
