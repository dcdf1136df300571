/**
 * The chat page's protocol module (web/chat/protocol.js): every kind of server frame, API
 * Gateway's own error frames, frames that cannot be read, the frames the page sends, the
 * current request and the reconnect backoff.
 */
import {
  buildMessageFrame,
  MAX_TEXT_LENGTH,
  normalizeChoices,
  normalizeLocale,
  parseServerFrame,
  reconnectDelay,
  sagaOf,
  RequestTracker,
  SeenMessages,
  shouldPollEvents,
  socketUrl,
} from '../../../web/chat/protocol.js';

const frame = (o: Record<string, unknown>) => JSON.stringify(o);

describe('parseServerFrame', () => {
  it('reads an answer', () => {
    const message = parseServerFrame(frame({ kind: 'answer', text: 'Tu saldo es:\n• $1,000.00 MXN', correlation_id: 'corr-1', locale: 'es' }));

    expect(message).toMatchObject({ kind: 'answer', text: 'Tu saldo es:\n• $1,000.00 MXN', correlationId: 'corr-1', locale: 'es', choices: [], origin: 'server' });
    expect(message).not.toHaveProperty('purchaseId');
    expect(message).not.toHaveProperty('expiresAt');
  });

  it('reads a confirmation with its choices and expiry', () => {
    const message = parseServerFrame(
      frame({
        kind: 'confirmation',
        text: '¿Confirmas la transferencia de $100.00 MXN?',
        correlation_id: 'corr-2',
        locale: 'es',
        choices: [
          { label: 'Sí', value: 'sí' },
          { label: 'No', value: 'no' },
        ],
        expires_at: '2026-11-22T16:05:00.000Z',
        confirmation_id: 'cfm_q3Zb7tWk1mV9cX2nR5yH0a',
      }),
    );

    expect(message).toMatchObject({
      kind: 'confirmation',
      correlationId: 'corr-2',
      choices: [
        { label: 'Sí', value: 'sí' },
        { label: 'No', value: 'no' },
      ],
      expiresAt: '2026-11-22T16:05:00.000Z',
      expiresAtMs: Date.parse('2026-11-22T16:05:00.000Z'),
      confirmationId: 'cfm_q3Zb7tWk1mV9cX2nR5yH0a',
    });
  });

  it('reads a confirmation without an id (an older server) as one without', () => {
    expect(parseServerFrame(frame({ kind: 'confirmation', text: 'OK?', correlation_id: 'c', confirmation_id: '' }))).not.toHaveProperty('confirmationId');
  });

  it.each([
    ['es', [{ label: 'Sí', value: 'sí' }, { label: 'No', value: 'no' }]],
    ['en', [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }]],
  ] as const)('gives a confirmation without choices Yes/No buttons in its locale (%s)', (locale, choices) => {
    expect(parseServerFrame(frame({ kind: 'confirmation', text: 'OK?', correlation_id: 'c', locale })).choices).toEqual(choices);
  });

  it('reads a question with choices', () => {
    const message = parseServerFrame(frame({ kind: 'question', text: 'Which account?', correlation_id: 'corr-3', locale: 'en', choices: [{ label: 'Debit ••4821', value: 'debit 4821' }] }));

    expect(message).toMatchObject({ kind: 'question', locale: 'en', choices: [{ label: 'Debit ••4821', value: 'debit 4821' }] });
  });

  it('reads an error', () => {
    expect(parseServerFrame(frame({ kind: 'error', text: 'No pude completar la compra.', correlation_id: 'corr-4', locale: 'es' }))).toMatchObject({
      kind: 'error',
      text: 'No pude completar la compra.',
      correlationId: 'corr-4',
      origin: 'server',
    });
    expect(parseServerFrame(frame({ kind: 'error', correlation_id: 'corr-4' })).text).toBe('Llegó una respuesta vacía.');
  });

  it('takes the purchase id and the data of an answer', () => {
    const message = parseServerFrame(frame({ kind: 'answer', text: 'Procesando', correlation_id: 'c', purchase_id: 'pur_1', data: { total: 100 } }));
    expect(message).toMatchObject({ purchaseId: 'pur_1', data: { total: 100 } });
    expect(parseServerFrame(frame({ kind: 'answer', text: 'x', data: { purchase_id: 'pur_2' } })).purchaseId).toBe('pur_2');
  });

  it('takes a SPEI transfer’s id, and names the saga each message is about', () => {
    // Act
    const transfer = parseServerFrame(frame({ kind: 'answer', text: 'Envié', correlation_id: 'c', transfer_id: 'spei-abc' }));
    const purchase = parseServerFrame(frame({ kind: 'answer', text: 'Listo', correlation_id: 'c', purchase_id: 'pur_1' }));
    const plain = parseServerFrame(frame({ kind: 'answer', text: 'Hola', correlation_id: 'c' }));

    // Assess
    expect(transfer).toMatchObject({ transferId: 'spei-abc' });
    expect([sagaOf(transfer), sagaOf(purchase), sagaOf(plain)]).toEqual([{ machine: 'spei-transfer', id: 'spei-abc' }, { machine: 'purchase', id: 'pur_1' }, undefined]);
  });

  it.each<[string, unknown, string | undefined]>([
    ['an https link', 'https://centli.example/approve.html?id=ap_1', 'https://centli.example/approve.html?id=ap_1'],
    ['the local stack’s http link', 'http://127.0.0.1:4010/chat/approve.html?id=ap_1', 'http://127.0.0.1:4010/chat/approve.html?id=ap_1'],
    ['a javascript: URL', 'javascript:alert(1)', undefined],
    ['text that is no URL', 'approve.html', undefined],
    ['a number', 7, undefined],
  ])('takes an approval link only as an http(s) URL: %s', (_case, approvalUrl, expected) => {
    expect(parseServerFrame(frame({ kind: 'answer', text: 'Apruébalo', approval_url: approvalUrl })).approvalUrl).toBe(expected);
  });

  it.each([
    ['Forbidden', 'es', 'El servidor no aceptó el mensaje (Forbidden).'],
    ['Forbidden', 'en', 'The server did not accept the message (Forbidden).'],
    ['Internal server error', 'es', 'Ocurrió un error en el servidor al procesar tu mensaje. Inténtalo de nuevo.'],
    ['Internal server error', 'en', 'Something went wrong on the server while handling your message. Please try again.'],
    ['Endpoint request timed out', 'es', 'El servidor respondió con un error: Endpoint request timed out'],
  ] as const)('shows API Gateway’s “%s” frame as an error, in the page’s language (%s)', (gatewayMessage, locale, text) => {
    const message = parseServerFrame(frame({ message: gatewayMessage, connectionId: 'L0SM9cOFvHcCIhw=', requestId: 'L0SM9FQ6vHcFeQQ=' }), { locale });

    expect(message).toMatchObject({ kind: 'error', text, origin: 'gateway', gatewayMessage, requestId: 'L0SM9FQ6vHcFeQQ=', choices: [] });
    expect(message).not.toHaveProperty('correlationId');
  });

  it.each([['not json'], ['[1,2]'], ['42'], ['null'], ['"text"']])('shows a frame it cannot read (%s) as an error', (raw) => {
    expect(parseServerFrame(raw)).toMatchObject({ kind: 'error', text: 'Llegó una respuesta que no se pudo leer.', origin: 'invalid', raw });
    expect(parseServerFrame(raw, { locale: 'en' }).text).toBe('A reply arrived that could not be read.');
  });

  it('treats an unknown kind with text as an answer, and one without text as an error', () => {
    expect(parseServerFrame(frame({ kind: 'notice', text: 'Hola', correlation_id: 'c' })).kind).toBe('answer');
    expect(parseServerFrame(frame({ kind: 'ANSWER', text: 'Hola' })).kind).toBe('answer');
    expect(parseServerFrame(frame({ correlation_id: 'c' })).kind).toBe('error');
  });

  it('normalises the locale and ignores an expiry it cannot read', () => {
    expect(parseServerFrame(frame({ kind: 'answer', text: 'Hi', locale: 'en-US' })).locale).toBe('en');
    expect(parseServerFrame(frame({ kind: 'answer', text: 'Hi', locale: 'fr' }), { locale: 'en' }).locale).toBe('en');
    expect(parseServerFrame(frame({ kind: 'answer', text: 'Hola' }))).not.toHaveProperty('locale');
    expect(parseServerFrame(frame({ kind: 'confirmation', text: 'OK?', expires_at: 'soon' }))).not.toHaveProperty('expiresAt');
  });

  it('keeps text as text: markup is not interpreted', () => {
    const text = '<img src=x onerror=alert(1)> <script>alert(2)</script>';
    expect(parseServerFrame(frame({ kind: 'answer', text })).text).toBe(text);
  });

  it('accepts a frame already parsed', () => {
    expect(parseServerFrame({ kind: 'answer', text: 'Hola', correlation_id: 'c' })).toMatchObject({ kind: 'answer', correlationId: 'c' });
  });
});

describe('normalizeChoices', () => {
  it('keeps label and value, accepts bare strings, drops blanks', () => {
    expect(normalizeChoices([{ label: 'Sí', value: 'sí' }, 'No', { label: 'Débito', value: 4821 }, { value: 'only-value' }, { label: '  ' }, null, 7])).toEqual([
      { label: 'Sí', value: 'sí' },
      { label: 'No', value: 'No' },
      { label: 'Débito', value: '4821' },
      { label: 'only-value', value: 'only-value' },
      { label: '7', value: '7' },
    ]);
    expect(normalizeChoices(undefined)).toEqual([]);
  });
});

describe('normalizeLocale', () => {
  it.each([
    ['es', 'es'],
    ['ES-mx', 'es'],
    ['en_GB', 'en'],
    ['pt', 'es'],
    [undefined, 'es'],
  ])('%s → %s', (value, expected) => {
    expect(normalizeLocale(value)).toBe(expected);
  });
});

describe('buildMessageFrame', () => {
  it('builds a message', () => {
    expect(JSON.parse(buildMessageFrame('¿Cuál es mi saldo?')!)).toEqual({ action: 'message', text: '¿Cuál es mi saldo?' });
  });

  it('answers a button with the value and the correlation id of the message that offered it', () => {
    expect(JSON.parse(buildMessageFrame('sí', 'corr-2')!)).toEqual({ action: 'message', text: 'sí', reply_to: 'corr-2' });
  });

  it('answers a confirmation’s button with the confirmation’s id too', () => {
    expect(JSON.parse(buildMessageFrame('sí', 'corr-2', 'cfm_q3Zb7tWk1mV9cX2nR5yH0a')!)).toEqual({ action: 'message', text: 'sí', reply_to: 'corr-2', confirmation_id: 'cfm_q3Zb7tWk1mV9cX2nR5yH0a' });
    expect(JSON.parse(buildMessageFrame('no', undefined, 'cfm_q3Zb7tWk1mV9cX2nR5yH0a')!)).toEqual({ action: 'message', text: 'no', confirmation_id: 'cfm_q3Zb7tWk1mV9cX2nR5yH0a' });
  });

  it('trims, refuses blanks and caps the length', () => {
    expect(JSON.parse(buildMessageFrame('  hola \n')!).text).toBe('hola');
    expect(buildMessageFrame('   ')).toBeUndefined();
    expect(buildMessageFrame(undefined)).toBeUndefined();
    expect(JSON.parse(buildMessageFrame('a'.repeat(MAX_TEXT_LENGTH + 50))!).text).toHaveLength(MAX_TEXT_LENGTH);
  });
});

describe('socketUrl', () => {
  it('adds the token to the configured URL', () => {
    expect(socketUrl('ws://127.0.0.1:4010/ws', 'a.b.c')).toBe('ws://127.0.0.1:4010/ws?token=a.b.c');
    expect(socketUrl('wss://x.execute-api.us-east-1.amazonaws.com/dev?v=1', 'a+b')).toBe('wss://x.execute-api.us-east-1.amazonaws.com/dev?v=1&token=a%2Bb');
  });
});

describe('reconnectDelay', () => {
  it('doubles from the base, between half and all of it, up to the cap', () => {
    expect(reconnectDelay(1, { random: () => 0 })).toBe(250);
    expect(reconnectDelay(1, { random: () => 1 })).toBe(500);
    expect(reconnectDelay(3, { random: () => 1 })).toBe(2000);
    expect(reconnectDelay(20, { random: () => 1 })).toBe(15_000);
    for (let attempt = 1; attempt < 12; attempt++) {
      const delay = reconnectDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(Math.min(15_000, 500 * 2 ** (attempt - 1)) / 2);
      expect(delay).toBeLessThanOrEqual(15_000);
    }
  });
});

describe('a notice', () => {
  it('is read as one, and the request under way is still waiting for its answer', () => {
    // Prepare
    const tracker = new RequestTracker();
    tracker.send(1000);
    const notice = parseServerFrame(frame({ kind: 'answer', text: 'Recibiste $550.00 MXN de «Juan Pérez» («BBVA»): «renta diciembre», en tu cuenta ****4821.', correlation_id: 'spei-BBVA1', locale: 'es', message_id: 'notice.spei-in-BBVA1', notice: true }));

    // Act
    const seen = tracker.receive(notice, 1200);

    // Assess
    expect(notice).toMatchObject({ notice: true, messageId: 'notice.spei-in-BBVA1' });
    expect(seen).toEqual({ newCorrelation: false, correlationId: undefined });
    expect(tracker).toMatchObject({ waiting: true, phase: 'waiting' });
    expect(parseServerFrame(frame({ kind: 'answer', text: 'x', notice: 'yes' }))).not.toHaveProperty('notice');
  });
});

describe('RequestTracker', () => {
  it('waits after a message and learns the request’s correlation id from the first reply', () => {
    const tracker = new RequestTracker();
    expect(tracker.waiting).toBe(false);

    tracker.send(1000);
    expect(tracker).toMatchObject({ waiting: true, correlationId: undefined, phase: 'waiting' });

    expect(tracker.receive({ kind: 'answer', correlationId: 'corr-1' }, 1500)).toEqual({ newCorrelation: true, correlationId: 'corr-1' });
    expect(tracker).toMatchObject({ waiting: false, correlationId: 'corr-1', phase: 'answered', answeredAt: 1500, awaitingCustomer: false });

    expect(tracker.receive({ kind: 'answer', correlationId: 'corr-1', purchaseId: 'pur_1' })).toEqual({ newCorrelation: false, correlationId: 'corr-1' });
    expect(tracker.purchaseId).toBe('pur_1');
  });

  it('knows when the assistant waits for the customer', () => {
    const tracker = new RequestTracker();
    tracker.send();
    tracker.receive({ kind: 'confirmation', correlationId: 'corr-2' });
    expect(tracker.awaitingCustomer).toBe(true);
    tracker.send();
    expect(tracker.correlationId).toBeUndefined();
    tracker.receive({ kind: 'answer', correlationId: 'corr-2' });
    expect(tracker).toMatchObject({ awaitingCustomer: false, correlationId: 'corr-2' });
  });

  it('stops waiting on an error frame that names no request', () => {
    const tracker = new RequestTracker();
    tracker.send();
    tracker.receive({ kind: 'answer', correlationId: 'corr-1' });
    tracker.send();
    tracker.receive({ kind: 'error' });
    expect(tracker).toMatchObject({ waiting: false, correlationId: undefined });
  });

  it('gives up waiting when the socket drops', () => {
    const tracker = new RequestTracker();
    expect(tracker.abandon()).toBe(false);
    tracker.send();
    expect(tracker.abandon()).toBe(true);
    expect(tracker.waiting).toBe(false);
  });
});

describe('shouldPollEvents', () => {
  it('polls while a reply is awaited, a few times after it, and while the saga runs', () => {
    expect(shouldPollEvents({ correlationId: undefined, waiting: true, pollsSinceAnswer: 0 })).toBe(false);
    expect(shouldPollEvents({ correlationId: 'c', waiting: true, pollsSinceAnswer: 99 })).toBe(true);
    expect(shouldPollEvents({ correlationId: 'c', waiting: false, pollsSinceAnswer: 5 })).toBe(true);
    expect(shouldPollEvents({ correlationId: 'c', waiting: false, pollsSinceAnswer: 6 })).toBe(false);
    expect(shouldPollEvents({ correlationId: 'c', waiting: false, pollsSinceAnswer: 6, sagaRunning: true })).toBe(true);
    expect(shouldPollEvents({ correlationId: 'c', waiting: false, pollsSinceAnswer: 2, afterPolls: 2 })).toBe(false);
  });
});

describe('SeenMessages', () => {
  it('takes a message_id once and drops its repeats, remembering the last `limit` ids', () => {
    const seen = new SeenMessages(2);
    expect([seen.firstTime('a'), seen.firstTime('a'), seen.firstTime('b'), seen.firstTime(undefined), seen.firstTime(undefined)]).toEqual([true, false, true, true, true]);
    seen.firstTime('c');
    expect([seen.firstTime('a'), seen.firstTime('c')]).toEqual([true, false]);
  });

  it('reads the message_id of a frame', () => {
    expect(parseServerFrame(JSON.stringify({ kind: 'answer', text: 'x', correlation_id: 'chat-1', message_id: 'chat-1.2.0' })).messageId).toBe('chat-1.2.0');
  });
});
