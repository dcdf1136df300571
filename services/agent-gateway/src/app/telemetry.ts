/** The gateway's logger, metrics and tracer: every handler of the service wraps itself with these. */
import { observabilityFor } from '@centli/kit/observability';

export const observability = observabilityFor('agent-gateway');
export const logger = observability.logger;
