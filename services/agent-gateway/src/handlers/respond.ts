/**
 * The chat's responder, on the bus: every answer to a chat turn (its correlation id starts with
 * `chat-`; the rule says which detail-types) moves that turn on (the next query, a question, a
 * confirmation) or is told to the customer on their socket. See ../gateway.ts.
 */
// A front door validates nearly every schema: compiled on first use (schemas/validators/compiled-at-run-time.ts).
import '@centli/schemas/validators/compiled-at-run-time';
import { eventListener } from '@centli/kit/event-listener';
import { handleAnswer } from '../app/gateway';
import { gatewayDeps, observability } from '../app/runtime';

// The gateway's own observability: what handleAnswer logs and counts through its deps carries
// this event's correlation id and is flushed with this invocation's metrics.
export const handler = eventListener((event) => handleAnswer(event, gatewayDeps()), { service: 'agent-gateway', handler: 'respond', observability });
