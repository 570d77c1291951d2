// The multi-part AOF manifest of Redis 7.0 (aof.c): a BASE (RDB) file plus INCR files, as text.

export interface AofFileInfo {
  name: string;
  seq: number;
  type: 'b' | 'h' | 'i';
}

export interface AofManifest {
  base: AofFileInfo | null;
  incrs: AofFileInfo[];
  /** Files waiting to be deleted (type h). */
  history: AofFileInfo[];
  baseSeq: number;
  incrSeq: number;
}

export function emptyManifest(): AofManifest {
  return { base: null, incrs: [], history: [], baseSeq: 0, incrSeq: 0 };
}

/** "file appendonly.aof.1.base.rdb seq 1 type b\n..." */
export function formatManifest(m: AofManifest): string {
  const lines: string[] = [];
  if (m.base) lines.push(line(m.base));
  for (const h of m.history) lines.push(line(h));
  for (const i of m.incrs) lines.push(line(i));
  return lines.join('');
}

function line(f: AofFileInfo): string {
  return `file ${f.name} seq ${f.seq} type ${f.type}\n`;
}

export function parseManifest(text: string): AofManifest {
  const m = emptyManifest();
  for (const raw of text.split('\n')) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    const parts = t.split(/\s+/);
    const info: Partial<AofFileInfo> = {};
    for (let i = 0; i + 1 < parts.length; i += 2) {
      if (parts[i] === 'file') info.name = parts[i + 1];
      else if (parts[i] === 'seq') info.seq = Number(parts[i + 1]);
      else if (parts[i] === 'type') info.type = parts[i + 1] as AofFileInfo['type'];
    }
    if (!info.name || info.seq === undefined || !info.type) continue;
    const f = info as AofFileInfo;
    if (f.type === 'b') {
      m.base = f;
      m.baseSeq = f.seq;
    } else if (f.type === 'h') m.history.push(f);
    else {
      m.incrs.push(f);
      m.incrSeq = f.seq;
    }
  }
  return m;
}

export const baseName = (prefix: string, seq: number) => `${prefix}.${seq}.base.rdb`;
export const incrName = (prefix: string, seq: number) => `${prefix}.${seq}.incr.aof`;
export const manifestName = (prefix: string) => `${prefix}.manifest`;
export const TEMP_INCR = (prefix: string) => `temp-${prefix}.incr`;

/** The content of an INCR file: the commands appended so far (durable once fsynced). */
export interface AofIncrFile {
  kind: 'aof-incr';
  commands: string[][];
  size: number;
}

export function isIncrFile(x: unknown): x is AofIncrFile {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'aof-incr';
}
