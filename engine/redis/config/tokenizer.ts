/**
 * Line and argument splitting for redis.conf, with the rules of Redis 7.0:
 *
 * - the file is cut at every "\n"; each piece is trimmed of " \t\r\n" on both sides;
 * - a line is split into arguments separated by blanks; an argument may be written
 *   "double quoted" (escapes \n \r \t \b \a \xHH and \<any char>) or 'single quoted'
 *   (only \' is an escape); a closing quote must be followed by a blank or the end of
 *   the line, otherwise the whole line is rejected (unbalanced quotes).
 *
 * Strings are Unicode text; a run of \xHH escapes that forms valid UTF-8 becomes the
 * characters it encodes (so quoteRepr, which writes non-ASCII characters as their UTF-8
 * bytes, reads back unchanged). Escaped bytes that are not valid UTF-8 are kept as the
 * characters U+0080..U+00FF.
 */

/** C isspace() in the "C" locale. */
export function isCSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

/** Cut a file into lines the way Redis does (a trailing "\n" yields a last empty line). */
export function splitLines(text: string): string[] {
  return text.split('\n');
}

const TRIM_SET = ' \t\r\n';

/** Remove the characters " \t\r\n" from both ends. */
export function trimLine(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && TRIM_SET.includes(line[start]!)) start++;
  while (end > start && TRIM_SET.includes(line[end - 1]!)) end--;
  return line.slice(start, end);
}

function hexValue(ch: string | undefined): number {
  if (ch === undefined) return -1;
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A token whose \xHH escapes produced bytes >= 0x80: read the whole token as UTF-8
 * (escaped bytes plus the UTF-8 of the other characters), or keep it as is if invalid.
 */
function decodeToken(parts: readonly (string | number)[], fallback: string): string {
  const bytes: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') bytes.push(p);
    else for (const b of encoder.encode(p)) bytes.push(b);
  }
  try {
    return strictDecoder.decode(new Uint8Array(bytes));
  } catch {
    return fallback;
  }
}

/**
 * Split one line into arguments. Returns null when quotes are unbalanced (or a closing
 * quote is directly followed by a non-blank character).
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isCSpace(line[i])) i++;
    if (i >= n) return out;
    let cur = '';
    let parts: (string | number)[] | null = null;
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const ch = line[i];
      if (inDouble) {
        if (ch === undefined) return null;
        if (ch === '\\' && line[i + 1] === 'x' && hexValue(line[i + 2]) >= 0 && hexValue(line[i + 3]) >= 0) {
          const byte = hexValue(line[i + 2]) * 16 + hexValue(line[i + 3]);
          if (byte >= 0x80 && parts === null) parts = [cur];
          parts?.push(byte);
          cur += String.fromCharCode(byte);
          i += 4;
        } else if (ch === '\\' && i + 1 < n) {
          const next = line[i + 1]!;
          const c = ESCAPES[next] ?? next;
          parts?.push(c);
          cur += c;
          i += 2;
        } else if (ch === '"') {
          if (i + 1 < n && !isCSpace(line[i + 1])) return null;
          i++;
          break;
        } else {
          parts?.push(ch);
          cur += ch;
          i++;
        }
      } else if (inSingle) {
        if (ch === undefined) return null;
        if (ch === '\\' && line[i + 1] === "'") {
          parts?.push("'");
          cur += "'";
          i += 2;
        } else if (ch === "'") {
          if (i + 1 < n && !isCSpace(line[i + 1])) return null;
          i++;
          break;
        } else {
          parts?.push(ch);
          cur += ch;
          i++;
        }
      } else {
        if (ch === undefined || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') {
          if (ch !== undefined) i++;
          break;
        }
        if (ch === '"') inDouble = true;
        else if (ch === "'") inSingle = true;
        else {
          parts?.push(ch);
          cur += ch;
        }
        i++;
      }
    }
    out.push(parts === null ? cur : decodeToken(parts, cur));
  }
}

/**
 * Split a CONFIG SET value of a multi-argument parameter on single spaces (consecutive
 * spaces give empty arguments; an empty value gives no argument at all).
 */
export function splitOnSpaces(value: string): string[] {
  return value === '' ? [] : value.split(' ');
}

function isPrint(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

function utf8Bytes(ch: string): number[] {
  return Array.from(encoder.encode(ch));
}

/** A double-quoted representation that splitArgs reads back to the same string. */
export function quoteRepr(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (isPrint(code)) out += ch;
    else {
      const bytes = code < 0x80 ? [code] : utf8Bytes(ch);
      for (const b of bytes) out += '\\x' + b.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}
