/**
 * Line and argument splitting with the rules Redis applies to its configuration files.
 *
 * - The text is cut at every "\n"; a text ending with "\n" yields a final empty line, an
 *   empty text yields no line at all.
 * - Each line loses leading and trailing spaces, tabs, CR and LF (not other blanks).
 * - Arguments are separated by blanks; "double quotes" understand \n \r \t \b \a \xHH and
 *   \<any>; 'single quotes' only understand \'. A closing quote must be followed by a blank
 *   or the end of the line, and an unterminated quote makes the whole line invalid.
 *
 * Strings are handled as sequences of UTF-16 code units; a \xHH escape produces the code
 * unit HH (a Latin-1 character), which is how the simulator stands in for raw bytes.
 */

const LINE_TRIM_CHARS = ' \t\r\n';

/** Split a configuration text into lines (not yet trimmed). */
export function splitRawLines(text: string): string[] {
  if (text.length === 0) return [];
  return text.split('\n');
}

/** Remove the characters Redis trims from configuration lines. */
export function trimConfigLine(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && LINE_TRIM_CHARS.includes(line[start]!)) start++;
  while (end > start && LINE_TRIM_CHARS.includes(line[end - 1]!)) end--;
  return line.slice(start, end);
}

/** True for a trimmed line that carries no directive. */
export function isCommentOrBlank(trimmed: string): boolean {
  return trimmed.length === 0 || trimmed[0] === '#';
}

/** C isspace() in the "C" locale. */
function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';
}

function isHexDigit(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/**
 * Split one line into arguments. Returns null when quotes are unbalanced (or a closing
 * quote is glued to the next character). An empty or blank line gives [].
 */
export function splitArgs(line: string): string[] | null {
  const nul = line.indexOf('\0');
  const s = nul >= 0 ? line.slice(0, nul) : line;
  const out: string[] = [];
  let p = 0;
  for (;;) {
    while (p < s.length && isSpace(s[p])) p++;
    if (p >= s.length) return out;
    let current = '';
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = s[p];
      if (inDouble) {
        if (c === '\\' && s[p + 1] === 'x' && isHexDigit(s[p + 2]) && isHexDigit(s[p + 3])) {
          current += String.fromCharCode(parseInt(s.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < s.length) {
          p++;
          const e = s[p]!;
          current += ESCAPES[e] ?? e;
        } else if (c === '"') {
          if (p + 1 < s.length && !isSpace(s[p + 1])) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === '\\' && s[p + 1] === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          if (p + 1 < s.length && !isSpace(s[p + 1])) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === undefined) {
        done = true;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        current += c;
      }
      if (p < s.length) p++;
    }
    out.push(current);
  }
}

/** C isprint() in the "C" locale. */
function isPrint(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/**
 * Quote a value the way Redis writes string options back ("..." with escapes). Characters
 * above 0xFF are written as the \xHH escapes of their UTF-8 bytes.
 */
export function quoteRepr(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (isPrint(code)) out += ch;
    else if (code <= 0xff) out += `\\x${hex2(code)}`;
    else for (const byte of new TextEncoder().encode(ch)) out += `\\x${hex2(byte)}`;
  }
  return out + '"';
}
