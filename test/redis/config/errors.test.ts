/**
 * Fatal configuration errors: every text below was printed by real redis-server 7.0.15
 * (Debian build) for the same file.
 */
import { describe, expect, it } from 'vitest';
import { ConfigFileError, parseRedisConf } from '../../../engine/redis/config/index.ts';
import { readFixture } from './fixtures.ts';

function fails(text: string, opts = {}): ConfigFileError {
  try {
    parseRedisConf(text, opts);
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error('expected a ConfigFileError');
}

describe('the printed block', () => {
  it('matches the oracle sample', () => {
    const e = fails('port 7003\nmaxmemory lots\n');
    const expected = [
      '*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***',
      'Reading the configuration file, at line 2',
      ">>> 'maxmemory lots'",
      'argument must be a memory value',
    ].join('\n');
    expect(e.message).toBe(expected);
    expect(e.format()).toBe(expected);
    expect(e.stderrText).toBe(`\n${expected}\n`);
    expect(e.line).toBe(2);
    expect(e.lineText).toBe('maxmemory lots');
    expect(e.reason).toBe('argument must be a memory value');
  });

  it('counts every line of the file and echoes the trimmed line', () => {
    const e = fails('# c\n\n   \n\tfoo   bar  \r\n');
    expect(e.line).toBe(4);
    expect(e.lineText).toBe('foo   bar');
    expect(e.reason).toBe('Bad directive or wrong number of arguments');
  });

  it('stops at the first bad line of a real file', () => {
    const text = readFixture('redis.conf').replace('maxmemory 3gb', 'maxmemory 3 gb');
    const e = fails(text);
    expect(e.line).toBe(25);
    expect(e.message).toContain(">>> 'maxmemory 3 gb'\nwrong number of arguments");
  });

  it('checks made after the last line print no line', () => {
    const e = fails('cluster-enabled yes\nreplicaof 1.2.3.4 5\n');
    expect(e.message).toBe(
      '*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nreplicaof directive not allowed in cluster mode',
    );
  });
});

describe('reasons', () => {
  it.each([
    ['foo bar', 'Bad directive or wrong number of arguments'],
    ['include', 'Bad directive or wrong number of arguments'],
    ['user', 'Bad directive or wrong number of arguments'],
    ['list-max-ziplist-entries 1 2', 'Bad directive or wrong number of arguments'],
    ['rename-command get', 'Bad directive or wrong number of arguments'],
    ['port 1 2', 'wrong number of arguments'],
    ['maxmemory', 'wrong number of arguments'],
    ['port "abc', 'Unbalanced quotes in configuration line'],
    ["port '1", 'Unbalanced quotes in configuration line'],
    ['port "1"x', 'Unbalanced quotes in configuration line'],
    ['maxmemory lots', 'argument must be a memory value'],
    ['maxmemory -1', 'argument must be a memory value'],
    ['maxmemory 1.5gb', 'argument must be a memory value'],
    ['daemonize maybe', "argument must be 'yes' or 'no'"],
    ['appendonly 1', "argument must be 'yes' or 'no'"],
    ['port x', "argument couldn't be parsed into an integer"],
    ['port +5', "argument couldn't be parsed into an integer"],
    ['port 05', "argument couldn't be parsed into an integer"],
    ['port 70000', 'argument must be between 0 and 65535 inclusive'],
    ['maxclients -1', 'argument must be between 1 and 4294967295 inclusive'],
    ['repl-backlog-size 18446744073709551615', 'argument must be between 1 and 9223372036854775807 inclusive'],
    ['io-threads 0', 'argument must be between 1 and 128 inclusive'],
    ['slowlog-log-slower-than -2', 'argument must be between -1 and 9223372036854775807 inclusive'],
    ['unixsocketperm 789', "argument couldn't be parsed as an octal number"],
    ['unixsocketperm 1000', 'argument must be between 0 and 777 inclusive'],
    ['maxmemory-clients 101%', 'percentage argument must be less or equal to 100'],
    ['maxmemory-clients -5', 'argument must be a memory or percent value'],
    ['loglevel foo', 'argument(s) must be one of the following: debug, verbose, notice, warning'],
    [
      'maxmemory-policy lru',
      'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction',
    ],
    ['appendfsync sometimes', 'argument(s) must be one of the following: everysec, always, no'],
    ['shutdown-on-sigint save nosave', "shutdown options SAVE and NOSAVE can't be used simultaneously"],
    ['save 900', 'Invalid save parameters'],
    ['save 0 1', 'Invalid save parameters'],
    ['save 900 -1', 'Invalid save parameters'],
    ['save 900 x', 'Invalid save parameters'],
    ['replicaof 1.2.3.4 x', 'Invalid master port'],
    ['slaveof 1.2.3.4 70000', 'Invalid master port'],
    ['replicaof 1.2.3.4', 'wrong number of arguments'],
    ['notify-keyspace-events Q', "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."],
    ['client-output-buffer-limit master 1 2 3', 'Invalid client class specified in buffer limit configuration.'],
    ['client-output-buffer-limit normal 1 2', 'Wrong number of arguments in buffer limit configuration.'],
    [
      'client-output-buffer-limit normal 1 2 -1',
      'Error in hard, soft or soft_seconds setting in buffer limit configuration.',
    ],
    ['oom-score-adj-values 1 2', 'wrong number of arguments'],
    ['oom-score-adj-values 1 2 3000', 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.'],
    ['latency-tracking-info-percentiles 101', 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]'],
    ['latency-tracking-info-percentiles abc', 'Invalid latency-tracking-info-percentiles parameters'],
    ['dbfilename a/b', "dbfilename can't be a path, just a filename"],
    ['appendfilename ""', "appendfilename can't be empty"],
    ['appenddirname x/y', "appenddirname can't be a path, just a dirname"],
    ['cluster-announce-hostname a_b', 'Hostnames may only contain alphanumeric characters, hyphens or dots'],
    ['proc-title-template "{nosuch}"', 'template format is invalid or contains unknown variables'],
    ['proc-title-template "{title}"', 'template format is invalid or contains unknown variables'],
    [
      'activedefrag yes',
      'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution',
    ],
    ['sentinel monitor m 127.0.0.1 1 0', 'sentinel directive while not in sentinel mode'],
    ['foo.bar', 'Module config specified without value'],
  ])('%s', (line, reason) => {
    const e = fails(`${line}\n`);
    expect(e.reason).toBe(reason);
    expect(e.line).toBe(1);
    expect(e.lineText).toBe(line);
  });

  it('checks the directory given to dir', () => {
    const checkDir = (p: string) => (p === '/data' ? null : 'No such file or directory');
    expect(parseRedisConf('dir /data', { checkDir }).dir).toBe('/data');
    expect(fails('dir /nonexistent', { checkDir }).reason).toBe('No such file or directory');
  });

  it('checks rename-command against the command table when given one', () => {
    const commandExists = (n: string) => ['get', 'set', 'flushall'].includes(n);
    expect(fails('rename-command nosuch foo', { commandExists }).reason).toBe('No such command in rename-command');
    expect(fails('rename-command get set', { commandExists }).reason).toBe('Target command name already exists');
    expect(fails('rename-command get ""\nrename-command get x', { commandExists }).line).toBe(2);
    const c = parseRedisConf('rename-command get g2\nrename-command set get', { commandExists });
    expect(c.renamedCommands).toEqual([
      ['get', 'g2'],
      ['set', 'get'],
    ]);
  });

  it('user lines: duplicates, and the ACL check when given one', () => {
    expect(fails('user bob on\nuser bob off').reason).toBe(
      "Error in user declaration 'bob': Duplicate user found. A user can only be defined once in config files",
    );
    const validateUser = (rules: readonly string[]) => (rules.includes('badrule') ? 'Syntax error' : null);
    expect(fails('user bob badrule', { validateUser }).reason).toBe("Error in user declaration 'user': Syntax error");
  });
});
