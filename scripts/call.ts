/**
 * `npm run call -- --phone "<number>"`: a telephone in the terminal, against the running local
 * stack. It plays Amazon Connect's part by walking the contact flow that deploys
 * (services/voice/contact-flows/centli-inbound.json, local/connect.ts): the caller check runs as
 * the authenticate-caller function (through the stack's Lambda API) and the conversation goes to
 * the voice bot (through the stack's Lex V2 runtime), both with the unmodified AWS SDK clients.
 *
 *   npm run call -- --phone "+52 55 1234 5678" [--language es-MX|en-US] [--speak [<folder>]]
 *
 * Each line read from standard input is what the caller says, or `dtmf:<digits>` for the keypad
 * (`dtmf:2468#`); each thing Centli says is printed as its own line, `centli: <text>`, in plain
 * text. One line is handled at a time (its answers are printed before the next is read), so a
 * script can be piped in; the call ends at the end of input or when Centli hangs up.
 * `--language` is the contact's language in Connect (`es-MX` by default): the language Connect
 * tells the caller check and the bot's locale it asks for. `--speak` also writes what Centli says
 * as audio with espeak-ng, one numbered .wav per utterance, into the folder given (by default
 * `.centli/call-audio/<contact id>/`), and says where on standard error.
 *
 * The stack is found through .centli/local.json (or CENTLI_STATE_FILE).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { readLocalStackFile } from '@centli/kit/config';
import { flowSubstitutions, parseContactFlow, sdkParts, walkContactFlow, type CallerInput, type Telephone } from '../local/connect';
import { loadServiceConfig, REPOSITORY_ROOT } from '../local/serverless-config';

const USAGE = 'usage: npm run call -- --phone "<number>" [--language es-MX|en-US] [--speak [<folder>]]';
const VOICE_DIR = join(REPOSITORY_ROOT, 'services', 'voice');
const FLOW_FILE = join(VOICE_DIR, 'contact-flows', 'centli-inbound.json');
/** The flow's resource in services/voice/serverless.yml, whose Fn::Sub names the function and the bot alias. */
const FLOW_RESOURCE = 'InboundContactFlow';
/** The number the caller dialled: the local stand-in for the instance's claimed number. */
const CENTLI_NUMBER = '+525500000000';

interface Options {
  phone: string;
  language: string;
  speak?: string | true;
}

export function parseArguments(argv: readonly string[]): Options {
  let phone: string | undefined;
  let language = 'es-MX';
  let speak: string | true | undefined;
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const next = argv[index + 1];
    if (flag === '--phone' && next !== undefined) {
      phone = next;
      index++;
    } else if (flag === '--language' && next !== undefined) {
      language = next;
      index++;
    } else if (flag === '--speak') {
      if (next !== undefined && !next.startsWith('--')) {
        speak = next;
        index++;
      } else speak = true;
    } else throw new Error(`unknown argument ${String(flag)}\n${USAGE}`);
  }
  if (!phone) throw new Error(`--phone is required\n${USAGE}`);
  if (!/^[a-z]{2}(-[A-Za-z0-9]+)?$/.test(language)) throw new Error(`--language must be a language code such as es-MX or en-US, got "${language}"\n${USAGE}`);
  return { phone, language, ...(speak === undefined ? {} : { speak }) };
}

/** A line of standard input as the caller's act: `dtmf:<digits>` is the keypad, anything else speech. */
export function callerInputOf(line: string): CallerInput {
  const keypad = /^dtmf:\s*([0-9*#]*)\s*$/i.exec(line.trim());
  return keypad ? { dtmf: keypad[1] ?? '' } : { speech: line.trim() };
}

/** The terminal as a telephone: stdin lines in, `centli: ` lines out (and a wav per line with --speak). */
function terminalTelephone(options: { speakDir?: string; language: string }): Telephone & { close(): void } {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })[Symbol.asyncIterator]();
  let spoken = 0;
  return {
    hear(text) {
      process.stdout.write(`centli: ${text}\n`);
      if (options.speakDir) {
        spoken += 1;
        const file = join(options.speakDir, `${String(spoken).padStart(3, '0')}.wav`);
        const voice = options.language.toLowerCase().startsWith('en') ? 'en-us' : 'es-419';
        const run = spawnSync('espeak-ng', ['-v', voice, '-w', file, text], { encoding: 'utf8' });
        if (run.error || run.status !== 0) process.stderr.write(`espeak-ng could not speak (${run.error?.message ?? run.stderr.trim()}); install it with apt-get install espeak-ng\n`);
      }
    },
    async listen() {
      for (;;) {
        const next = await lines.next();
        if (next.done) return undefined;
        // A blank line is the caller saying nothing: the line stays open.
        if (next.value.trim() !== '') return callerInputOf(next.value);
      }
    },
    close() {
      void lines.return?.();
      // Centli may hang up before the script's last line: what is left of the input is not read.
      process.stdin.destroy();
    },
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const stack = readLocalStackFile();
  if (!stack) {
    process.stderr.write('no running local stack: start one with npm start (its endpoints are in .centli/local.json)\n');
    return 1;
  }
  if (!stack.lex || !stack.bots || stack.bots.length === 0) {
    process.stderr.write('the running local stack serves no Lex V2 bot: start it again from a checkout whose services/voice declares one\n');
    return 1;
  }
  const region = stack.region ?? 'us-east-1';
  const voice = loadServiceConfig(join(VOICE_DIR, 'serverless.yml'), { stage: 'local' });
  const flow = parseContactFlow(readFileSync(FLOW_FILE, 'utf8'), flowSubstitutions(voice, FLOW_RESOURCE, stack.bots, region));
  const contactId = randomUUID();
  let speakDir: string | undefined;
  if (options.speak) {
    speakDir = resolve(options.speak === true ? join(REPOSITORY_ROOT, '.centli', 'call-audio', contactId) : options.speak);
    mkdirSync(speakDir, { recursive: true });
    process.stderr.write(`what Centli says is written as .wav files into ${speakDir}\n`);
  }
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const lambda = new LambdaClient({ endpoint: stack.http, region, credentials });
  const lex = new LexRuntimeV2Client({ endpoint: stack.lex, region, credentials });
  const telephone = terminalTelephone({ language: options.language, ...(speakDir ? { speakDir } : {}) });
  try {
    await walkContactFlow(flow, {
      contactId,
      callerNumber: options.phone,
      systemNumber: CENTLI_NUMBER,
      languageCode: options.language,
      instanceArn: `arn:aws:connect:${region}:000000000000:instance/local`,
      telephone,
      parts: sdkParts({ lambda, lex }),
    });
    return 0;
  } finally {
    telephone.close();
    lambda.destroy();
    lex.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
