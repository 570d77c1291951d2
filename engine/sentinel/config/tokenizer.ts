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
 * Strings are Unicode text; \xHH escapes that form UTF-8 are read back as the text they encode.
 */

// The quoting and trimming rules are the server's (engine/redis/config/tokenizer.ts): one implementation.
export { quoteRepr, splitArgs, trimLine as trimConfigLine } from '../../redis/config/tokenizer.ts';

/** Split a configuration text into lines (not yet trimmed); an empty text has no line. */
export function splitRawLines(text: string): string[] {
  if (text.length === 0) return [];
  return text.split('\n');
}

/** True for a trimmed line that carries no directive. */
export function isCommentOrBlank(trimmed: string): boolean {
  return trimmed.length === 0 || trimmed[0] === '#';
}
