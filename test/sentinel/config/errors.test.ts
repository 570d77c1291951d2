import { describe, expect, it } from 'vitest';
import { parseSentinelConf, ConfigFileError } from '../../../engine/sentinel/config/index.ts';
import { readFixture } from './fixtures.ts';

function failure(text: string, opts: Parameters<typeof parseSentinelConf>[1] = {}): ConfigFileError {
  try {
    parseSentinelConf(text, opts);
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error('expected a ConfigFileError');
}

const M = 'sentinel monitor m 127.0.0.1 6379 2';

describe('FATAL CONFIG FILE ERROR format', () => {
  it('matches the oracle sample byte for byte', () => {
    const e = failure('port 26379\nsentinel monitor m 127.0.0.1 1 0\n');
    expect(e.stderrText).toBe(
      '\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n' +
        'Reading the configuration file, at line 2\n' +
        ">>> 'sentinel monitor m 127.0.0.1 1 0'\n" +
        'Quorum must be 1 or greater.\n',
    );
    expect(e.message).toBe(e.stderrText.slice(1, -1));
    expect([e.line, e.lineText, e.reason]).toEqual([2, 'sentinel monitor m 127.0.0.1 1 0', 'Quorum must be 1 or greater.']);
    expect(e).toBeInstanceOf(Error);
    // redis-server's loader and error, as in Redis (one config.c for both modes)
    expect(e.name).toBe('ConfigFileError');
  });

  it('matches the other oracle samples', () => {
    expect(failure('port 1\nmaxmemory lots').message).toBe(
      '*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n' +
        ">>> 'maxmemory lots'\nargument must be a memory value",
    );
    expect(failure('port 1\nfoo bar').message).toBe(
      '*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n' +
        ">>> 'foo bar'\nBad directive or wrong number of arguments",
    );
  });

  it('echoes the trimmed line and keeps the path', () => {
    const e = failure('\n   sentinel   monitor m 127.0.0.1 1 0 \t\r\n', { path: '/etc/s.conf' });
    expect([e.line, e.lineText, e.file]).toEqual([2, 'sentinel   monitor m 127.0.0.1 1 0', '/etc/s.conf']);
  });
});

describe('sentinel directive errors', () => {
  const cases: [string, string, number, string][] = [
    ['quorum 0', 'sentinel monitor m 127.0.0.1 6379 0', 1, 'Quorum must be 1 or greater.'],
    ['quorum not a number', 'sentinel monitor m 127.0.0.1 6379 two', 1, 'Quorum must be 1 or greater.'],
    ['duplicate master', `${M}\n${M}`, 2, 'Duplicate master name.'],
    ['port too big', 'sentinel monitor m 127.0.0.1 65536 1', 1, 'Invalid port number.'],
    ['host name without resolve-hostnames', 'sentinel monitor m localhost 6379 1', 1, "Can't resolve instance hostname."],
    ['monitor with 3 arguments', 'sentinel monitor m 127.0.0.1 6379', 1, 'Unrecognized sentinel configuration statement.'],
    ['unknown subcommand', 'sentinel frobnicate m', 1, 'Unrecognized sentinel configuration statement.'],
    ['quorum is not a directive', `${M}\nsentinel quorum m 3`, 2, 'Unrecognized sentinel configuration statement.'],
    ['wrong arity', `${M}\nsentinel down-after-milliseconds m`, 2, 'Unrecognized sentinel configuration statement.'],
    ['unknown master', `${M}\nsentinel down-after-milliseconds x 100`, 2, 'No such master with specified name.'],
    ['unknown master (known-replica)', 'sentinel known-replica x 127.0.0.1 1', 1, 'No such master with specified name.'],
    ['down-after 0', `${M}\nsentinel down-after-milliseconds m 0`, 2, 'negative or zero time parameter.'],
    ['down-after garbage', `${M}\nsentinel down-after-milliseconds m soon`, 2, 'negative or zero time parameter.'],
    ['failover-timeout negative', `${M}\nsentinel failover-timeout m -5`, 2, 'negative or zero time parameter.'],
    ['reboot period negative', `${M}\nsentinel master-reboot-down-after-period m -1`, 2, 'negative time parameter.'],
    ['short myid', 'sentinel myid abc', 1, 'Malformed Sentinel id in myid option.'],
    ['duplicate replica', `${M}\nsentinel known-replica m 127.0.0.1 1\nsentinel known-slave m 127.0.0.1 1`, 3, 'Duplicate hostname and port for replica.'],
    ['replica bad port', `${M}\nsentinel known-replica m 127.0.0.1 -1`, 2, 'Invalid port number.'],
    ['duplicate sentinel runid', `${M}\nsentinel known-sentinel m 127.0.0.1 1 aa\nsentinel known-sentinel m 127.0.0.2 2 aa`, 3, 'Duplicate runid for sentinel.'],
    ['renamed twice', `${M}\nsentinel rename-command m config a\nsentinel rename-command m CONFIG b`, 3, 'Same command renamed multiple times with rename-command.'],
    ['deny-scripts-reconfig', 'sentinel deny-scripts-reconfig maybe', 1, 'Please specify yes or no for the deny-scripts-reconfig options.'],
    ['resolve-hostnames', 'sentinel resolve-hostnames 1', 1, 'Please specify yes or no for the resolve-hostnames option.'],
    ['announce-hostnames', 'sentinel announce-hostnames on', 1, 'Please specify yes or no for the announce-hostnames option.'],
  ];

  it.each(cases)('%s', (_name, text, line, reason) => {
    const e = failure(text);
    expect(e.reason).toBe(reason);
    expect(e.line).toBe(line);
    expect(e.lineText).toBe(text.split('\n')[line - 1]);
  });

  it('checks script paths with the given access test', () => {
    const isExecutable = (p: string): boolean => p === '/ok.sh';
    expect(failure(`${M}\nsentinel notification-script m /no.sh`, { isExecutable }).reason).toBe(
      'Notification script seems non existing or non executable.',
    );
    expect(failure(`${M}\nsentinel client-reconfig-script m /no.sh`, { isExecutable }).reason).toBe(
      'Client reconfiguration script seems non existing or non executable.',
    );
    expect(() => parseSentinelConf(`${M}\nsentinel notification-script m /ok.sh`, { isExecutable })).not.toThrow();
  });

  it('reports the first failing directive in load order: pre-monitor, monitor, rest', () => {
    const text = ['sentinel down-after-milliseconds m 0', M, 'sentinel monitor m2 127.0.0.1 1 0', 'sentinel myid x'].join('\n');
    expect(failure(text).line).toBe(4);
    expect(failure(text.replace('sentinel myid x', '')).line).toBe(3);
    expect(failure(text.replace('sentinel myid x', '').replace(' 1 0', ' 1 1')).line).toBe(1);
  });

  it('reports generic errors before any Sentinel directive is applied', () => {
    const e = failure('sentinel monitor m 127.0.0.1 1 0\nfoo bar');
    expect([e.line, e.reason]).toEqual([2, 'Bad directive or wrong number of arguments']);
  });

  it('the seed files are valid', () => {
    expect(() => parseSentinelConf(readFixture('seed/sentinel2.conf'))).not.toThrow();
  });
});

describe('generic directive errors', () => {
  const cases: [string, string, string][] = [
    ['unbalanced quotes', 'logfile "a.log', 'Unbalanced quotes in configuration line'],
    ['glued closing quote', 'logfile "a"b', 'Unbalanced quotes in configuration line'],
    ['unknown directive', 'foo bar', 'Bad directive or wrong number of arguments'],
    ['include arity', 'include a b', 'Bad directive or wrong number of arguments'],
    ['rename-command arity', 'rename-command a', 'Bad directive or wrong number of arguments'],
    ['single-argument option arity', 'port 1 2', 'wrong number of arguments'],
    ['trailing comment', 'port 26379 # default', 'wrong number of arguments'],
    ['bool', 'daemonize maybe', "argument must be 'yes' or 'no'"],
    ['integer', 'port abc', "argument couldn't be parsed into an integer"],
    ['integer bounds', 'port 70000', 'argument must be between 0 and 65535 inclusive'],
    ['unsigned bounds', 'maxclients 0', 'argument must be between 1 and 4294967295 inclusive'],
    ['memory', 'maxmemory lots', 'argument must be a memory value'],
    ['memory or percent', 'maxmemory-clients x', 'argument must be a memory or percent value'],
    ['percent bound', 'maxmemory-clients 101%', 'percentage argument must be less or equal to 100'],
    ['octal', 'unixsocketperm 9', "argument couldn't be parsed as an octal number"],
    ['enum', 'loglevel loud', 'argument(s) must be one of the following: debug, verbose, notice, warning'],
    ['dbfilename', 'dbfilename a/b.rdb', "dbfilename can't be a path, just a filename"],
    ['save', 'save 60', 'Invalid save parameters'],
    ['bind', `bind ${'1.1.1.1 '.repeat(17)}`, 'Too many bind addresses specified.'],
    ['percentiles', 'latency-tracking-info-percentiles 50 x', 'Invalid latency-tracking-info-percentiles parameters'],
    ['percentiles range', 'latency-tracking-info-percentiles 101', 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]'],
    ['module option', 'mymodule.opt', 'Module config specified without value'],
    // checked against Sentinel mode's command table (real redis-server --sentinel refuses KEYS and CONFIG)
    ['rename of a server-only command', 'rename-command KEYS ""', 'No such command in rename-command'],
    ['rename of CONFIG', 'rename-command CONFIG x', 'No such command in rename-command'],
    ['rename onto an existing command', 'rename-command ROLE PING', 'Target command name already exists'],
    ['duplicate user', 'user a on\nuser a off', "Error in user declaration 'a': Duplicate user found. A user can only be defined once in config files"],
    // Redis names argv[j] for the j-th rule: the word "user" for the first rule.
    ['bad ACL rule', 'user a on foo', "Error in user declaration 'a': Syntax error"],
    ['bad password hash', 'user a #abc', "Error in user declaration 'user': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"],
  ];

  it.each(cases)('%s', (_name, text, reason) => {
    const e = failure(text);
    const lines = text.split('\n');
    expect(e.reason).toBe(reason);
    expect(e.line).toBe(lines.length);
    expect(e.lineText).toBe(lines[lines.length - 1]!.trim());
  });
});
