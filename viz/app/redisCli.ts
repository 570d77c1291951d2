// The client panel speaks redis-cli (7.0, interactive, on a terminal): the command line is split the way
// redis-cli splits it, typed text is sent as UTF-8 bytes, and replies are printed as cliFormatReplyTTY prints
// them — quoted strings with escapes, `(integer) 1`, `(nil)`, `(error) ERR …`, numbered arrays with nested
// arrays indented under their index — except the commands redis-cli prints raw (INFO, CLIENT LIST, …),
// whose text is shown with its real line breaks.
import type { Resp } from '../../engine/net/resp.ts';

/** Parse a command line the way redis-cli splits it (sdssplitargs: quotes and backslash escapes). Null: unbalanced quotes. */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let cur = '';
    while (i < line.length && !/\s/.test(line[i])) {
      const c = line[i];
      if (c === '"') {
        i++;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < line.length) {
            const n = line[++i];
            const hex = /^x([0-9a-fA-F]{2})/.exec(line.slice(i, i + 3));
            if (hex) {
              cur += String.fromCharCode(parseInt(hex[1], 16));
              i += 2;
            } else cur += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === 'b' ? '\b' : n === 'a' ? '\x07' : n;
          } else cur += line[i];
          i++;
        }
        if (i >= line.length) return null;
        i++;
        // a closing quote must be followed by a space or the end
        if (i < line.length && !/\s/.test(line[i])) return null;
        break;
      } else if (c === "'") {
        i++;
        while (i < line.length && line[i] !== "'") {
          if (line[i] === '\\' && line[i + 1] === "'") i++;
          cur += line[i++];
        }
        if (i >= line.length) return null;
        i++;
        if (i < line.length && !/\s/.test(line[i])) return null;
        break;
      } else cur += line[i++];
    }
    out.push(cur);
  }
  return out;
}

/** Typed text as the bytes redis-cli sends (UTF-8), one char per byte as the engine keeps strings. */
export function utf8Bytes(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
  return out;
}

/** sdscatrepr: a byte string quoted, with C escapes and \xHH for what is not printable. */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += '\\x' + (c & 0xff).toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** Commands whose replies redis-cli prints raw (cliSendCommand's output_raw list, 7.0). */
export function isRawCommand(argv: readonly string[]): boolean {
  const c = (argv[0] ?? '').toLowerCase();
  const a = (argv[1] ?? '').toLowerCase();
  const n = argv.length;
  return (
    c === 'info' ||
    c === 'lolwut' ||
    (n >= 2 && c === 'debug' && (a === 'htstats' || a === 'htstats-key' || a === 'client-eviction')) ||
    (n >= 2 && c === 'memory' && (a === 'malloc-stats' || a === 'doctor')) ||
    (n === 2 && c === 'cluster' && (a === 'nodes' || a === 'info')) ||
    (n >= 2 && c === 'client' && (a === 'list' || a === 'info')) ||
    (n === 3 && c === 'latency' && a === 'graph') ||
    (n === 2 && c === 'latency' && a === 'doctor') ||
    (n >= 2 && c === 'proxy' && a === 'info')
  );
}

/**
 * cliFormatReplyTTY (`raw` false): every element ends with a newline; nested arrays are indented by the index
 * width + 2. cliFormatReplyRaw (`raw` true): strings as they are (real line breaks), arrays one element per line.
 */
function format(r: Resp, raw: boolean, prefix = ''): string {
  switch (r.t) {
    case 'error':
      return `(error) ${r.v}\n`;
    case 'simple':
      return `${r.v}\n`;
    case 'int':
      return raw ? `${String(r.v)}\n` : `(integer) ${String(r.v)}\n`;
    case 'bulk':
      if (r.v === null) return raw ? '\n' : '(nil)\n';
      return raw ? `${r.v.replace(/\r\n/g, '\n')}\n` : `${repr(r.v)}\n`;
    case 'array': {
      if (r.v === null) return raw ? '\n' : '(nil)\n';
      if (raw) return r.v.map((e) => format(e, true)).join('');
      if (r.v.length === 0) return '(empty array)\n';
      const idxlen = String(r.v.length).length;
      const sub = prefix + ' '.repeat(idxlen + 2);
      let out = '';
      r.v.forEach((e, i) => {
        out += `${i === 0 ? '' : prefix}${String(i + 1).padStart(idxlen)}) ${format(e, false, sub)}`;
      });
      return out;
    }
  }
}

/** A reply as redis-cli prints it for this command (no final newline). */
export function formatReply(r: Resp, argv: readonly string[] = []): string {
  const text = format(r, isRawCommand(argv));
  return text.replace(/\n+$/, '');
}

/** redis-cli's prompt: `127.0.0.1:6379>`, `127.0.0.1:6379[1]>` with another database selected. */
export function prompt(node: string, db = 0): string {
  return `${node}${db ? `[${db}]` : ''}>`;
}
