/**
 * The chat's notices, on the bus: what a service tells a customer on its own (SPEI_RECEIVED; the
 * rule lists the notices the contracts route here, from their publishers only) is pushed to the
 * customer's open sockets, with only what that needs: the sessions and the sockets. See
 * ../app/notices.ts.
 */
// Validates schemas no generated module groups yet: compiled on first use (schemas/validators/compiled-at-run-time.ts).
import '@centli/schemas/validators/compiled-at-run-time';
import { eventListener } from '@centli/kit/event-listener';
import { tellNotice } from '../app/notices';
import { sessionDeps } from '../app/sessions';
import { observability } from '../app/telemetry';

export const handler = eventListener(
  async (event) => {
    await tellNotice(event, sessionDeps());
  },
  { service: 'agent-gateway', handler: 'notify', observability },
);
