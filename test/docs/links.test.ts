// The README and docs/ only point at things that exist: every relative link and image (and its #anchor, for
// a Markdown target) resolves inside the repository, and no text names a path outside it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FILES = ['README.md', ...readdirSync(resolve(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f.split(sep).join('/')}`)];

/** The Markdown outside fenced code blocks, with inline code spans blanked (their text is not Markdown). */
function prose(text: string): string {
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line.replace(/`+[^`]*`+/g, 'code');
    })
    .join('\n');
}

/** Link and image targets: [text](target "title"), ![alt](target), [ref]: target. */
function links(text: string): string[] {
  const p = prose(text);
  const out: string[] = [];
  for (const m of p.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!);
  for (const m of p.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) out.push(m[1]!);
  return out;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const plain = m[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[`*]/g, '')
      .replace(/<[^>]+>/g, '');
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('documentation links', () => {
  it('finds the README and the docs', () => {
    expect(FILES).toContain('README.md');
    expect(FILES.length).toBeGreaterThan(1);
  });

  for (const file of FILES) {
    it(`${file}: every relative link and image exists, inside the repository`, () => {
      const text = readFileSync(resolve(ROOT, file), 'utf8');
      const broken: string[] = [];
      for (const target of links(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
        const abs = pathPart === '' ? resolve(ROOT, file) : resolve(ROOT, dirname(file), decodeURIComponent(pathPart));
        const rel = relative(ROOT, abs);
        if (rel.startsWith('..') || resolve(ROOT, rel) !== abs) {
          broken.push(`${target}: outside the repository`);
          continue;
        }
        if (!existsSync(abs)) {
          broken.push(`${target}: no such file`);
          continue;
        }
        if (anchor !== undefined && abs.endsWith('.md') && statSync(abs).isFile() && !anchors(readFileSync(abs, 'utf8')).has(anchor))
          broken.push(`${target}: no heading with the anchor #${anchor} in ${rel}`);
      }
      expect(broken).toEqual([]);
    });

    it(`${file}: names no path outside the repository`, () => {
      const text = readFileSync(resolve(ROOT, file), 'utf8');
      expect(text.match(/(\.\.\/)+shared\/|\/work\/[\w.-]+/g) ?? []).toEqual([]);
    });
  }
});
