// Shared error replies of Redis 7.0.15 (server.c createSharedObjects), verbatim.
import { err, type Resp } from '../../net/resp.ts';
import { cstr } from '../commands/util.ts';

export const NOAUTH: Resp = err('NOAUTH Authentication required.');
export const OOM: Resp = err("OOM command not allowed when used memory > 'maxmemory'.");
export const NOREPLICAS: Resp = err('NOREPLICAS Not enough good replicas to write.');
export const READONLY: Resp = err("READONLY You can't write against a read only replica.");
export const MASTERDOWN: Resp = err("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
export const EXECABORT: Resp = err('EXECABORT Transaction discarded because of previous errors.');
export const SYNTAX: Resp = err('ERR syntax error');
export const NOT_INTEGER: Resp = err('ERR value is not an integer or out of range');
export const WRONGPASS: Resp = err('WRONGPASS invalid username-password pair or user is disabled.');
export const NO_MULTI: Resp = err('ERR Command not allowed inside a transaction');
export const REPLICA_KEYSPACE: Resp = err("ERR Replica can't interact with the keyspace");

/** "ERR unknown command '<name>', with args beginning with: '<a>' '<b>' " (commandCheckExistence). */
export function unknownCommand(argv: readonly string[]): Resp {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cstr(argv[i]!).slice(0, 128 - args.length)}' `; // "%.*s": stops at a NUL byte
  }
  return err(noNewlines(`ERR unknown command '${cstr(argv[0]!).slice(0, 128)}', with args beginning with: ${args}`));
}

/** "ERR unknown subcommand '<sub>'. Try <CONTAINER> HELP." */
export function unknownSubcommand(argv: readonly string[]): Resp {
  return err(noNewlines(`ERR unknown subcommand '${cstr(argv[1]!).slice(0, 128)}'. Try ${cstr(argv[0]!).toUpperCase()} HELP.`));
}

export function wrongArity(fullname: string): Resp {
  return err(`ERR wrong number of arguments for '${fullname}' command`);
}

/** Pub/sub context refusal (RESP2). */
export function pubsubContext(fullname: string): Resp {
  return err(
    `ERR Can't execute '${fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  );
}

/** execCommandAbort: a refusal of EXEC itself discards the transaction with this wrapper. */
export function execAbort(reason: Resp): Resp {
  const text = reason.t === 'error' ? reason.v : String(reason.v);
  return err(`EXECABORT Transaction discarded because of: ${text.startsWith('-') ? text.slice(1) : text}`);
}

export const DEBUG_NOT_ALLOWED: Resp = err(
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
);

export const MODULE_NOT_ALLOWED: Resp = err(
  'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
);

function noNewlines(s: string): string {
  return s.replace(/[\r\n]/g, ' ');
}
