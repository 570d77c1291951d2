import { describe, expect, it } from 'vitest';
import { encodeResp, type Resp } from '../../engine/net/resp.ts';
import {
  PROTO_INLINE_MAX_SIZE,
  ReplyParser,
  RequestParser,
  bytesToLatin1,
  latin1ToBytes,
  parseReplies,
  splitInlineArgs,
  string2ll,
  type RequestItem,
} from '../../engine/net/respCodec.ts';

function parseAll(input: string | string[], opts = {}): RequestItem[] {
  const p = new RequestParser(opts);
  const out: RequestItem[] = [];
  for (const chunk of Array.isArray(input) ? input : [input]) {
    p.feed(chunk);
    for (let it = p.next(); it; it = p.next()) out.push(it);
  }
  return out;
}
const cmds = (items: RequestItem[]) => items.map((i) => (i.kind === 'command' ? i.argv : i.kind === 'error' ? { error: i.error } : { close: i.reason }));

describe('RequestParser: multibulk', () => {
  it('parses pipelined commands, byte-exact bulks with CRLF and NUL inside', () => {
    const input = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\r\nb\0\r\n*1\r\n$4\r\nPING\r\n';
    expect(cmds(parseAll(input))).toEqual([['SET', 'k', 'a\r\nb\0'], ['PING']]);
  });

  it('is incremental: any split of the bytes gives the same commands', () => {
    const input = '*2\r\n$4\r\nECHO\r\n$10\r\n0123456789\r\nPING\r\n*1\r\n$4\r\nINFO\r\n';
    const whole = cmds(parseAll(input));
    expect(whole).toEqual([['ECHO', '0123456789'], ['PING'], ['INFO']]);
    for (let i = 1; i < input.length; i++) expect(cmds(parseAll([input.slice(0, i), input.slice(i)]))).toEqual(whole);
    expect(cmds(parseAll(input.split('')))).toEqual(whole);
  });

  it('skips *0 and negative counts like Redis', () => {
    expect(cmds(parseAll('*0\r\n*-5\r\n*-1\r\nPING\r\n'))).toEqual([['PING']]);
  });

  it('skips the two bytes after a bulk without checking them (as networking.c does)', () => {
    expect(cmds(parseAll('*1\r\n$4\r\nPINGxxPING\r\n'))).toEqual([['PING'], ['PING']]);
  });

  it("reports Redis's protocol errors verbatim, after the commands before them", () => {
    expect(cmds(parseAll('*abc\r\n'))).toEqual([{ error: 'ERR Protocol error: invalid multibulk length' }]);
    expect(cmds(parseAll('*01\r\n'))).toEqual([{ error: 'ERR Protocol error: invalid multibulk length' }]);
    expect(cmds(parseAll('*3000000000\r\n'))).toEqual([{ error: 'ERR Protocol error: invalid multibulk length' }]);
    expect(cmds(parseAll('*1\r\nx\r\n'))).toEqual([{ error: "ERR Protocol error: expected '$', got 'x'" }]);
    expect(cmds(parseAll('*1\r\n$-1\r\n'))).toEqual([{ error: 'ERR Protocol error: invalid bulk length' }]);
    expect(cmds(parseAll('*1\r\n$+4\r\n'))).toEqual([{ error: 'ERR Protocol error: invalid bulk length' }]);
    expect(cmds(parseAll('*1\r\n$4\r\nPING\r\n*1\r\n:1\r\n'))).toEqual([['PING'], { error: "ERR Protocol error: expected '$', got ':'" }]);
  });

  it('proto-max-bulk-len and the unauthenticated limits', () => {
    expect(cmds(parseAll('*1\r\n$11\r\n', { protoMaxBulkLen: 10 }))).toEqual([{ error: 'ERR Protocol error: invalid bulk length' }]);
    const auth = { authRequired: () => true };
    expect(cmds(parseAll('*11\r\n', auth))).toEqual([{ error: 'ERR Protocol error: unauthenticated multibulk length' }]);
    expect(cmds(parseAll('*10\r\n', auth))).toEqual([]);
    expect(cmds(parseAll('*1\r\n$16385\r\n', auth))).toEqual([{ error: 'ERR Protocol error: unauthenticated bulk length' }]);
  });

  it('too big count strings without a CR', () => {
    const big = 'x'.repeat(PROTO_INLINE_MAX_SIZE + 1);
    expect(cmds(parseAll('*' + big))).toEqual([{ error: 'ERR Protocol error: too big mbulk count string' }]);
    expect(cmds(parseAll('*1\r\n$' + big))).toEqual([{ error: 'ERR Protocol error: too big bulk count string' }]);
  });

  it('is dead after an error', () => {
    const p = new RequestParser();
    p.feed('*x\r\n');
    expect(p.next()?.kind).toBe('error');
    p.feed('PING\r\n');
    expect(p.next()).toBe(null);
    expect(p.dead).toBe(true);
  });
});

describe('RequestParser: inline', () => {
  it('splits like sdssplitargs, accepts \\n or \\r\\n, skips blank lines', () => {
    expect(cmds(parseAll('PING\r\n  \r\n\nECHO a\nECHO b\r\n'))).toEqual([['PING'], ['ECHO', 'a'], ['ECHO', 'b']]);
    expect(cmds(parseAll(`SET "a b" 'it\\'s' "\\x41\\n\\t\\\\"\r\n`))).toEqual([['SET', 'a b', "it's", 'A\n\t\\']]);
  });

  it('unbalanced quotes (also a closing quote not followed by a space)', () => {
    expect(cmds(parseAll('PING\r\n"abc\r\n'))).toEqual([['PING'], { error: 'ERR Protocol error: unbalanced quotes in request' }]);
    expect(cmds(parseAll('set "a"b c\r\n'))).toEqual([{ error: 'ERR Protocol error: unbalanced quotes in request' }]);
    expect(cmds(parseAll("set 'a\r\n"))).toEqual([{ error: 'ERR Protocol error: unbalanced quotes in request' }]);
  });

  it('too big inline request', () => {
    const big = 'x'.repeat(PROTO_INLINE_MAX_SIZE);
    expect(cmds(parseAll(big))).toEqual([]);
    expect(cmds(parseAll(big + 'y'))).toEqual([{ error: 'ERR Protocol error: too big inline request' }]);
  });

  it('splitInlineArgs edge cases', () => {
    expect(splitInlineArgs('')).toEqual([]);
    expect(splitInlineArgs('a\tb')).toEqual(['a', 'b']);
    expect(splitInlineArgs('""')).toEqual(['']);
    expect(splitInlineArgs('"\\xzz"')).toEqual(['xzz']);
    expect(splitInlineArgs('a"b"')).toEqual(['ab']);
  });
});

describe('string2ll', () => {
  it('is strict like util.c', () => {
    expect(string2ll('0')).toBe(0n);
    expect(string2ll('-12')).toBe(-12n);
    expect(string2ll('9223372036854775807')).toBe(9223372036854775807n);
    for (const bad of ['', '-', '-0', '01', '+1', ' 1', '1 ', '9223372036854775808', '1e3']) expect(string2ll(bad)).toBe(null);
  });
});

describe('ReplyParser', () => {
  const samples: Resp[] = [
    { t: 'simple', v: 'OK' },
    { t: 'error', v: 'ERR x' },
    { t: 'int', v: -42 },
    { t: 'int', v: 9223372036854775807n },
    { t: 'bulk', v: null },
    { t: 'bulk', v: '' },
    { t: 'bulk', v: 'a\r\nb' },
    { t: 'array', v: null },
    { t: 'array', v: [] },
    { t: 'array', v: [{ t: 'bulk', v: 'x' }, { t: 'array', v: [{ t: 'int', v: 1 }, { t: 'bulk', v: null }] }] },
  ];

  it('round-trips encodeResp, in any chunking', () => {
    const wire = samples.map(encodeResp).join('');
    expect(parseReplies(wire)).toEqual(samples);
    const p = new ReplyParser();
    const got: Resp[] = [];
    for (const ch of wire) {
      p.feed(ch);
      for (let r = p.next(); r; r = p.next()) got.push(r);
    }
    expect(got).toEqual(samples);
  });

  it('folds RESP3 types', () => {
    expect(parseReplies('_\r\n#t\r\n,1.5\r\n%1\r\n+a\r\n:1\r\n=7\r\ntxt:abc\r\n!3\r\nERR\r\n|1\r\n+k\r\n+v\r\n:5\r\n')).toEqual([
      { t: 'bulk', v: null },
      { t: 'int', v: 1 },
      { t: 'bulk', v: '1.5' },
      { t: 'array', v: [{ t: 'simple', v: 'a' }, { t: 'int', v: 1 }] },
      { t: 'bulk', v: 'abc' },
      { t: 'error', v: 'ERR' },
      { t: 'int', v: 5 },
    ]);
  });

  it('throws on garbage', () => {
    expect(() => parseReplies('?x\r\n')).toThrow(/unknown reply type/);
    expect(() => parseReplies('$3\r\nabcde\r\n')).toThrow(/CRLF/);
  });
});

describe('latin1 helpers', () => {
  it('round-trip every byte', () => {
    const b = new Uint8Array(256).map((_, i) => i);
    expect(latin1ToBytes(bytesToLatin1(b))).toEqual(b);
    const p = new RequestParser();
    p.feed(latin1ToBytes('*1\r\n$2\r\n\xff\x00\r\n'));
    expect(p.next()).toEqual({ kind: 'command', argv: ['\xff\x00'], inline: false });
  });
});
