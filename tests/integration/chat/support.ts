/**
 * A chat client for the integration tests: a real WebSocket (`ws`) to the local stack's WebSocket
 * API, as a seeded customer (their demo token in `?token=`), speaking the chat's contract:
 * `{"action":"message","text":"…"}` out (with `reply_to` and `confirmation_id` for a button),
 * `{ kind, text, correlation_id, … }` back.
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
  confirmation_id?: string;
  purchase_id?: string;
  data?: { detail_type: string };
  message_id?: string;
  notice?: true;
}

export class ChatClient {
  readonly received: ServerMessage[] = [];
  private waiting: Array<(message: ServerMessage) => void> = [];
  private closed = false;
  /** Pushes of a message already received (the server's pushes are at least once). */
  repeats = 0;
  private readonly onClose: Array<() => void> = [];

  private constructor(
    readonly userId: string,
    private readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.received.push(message);
      // A repeated push (same message_id) is recorded but not taken as the next message, as the page drops it.
      if (message.message_id && this.received.filter((m) => m.message_id === message.message_id).length > 1) {
        this.repeats++;
        return;
      }
      const waiter = this.waiting.shift();
      waiter?.(message);
    });
    socket.on('close', () => {
      this.closed = true;
      for (const fail of this.onClose.splice(0)) fail();
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

  /** Sends a message and waits for the next thing the server says (that `wanted` accepts, when given). */
  async ask(text: string, extra: Record<string, unknown> = {}, timeoutMs = 20_000, wanted?: (message: ServerMessage) => boolean): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    let next = this.next(timeoutMs);
    this.socket.send(JSON.stringify({ action: 'message', text, ...extra }));
    for (;;) {
      const message = await next;
      if (!wanted || wanted(message)) return message;
      next = this.next(Math.max(1, deadline - Date.now()));
    }
  }

  /** The next message from the server. */
  next(timeoutMs = 20_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        this.waiting = this.waiting.filter((w) => w !== done);
        reject(new Error(`${this.userId}: ${why} (received so far: ${this.received.map((m) => m.text).join(' | ')})`));
      };
      const timer = setTimeout(() => fail(`no message within ${timeoutMs} ms`), timeoutMs);
      const done = (message: ServerMessage) => {
        clearTimeout(timer);
        resolve(message);
      };
      if (this.closed) return fail('the socket is closed');
      this.waiting.push(done);
      this.onClose.push(() => fail('the socket closed'));
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

  /** Whether the server closed the socket within `ms`. */
  async closedWithin(ms = 10_000): Promise<boolean> {
    if (this.closed) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Sends a message and drops the connection as soon as the frame has left (no close handshake), as
   * a phone losing its network does: whatever the server pushes for it finds the socket gone.
   */
  async sendAndDrop(text: string): Promise<void> {
    await new Promise<void>((resolve, reject) => this.socket.send(JSON.stringify({ action: 'message', text }), (error) => (error ? reject(error) : resolve())));
    this.socket.terminate();
  }
}
