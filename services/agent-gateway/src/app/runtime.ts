/**
 * The chat gateway's wiring in a running function: its stores, the publisher (source
 * centli.agent-gateway), the socket client, the intent engine chosen by INTENT_ENGINE, and the
 * service's logger, metrics and tracer, which every handler of the gateway shares. Created once
 * per container, on first use.
 *
 * The deps are observed (`observedGatewayDeps`): what the gateway does through them is counted
 * (turns started, confirmations asked, accepted, declined, expired or refused, answers
 * delivered, sockets gone), and the turn an invocation moves names the correlation id of its
 * log lines and trace.
 */
import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { TokenVerifier } from '@centli/kit/auth';
import { requireEnv } from '@centli/kit/config';
import { CentliError } from '@centli/pure/errors';
import { correlate, type Observability } from '@centli/kit/observability';
import { eventBridgePublisher } from '@centli/kit/publisher';
import { ApprovalStore } from '@centli/tools/adapters/approval-store';
import { RateLimiter } from '@centli/tools/adapters/rate-limiter';
import { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import { engineFromEnv } from '@centli/tools/adapters/intent-engines';
import { Connections } from '../adapters/connections';
import { SessionStore } from '../adapters/session-store';
import { TurnStore } from '../adapters/turn-store';
import { CORRELATION_PREFIX, type GatewayDeps } from './gateway';

import { logger, observability } from './telemetry';

export { logger, observability };

/** The engine INTENT_ENGINE names (shared with the voice door): lib/tools/adapters/intent-engines.ts. */
export { engineFromEnv };

let deps: GatewayDeps | undefined;
let verifier: TokenVerifier | undefined;

export function gatewayDeps(): GatewayDeps {
  return (deps ??= observedGatewayDeps(
    {
      sessions: new SessionStore(),
      turns: new TurnStore(),
      confirmations: new ConfirmationStore(requireEnv('CONVERSATIONS_TABLE')),
      approvals: new ApprovalStore(requireEnv('MCP_APPROVALS_TABLE')),
      approvalPage: requireEnv('CENTLI_APPROVAL_PAGE'),
      connections: new Connections(),
      publisher: eventBridgePublisher(),
      engine: engineFromEnv(),
      rates: new RateLimiter({ tableName: requireEnv('RATE_LIMITS_TABLE'), log: (message, attributes = {}) => logger.warn(message, attributes) }),
      now: () => new Date(),
      newId: () => randomUUID(),
      timeZone: process.env.CUSTOMER_TIME_ZONE || 'America/Mexico_City',
      log: (level, message, attributes = {}) => logger[level](message, attributes),
    },
    observability,
  ));
}

/** What the chat counts (namespace Centli, dimension service), each once per thing that happened. */
export type ChatMetric =
  | 'TurnStarted'
  | 'ConfirmationAsked'
  | 'ConfirmationAccepted'
  | 'ConfirmationDeclined'
  | 'ConfirmationExpired'
  | 'ConfirmationRefused'
  | 'AnswerDelivered'
  | 'SocketGone'
  | 'SessionEnded';

/**
 * The gateway's deps, counting what happens through them into the invocation's metrics and
 * putting the correlation id of the turn being moved (or answered) on the invocation's log lines
 * and trace. Only what the adapters report is counted, never what was merely attempted: a
 * confirmation created again by a retried transition (which the store refuses) is not asked
 * twice, a "no" to a confirmation no longer pending declines nothing.
 */
export function observedGatewayDeps(deps: GatewayDeps, obs: Pick<Observability, 'logger' | 'metrics' | 'tracer'>): GatewayDeps {
  const count = (metric: ChatMetric) => obs.metrics.addMetric(metric, MetricUnit.Count, 1);
  const follow = (correlationId: unknown) => {
    if (typeof correlationId === 'string' && correlationId.startsWith(CORRELATION_PREFIX)) correlate(obs, { correlation_id: correlationId });
  };
  const { turns, confirmations, connections } = deps;
  return {
    ...deps,
    turns: {
      get: (correlationId) => turns.get(correlationId),
      openTurnOf: (userId) => turns.openTurnOf(userId),
      setOpenTurn: (userId, correlationId, now) => turns.setOpenTurn(userId, correlationId, now),
      clearOutbox: (turn, delivered) => turns.clearOutbox(turn, delivered),
      commit: async (turn, previous, eventId, effects, now) => {
        follow(turn.correlation_id);
        const stored = await turns.commit(turn, previous, eventId, effects, now);
        // A commit with no previous version is the turn's first.
        if (previous === undefined) count('TurnStarted');
        return stored;
      },
    },
    confirmations: {
      create: async (pending) => {
        await confirmations.create(pending);
        count('ConfirmationAsked');
      },
      consume: async (key, binding, now) => {
        try {
          const consumed = await confirmations.consume(key, binding, now);
          count('ConfirmationAccepted');
          return consumed;
        } catch (error) {
          if (error instanceof CentliError) count(error.code === 'CONFIRMATION.EXPIRED' ? 'ConfirmationExpired' : 'ConfirmationRefused');
          throw error;
        }
      },
      cancel: async (key, userId, now) => {
        const cancelled = await confirmations.cancel(key, userId, now);
        if (cancelled) count('ConfirmationDeclined');
        return cancelled;
      },
    },
    connections: {
      post: async (connectionId, callbackUrl, message) => {
        follow((message as { correlation_id?: unknown } | null)?.correlation_id);
        const sent = await connections.post(connectionId, callbackUrl, message);
        count(sent === 'sent' ? 'AnswerDelivered' : 'SocketGone');
        return sent;
      },
      disconnect: async (connectionId, callbackUrl) => {
        await connections.disconnect(connectionId, callbackUrl);
        count('SessionEnded');
      },
    },
  };
}

export function tokenVerifier(): TokenVerifier {
  return (verifier ??= new TokenVerifier());
}
