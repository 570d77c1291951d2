// Error texts that quote a client argument, as Redis 7.0.15 prints them with "%s": the argument stops
// at its first NUL byte, and CR / LF become spaces (addReplyErrorFormat). Found by the differential
// test (test/redis/differential.test.ts); expected replies are the real server's.
import { describe, expect, it } from 'vitest';
import { err, type Resp } from '../../../engine/net/resp.ts';
import { genericCommands } from '../../../engine/redis/commands/generic.ts';
import { stringsCommands } from '../../../engine/redis/commands/strings.ts';
import { unknownCommand, unknownSubcommand } from '../../../engine/redis/server/errors.ts';
import { createHarness } from '../harness.ts';

describe('error texts quoting an argument', () => {
  const rows: [string[], Resp][] = [
    [['set', 'k', 'v'], { t: 'simple', v: 'OK' }],
    [['expire', 'k', '100', 'f\0oo'], err('ERR Unsupported option f')],
    [['expire', 'k', '100', 'a\r\nb'], err('ERR Unsupported option a  b')],
    [['pexpire', 'k', '100', '\0'], err('ERR Unsupported option ')],
    [['object', 'f\0o\r\n'], err("ERR unknown subcommand 'f'. Try OBJECT HELP.")],
    [['object', 'a\r\nb', 'k'], err("ERR unknown subcommand 'a  b'. Try OBJECT HELP.")],
  ];
  it.each(rows)('%j', (...[argv, want]) => {
    const h = createHarness([...stringsCommands, ...genericCommands]);
    h.run('set', 'k', 'v');
    expect(h.run(...argv)).toEqual(want);
  });

  const unknown: [string[], string][] = [
    [['foo', 'k5', 'a\0b'], "ERR unknown command 'foo', with args beginning with: 'k5' 'a' "],
    [['ab\0c', 'x'], "ERR unknown command 'ab', with args beginning with: 'x' "],
    [['a\r\nb', '\0'], "ERR unknown command 'a  b', with args beginning with: '' "],
  ];
  it.each(unknown)('unknown command %j', (argv, want) => {
    expect(unknownCommand(argv)).toEqual(err(want));
  });

  it('unknown subcommand of a container', () => {
    expect(unknownSubcommand(['config', 'g\0et'])).toEqual(err("ERR unknown subcommand 'g'. Try CONFIG HELP."));
  });
});
