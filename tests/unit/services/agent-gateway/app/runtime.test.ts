import { CONFIRMATION_TTL_SECONDS } from '@centli/tools/confirmation';
import { observabilityFor, type Observability } from '@centli/kit/observability';
import { observedGatewayDeps, type ChatMetric } from '../../../../../services/agent-gateway/src/app/runtime';
import { metricLines, printed, type Printed } from '../../../lib/kit/output';
import { gatewayWorld, session, transferCompletedFor, type GatewayWorld } from '../fakes';

const ANA = 'conn-ana-1';
const ANA_PHONE = 'conn-ana-2';

/** Ana signed in on two sockets, the gateway's deps observed as the deployed runtime observes them. */
function observedWorld(): { w: GatewayWorld; obs: Observability } {
  const w = gatewayWorld();
  w.sessions.open(session(ANA, 'user-ana', '2026-11-26T15:00:00.000Z'));
  w.sessions.open(session(ANA_PHONE, 'user-ana', '2026-11-26T15:30:00.000Z'));
  const obs = observabilityFor('agent-gateway');
  Object.assign(w.deps, observedGatewayDeps({ ...w.deps }, obs));
  return { w, obs };
}

/** Ana asks for 100 pesos to her brother and is shown the confirmation. */
async function anaIsAskedToConfirm(w: GatewayWorld): Promise<void> {
  await w.say(ANA, 'Transfiere 100 pesos a mi hermano');
  await w.answerQueries();
}

/** The chat's counts in what was printed (an EMF value is a number, or a list of them). */
function counts(output: Printed): Partial<Record<ChatMetric, number>> {
  const names: ChatMetric[] = ['TurnStarted', 'ConfirmationAsked', 'ConfirmationAccepted', 'ConfirmationDeclined', 'ConfirmationExpired', 'ConfirmationRefused', 'AnswerDelivered', 'SocketGone'];
  const total = (name: ChatMetric) =>
    metricLines(output, name)
      .flatMap((line) => [line[name]].flat() as number[])
      .reduce((sum, value) => sum + value, 0);
  return Object.fromEntries(names.map((name) => [name, total(name)]).filter(([, value]) => value !== 0));
}

/** Runs a conversation and flushes what it counted, as the handler's middleware does. */
async function conversation(act: (w: GatewayWorld, obs: Observability) => Promise<void>): Promise<{ output: Printed; w: GatewayWorld }> {
  let world: GatewayWorld | undefined;
  const output = await printed(async () => {
    const { w, obs } = observedWorld();
    world = w;
    await act(w, obs);
    obs.metrics.publishStoredMetrics();
  });
  return { output, w: world as GatewayWorld };
}

describe('observedGatewayDeps', () => {
  it('counts a turn started, a confirmation asked and accepted, and each answer delivered', async () => {
    // Act
    const { output, w } = await conversation(async (world) => {
      await anaIsAskedToConfirm(world);
      await world.say(ANA, 'sí');
      const request = world.acting()[0];
      if (!request) throw new Error('the transfer was not requested');
      await world.answer('TRANSFER_COMPLETED', transferCompletedFor(request));
    });

    // Assess: the confirmation, then the answer.
    expect(w.connections.posts.map((p) => p.message.kind)).toEqual(['confirmation', 'answer']);
    expect(counts(output)).toEqual({ TurnStarted: 1, ConfirmationAsked: 1, ConfirmationAccepted: 1, AnswerDelivered: 2 });
  });

  it('counts a "no" as a confirmation declined, and a second "no" as nothing', async () => {
    const { output } = await conversation(async (w) => {
      await anaIsAskedToConfirm(w);
      await w.say(ANA, 'no');
      await w.say(ANA, 'no');
    });

    expect(counts(output)).toMatchObject({ TurnStarted: 1, ConfirmationAsked: 1, ConfirmationDeclined: 1 });
  });

  it('counts a "sí" after the confirmation expired as expired, not accepted', async () => {
    const { output } = await conversation(async (w) => {
      await anaIsAskedToConfirm(w);
      w.clock.advance((CONFIRMATION_TTL_SECONDS + 1) * 1000);
      await w.say(ANA, 'sí');
    });

    const counted = counts(output);
    expect(counted).toMatchObject({ ConfirmationAsked: 1, ConfirmationExpired: 1 });
    expect(counted.ConfirmationAccepted).toBeUndefined();
  });

  it('counts a socket found gone, and the answer delivered on the customer’s other socket', async () => {
    const { output, w } = await conversation(async (world) => {
      await world.say(ANA, '¿Cuál es mi saldo?');
      world.connections.gone.add(ANA);
      await world.answerQueries();
    });

    expect(w.connections.posts.map((p) => p.connectionId)).toEqual([ANA_PHONE]);
    expect(counts(output)).toEqual({ TurnStarted: 1, SocketGone: 1, AnswerDelivered: 1 });
  });

  it('puts the turn’s correlation id on the log lines that follow once the message starts a turn', async () => {
    // Act: the handler's own lines and the deps' go through the service's logger.
    const { output, w } = await conversation(async (world, obs) => {
      world.deps.log = (level, message, attributes = {}) => obs.logger[level](message, attributes);
      obs.logger.info('message received');
      await world.say(ANA, '¿Cuál es mi saldo?');
      obs.logger.info('message handled');
    });

    // Assess
    const turn = w.published()[0]?.detail.correlation_id;
    expect(turn).toMatch(/^chat-/);
    expect(output.logs.map((line) => [line.message, line.correlation_id])).toEqual([
      ['message received', undefined],
      ['turn started', turn],
      ['message handled', turn],
    ]);
  });
});
