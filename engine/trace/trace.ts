// The trace recorder: full or ring mode, incremental SHA-256 over canonical records (design.md, engine/trace).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical.ts';
import type { DetailLevel, MsgRecord, TraceDocument, TraceHeader, TraceRecord } from './types.ts';

export interface TraceOptions {
  detail?: DetailLevel;
  /** Keep only the last `ring` records in memory (flat memory for fuzzing). Omit to keep all. */
  ring?: number;
  /** SHA-256 implementation; same digest whichever is used. */
  hasher?: () => Sha256Hasher;
}

export type TraceListener = (rec: TraceRecord, line: string) => void;

/** An incremental SHA-256 (the default is @noble/hashes; Node callers may pass node:crypto's, which is faster). */
export interface Sha256Hasher {
  update(data: Uint8Array): void;
  /** Hash a string's UTF-8 bytes (optional; saves encoding each chunk to a new Uint8Array first). */
  updateText?(text: string): void;
  digestHex(): string;
}

/** Feed a string's UTF-8 bytes to a hasher (same digest either way). */
function hashString(h: Sha256Hasher, text: string): void {
  if (h.updateText) h.updateText(text);
  else h.update(encoder.encode(text));
}

export function nobleSha256(): Sha256Hasher {
  const h = sha256.create();
  return {
    update: (d) => {
      h.update(d);
    },
    digestHex: () => bytesToHex(h.digest()),
  };
}

const encoder = new TextEncoder();
/** Lines are hashed in chunks of about this many characters. */
const CHUNK = 1 << 16;

export class Trace {
  readonly detail: DetailLevel;
  private readonly ringSize: number;
  private buf: TraceRecord[] = [];
  private ringStart = 0;
  private hasher: Sha256Hasher;
  private pendingText = '';
  private listeners: TraceListener[] = [];
  private finalHash: string | null = null;
  header: TraceHeader | null = null;
  /** Records appended since the start (including those a ring dropped). */
  count = 0;

  constructor(opts: TraceOptions = {}) {
    this.detail = opts.detail ?? 'events';
    this.ringSize = opts.ring ?? 0;
    this.hasherFactory = opts.hasher ?? nobleSha256;
    this.hasher = this.hasherFactory();
  }

  private readonly hasherFactory: () => Sha256Hasher;

  private hashText(s: string): void {
    this.pendingText += s;
    if (this.pendingText.length >= CHUNK) this.flushHash();
  }

  private flushHash(): void {
    if (this.pendingText.length === 0) return;
    hashString(this.hasher, this.pendingText);
    this.pendingText = '';
  }

  get messages(): boolean {
    return this.detail === 'messages';
  }

  setHeader(h: TraceHeader): void {
    if (this.header) throw new Error('trace header already set');
    this.header = h;
    this.hashText(canonicalJson(h) + '\n');
  }

  /** Streaming consumers (file writer, CLI log printer, waitFor). Receive the canonical line too. */
  subscribe(fn: TraceListener): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  append(rec: TraceRecord): void {
    if (this.finalHash !== null) throw new Error('trace already finished');
    const line = rec.k === 'msg' ? msgJson(rec) : canonicalJson(rec);
    this.hashText(line + '\n');
    this.count++;
    if (this.ringSize > 0) {
      if (this.buf.length < this.ringSize) this.buf.push(rec);
      else {
        this.buf[this.ringStart] = rec;
        this.ringStart = (this.ringStart + 1) % this.ringSize;
      }
    } else this.buf.push(rec);
    for (const l of this.listeners) l(rec, line);
  }

  /** Records held in memory, oldest first (all of them unless in ring mode). */
  records(): TraceRecord[] {
    if (this.ringSize > 0 && this.buf.length === this.ringSize)
      return this.buf.slice(this.ringStart).concat(this.buf.slice(0, this.ringStart));
    return this.buf.slice();
  }

  /** The SHA-256 of header + every record ever appended (canonical lines). Ends the trace. */
  sha256(): string {
    if (this.finalHash === null) {
      this.flushHash();
      this.finalHash = this.hasher.digestHex();
    }
    return this.finalHash;
  }

  /** The hash so far, without ending the trace. */
  peekSha256(): string {
    if (this.finalHash !== null) return this.finalHash;
    if (this.ringSize > 0) throw new Error('a ring-mode trace knows its hash only when it ends (sha256())');
    if (!this.header) throw new Error('trace has no header');
    return hashTrace(this.header, this.buf, this.hasherFactory);
  }

  document(): TraceDocument {
    if (!this.header) throw new Error('trace has no header');
    return { header: this.header, records: this.records(), sha256: this.peekSha256() };
  }
}

/** Recompute the hash of a trace document (to verify a file). */
export function hashTrace(header: TraceHeader, records: readonly TraceRecord[], factory: () => Sha256Hasher = nobleSha256): string {
  const h = factory();
  let text = canonicalJson(header) + '\n';
  for (const r of records) {
    text += (r.k === 'msg' ? msgJson(r) : canonicalJson(r)) + '\n';
    if (text.length >= CHUNK) {
      hashString(h, text);
      text = '';
    }
  }
  if (text) hashString(h, text);
  return h.digestHex();
}

/** Canonical JSON of a message record, written out by hand: it is by far the most frequent record. */
function msgJson(r: MsgRecord): string {
  return (
    `{"conn":${r.conn},"fate":"${r.fate}","from":${JSON.stringify(r.from)},"k":"msg","kind":${JSON.stringify(r.kind)},` +
    `"sent":${r.sent},"size":${r.size},"t":${r.t},"to":${JSON.stringify(r.to)}}`
  );
}
