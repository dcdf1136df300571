/**
 * A chat client for the integration tests: a real WebSocket (`ws`) to the local stack's WebSocket
 * API, as a seeded customer (their demo token in `?token=`), speaking the chat's contract:
 * `{"action":"message","text":"…"}` out, `{ kind, text, correlation_id, … }` back.
 */
import WebSocket from 'ws';
import { endpoints } from '../support';

export interface ServerMessage {
  kind: 'answer' | 'confirmation' | 'question' | 'error';
  text: string;
  correlation_id: string;
  locale: 'es' | 'en';
  choices?: Array<{ label: string; value: string }>;
  expires_at?: string;
  purchase_id?: string;
  data?: { detail_type: string };
}

export class ChatClient {
  readonly received: ServerMessage[] = [];
  private waiting: Array<(message: ServerMessage) => void> = [];

  private constructor(
    readonly userId: string,
    private readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.received.push(message);
      const waiter = this.waiting.shift();
      waiter?.(message);
    });
  }

  static async open(userId: string, token = endpoints().tokens[userId]): Promise<ChatClient> {
    const socket = new WebSocket(`${endpoints().websocket}?token=${encodeURIComponent(token ?? '')}`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_request, response) => reject(new Error(`handshake refused with ${response.statusCode}`)));
      socket.once('error', reject);
    });
    return new ChatClient(userId, socket);
  }

  /** Sends a message and waits for the next thing the server says. */
  async ask(text: string, extra: Record<string, unknown> = {}, timeoutMs = 20_000): Promise<ServerMessage> {
    const next = this.next(timeoutMs);
    this.socket.send(JSON.stringify({ action: 'message', text, ...extra }));
    return next;
  }

  /** The next message from the server. */
  next(timeoutMs = 20_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        reject(new Error(`${this.userId}: no message within ${timeoutMs} ms (received so far: ${this.received.map((m) => m.text).join(' | ')})`));
      }, timeoutMs);
      const done = (message: ServerMessage) => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiting.push(done);
    });
  }

  /** Waits a while and returns whatever arrived unasked (nothing, when all is well). */
  async quiet(ms = 1500): Promise<ServerMessage[]> {
    const before = this.received.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.received.slice(before);
  }

  close(): void {
    this.socket.close();
  }
}
