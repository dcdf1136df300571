/**
 * What the voice door keeps of a call between the caller's utterances, in
 * centli-voice-calls-<stage> (VOICE_CALLS_TABLE, PK `pk`): one item per Amazon Connect contact
 * (`call#<contact id>`) with the verified customer, the conversation's open turn and the rest of
 * a list the caller may ask to hear, and, beside them, the read-backs' pending confirmations
 * (`cf_<hash>`, lib/tools/adapters/confirmation-store.ts), exactly as the chat keeps them in its
 * conversations table. Everything expires by TTL (`expires_at`); nothing here is ever read from
 * what the caller or Lex could set.
 *
 * A call moves on by one conditional write on its version, so two invocations racing on one
 * contact (Lex retrying a turn) cannot both record a transition: the second is told to retry.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Locale } from '@centli/pure/locale';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { putIfUnchanged } from '@centli/kit/versioned-put';
import type { Turn } from '@centli/tools/conversation';

/** How long a call's state is kept after its last utterance: as long as its caller token lives. */
export const CALL_TTL_SECONDS = 2 * 60 * 60;

export interface CallState {
  contact_id: string;
  /** The verified customer of the call: every turn of it acts for them and nobody else. */
  user_id: string;
  locale: Locale;
  /** The conversation's latest turn (asking, confirming, or done). */
  turn?: Turn;
  /** The rest of a list, already spoken, for when the caller says they want to hear more. */
  more?: string[];
}

export interface StoredCall extends CallState {
  pk: string;
  version: number;
  updated_at: string;
  /** Epoch seconds; the TTL attribute. */
  expires_at: number;
}

export const callKey = (contactId: string): string => `call#${contactId}`;

export class CallStore {
  constructor(
    private readonly tableName: string = requireEnv('VOICE_CALLS_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  async get(contactId: string): Promise<StoredCall | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: callKey(contactId) }, ConsistentRead: true }));
    return result.Item as StoredCall | undefined;
  }

  /**
   * Records the call as it is after an utterance, if nobody else moved it since `previous`.
   *
   * @throws ContentionError when another invocation recorded the call first.
   */
  async save(call: CallState, previous: StoredCall | undefined, now: Date): Promise<StoredCall> {
    const stored: StoredCall = {
      ...call,
      pk: callKey(call.contact_id),
      version: (previous?.version ?? 0) + 1,
      updated_at: now.toISOString(),
      expires_at: Math.floor(now.getTime() / 1000) + CALL_TTL_SECONDS,
    };
    await putIfUnchanged(this.db, this.tableName, stored, previous?.version, `call ${call.contact_id}`);
    return stored;
  }
}
