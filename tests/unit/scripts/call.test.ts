/** `npm run call`'s arguments and how a line of standard input becomes the caller's act. */
import { callerInputOf, parseArguments } from '../../../scripts/call';

describe('npm run call', () => {
  it('takes the phone, the contact’s language (es-MX unless said) and --speak with or without a folder', () => {
    expect(parseArguments(['--phone', '+52 55 1234 5678'])).toEqual({ phone: '+52 55 1234 5678', language: 'es-MX' });
    expect(parseArguments(['--phone', '+1 555', '--language', 'en-US', '--speak'])).toEqual({ phone: '+1 555', language: 'en-US', speak: true });
    expect(parseArguments(['--speak', './call', '--phone', '+1 555'])).toEqual({ phone: '+1 555', language: 'es-MX', speak: './call' });
  });

  it.each([[[]], [['--phone']], [['--phone', '+1', '--language', 'español']], [['--phone', '+1', '--voice-bot', 'x']]])('refuses %j', (argv) => {
    expect(() => parseArguments(argv)).toThrow(/usage: npm run call/);
  });

  it('reads dtmf:<digits> as the keypad and anything else as speech', () => {
    expect(callerInputOf('dtmf:2468#')).toEqual({ dtmf: '2468#' });
    expect(callerInputOf('  DTMF: 1 ')).toEqual({ dtmf: '1' });
    expect(callerInputOf('¿cuál es mi saldo?')).toEqual({ speech: '¿cuál es mi saldo?' });
    expect(callerInputOf('dtmf:uno')).toEqual({ speech: 'dtmf:uno' });
  });
});
