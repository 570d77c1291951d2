// Client-side failures (as opposed to Redis error replies, which are ordinary `Resp` values).
import type { Resp } from '../net/resp.ts';
import type { CloseReason } from '../net/types.ts';

export type ClientErrorReason = CloseReason | 'not-running';

/** A call that got no reply: the connection failed or was closed before the reply arrived. */
export interface ClientError {
  readonly t: 'client-error';
  readonly reason: ClientErrorReason;
  readonly message: string;
}

const MESSAGES: Record<ClientErrorReason, string> = {
  refused: 'Connection refused',
  timeout: 'Connection timed out',
  reset: 'Connection reset by peer',
  closed: 'Server closed the connection',
  local: 'Connection closed by the client',
  'not-running': 'Client process is not running',
};

export function clientError(reason: ClientErrorReason): ClientError {
  return { t: 'client-error', reason, message: MESSAGES[reason] };
}

export function isClientError(r: Resp | ClientError | undefined | null): r is ClientError {
  return r != null && r.t === 'client-error';
}

/** Callback of a call: the reply (errors included), or a ClientError when no reply can come. */
export type ReplyCallback = (reply: Resp | ClientError) => void;
