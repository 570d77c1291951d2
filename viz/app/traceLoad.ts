// Trace files into the page (issue 15 items 5 and 8): a file chosen or dropped, a `?trace=` URL, a big file read
// as a stream (the first frame before the whole file is read), a small one read whole and indexed in the
// background in chunks. Bad input ends with a message naming the problem, never "reading…" forever.
import { formatClock } from '../../engine/sim/time.ts';
import type { TraceRecord } from '../../engine/trace/types.ts';
import { FrameStore } from '../model/store.ts';
import { TraceFileError, TraceLineStream, TraceTextReader } from '../model/traceFile.ts';

/** Records parsed before the first frame of a trace file, and per background step after it. */
const FIRST_CHUNK = 5000;
const CHUNK = 20000;
/** Files at least this big are read as a stream (the first frame before the whole file is read). */
const STREAM_MIN_BYTES = 1 << 20;
/** Wall ms between redraws of the timeline, epochs and log while a file grows. */
const UI_MS = 300;
/**
 * Wall ms a task reads a streamed file for (then the page gets a turn), and the piece of the file (bytes) decoded
 * and read between two looks at the clock (~350 records: parsed, hashed and indexed in 1–3 ms of CPU). A young-generation GC of the
 * records kept (15–35 ms of CPU: all of them survive) falls into some task: the slice leaves room for it.
 */
const SLICE_MS = 8;
const PIECE = 1 << 16;

/** What the loader needs of the page. */
export interface TraceHost {
  /** A new load begins: its number (a later one makes it stale). */
  nextLoad(): number;
  current(load: number): boolean;
  /** Show a store read from a file (not live). */
  showStore(store: FrameStore, label: string): void;
  /** The shown store has grown: timeline, epochs (and the log's node list when `full`). */
  grew(store: FrameStore, full: boolean): void;
  setStatus(text: string): void;
  loading(text: string): void;
  fail(message: string): void;
  done(): void;
}

export class TraceLoader {
  constructor(private readonly host: TraceHost) {}

  async openFile(f: File): Promise<void> {
    const load = this.host.nextLoad();
    this.host.loading(`reading ${f.name}…`);
    if (f.size >= STREAM_MIN_BYTES && typeof f.stream === 'function') return this.openStream(f.stream(), f.name, load);
    let text: string;
    try {
      text = await f.text();
    } catch (e) {
      if (this.host.current(load)) this.host.fail(`cannot read ${f.name}: ${(e as Error).message}`);
      return;
    }
    if (this.host.current(load)) this.loadTraceText(text, f.name);
  }

  /** Open a trace by URL (`?trace=`): a missing file says so, whatever the server answers in its place. */
  async openUrl(url: string): Promise<void> {
    const load = this.host.nextLoad();
    const name = url.split('/').pop() || url;
    this.host.loading(`loading ${url}…`);
    let text: string;
    try {
      const res = await fetch(url);
      if (!this.host.current(load)) return;
      const type = res.headers.get('content-type') ?? '';
      if (res.status === 404 || res.status === 410) throw new Error(`trace ${url} not found (HTTP ${res.status} from ${new URL(url, location.href).href})`);
      if (!res.ok) throw new Error(`cannot load trace ${url}: HTTP ${res.status} ${res.statusText}`.trim());
      text = await res.text();
      // a server that answers every path with the page itself (a dev server's fallback) has no such file
      if (/text\/html/i.test(type) || /^\s*<(!doctype|html)/i.test(text.slice(0, 200)))
        throw new Error(`trace ${url} not found: the server answered with a web page (${type || 'HTML'}), not a trace file`);
    } catch (e) {
      if (!this.host.current(load)) return;
      const msg = (e as Error).message;
      this.host.fail(e instanceof TypeError ? `cannot load trace ${url}: the server cannot be reached (${msg})` : msg);
      return;
    }
    if (this.host.current(load)) this.loadTraceText(text, name);
  }

  /**
   * Read a trace as it arrives: the first records are drawn as soon as they are read, the rest are indexed
   * piece by piece (each a short task: the page stays responsive). A file not in `run --trace`'s line layout
   * is read whole and opened as text.
   */
  private async openStream(stream: ReadableStream<Uint8Array>, name: string, load: number): Promise<void> {
    const host = this.host;
    // bytes, decoded here piece by piece (a TextDecoderStream decodes a whole chunk of the stream in one task)
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    const ls = new TraceLineStream(name);
    const early: string[] = [];
    let store: FrameStore | null = null;
    let lastUi = 0;
    const ui = (force: boolean) => {
      if (!store || (!force && performance.now() - lastUi < UI_MS)) return;
      lastUi = performance.now();
      // the log panel reads the store's growing index by itself; its node list is refreshed at the end
      host.grew(store, force);
      host.setStatus(`${name}: ${store.records.length} records, ${formatClock(store.endT)} so far…`);
    };
    // a local file's chunks resolve one after another without returning to the event loop: give the page
    // a turn (frames, input) every few ms of reading, and a frame right after the first records
    let slice = performance.now();
    const breathe = async (frame: boolean) => {
      if (!frame && performance.now() - slice < SLICE_MS) return;
      await new Promise<void>((r) => (frame ? requestAnimationFrame(() => setTimeout(r, 0)) : setTimeout(r, 0)));
      slice = performance.now();
    };
    const add = (recs: TraceRecord[]) => {
      if (!ls.header || recs.length === 0) return;
      if (!store) {
        store = new FrameStore(ls.header, recs);
        host.showStore(store, `${name} (${ls.header.scenario}, seed ${ls.header.seed})`);
        host.loading(`${name}: reading…`);
        lastUi = performance.now();
        return;
      }
      for (const r of recs) store.records.push(r);
      store.ingest();
      ui(false);
    };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (!host.current(load)) {
          void reader.cancel();
          return;
        }
        if (done) break;
        // in pieces of PIECE bytes (a stream's chunks may be megabytes): a task decodes and reads a few of them
        for (let at = 0; at < value.length && !ls.error; at += PIECE) {
          const text = decoder.decode(value.subarray(at, at + PIECE), { stream: true });
          if (!ls.header || ls.fallback) early.push(text);
          const hadStore = store !== null;
          add(ls.push(text));
          await breathe(!hadStore && store !== null);
          if (!host.current(load)) return;
        }
        if (ls.header) early.length = 0;
        if (ls.error) break;
      }
      // the decoder's last bytes (a character cut by the end of the file)
      const last = decoder.decode();
      if (last && !ls.error) {
        if (!ls.header || ls.fallback) early.push(last);
        add(ls.push(last));
      }
    } catch (e) {
      if (host.current(load)) host.fail(`cannot read ${name}: ${(e as Error).message}`);
      return;
    }
    if (ls.fallback || (!ls.header && !ls.error)) {
      this.loadTraceText(early.join(''), name);
      return;
    }
    if (!ls.error) add(ls.end());
    ui(true);
    if (ls.error && !store) {
      host.fail(ls.error.message);
      return;
    }
    const bad = ls.verify();
    if (bad) {
      const st = store as FrameStore | null;
      host.fail(ls.error && st ? `${bad}\nShowing the ${st.records.length} records before it (up to ${formatClock(st.endT)}).` : bad);
      return;
    }
    host.setStatus(`${name}: ${store!.records.length} records, ${formatClock(store!.endT)}, sha256 ${ls.sha256!.slice(0, 12)}… verified`);
    host.done();
  }

  /** Open a trace file's text: the first records are drawn at once, the rest are read in the background. */
  loadTraceText(text: string, name: string): boolean {
    const host = this.host;
    let reader: TraceTextReader;
    let first: TraceRecord[];
    try {
      reader = new TraceTextReader(text, name);
      first = reader.next(FIRST_CHUNK);
    } catch (e) {
      host.fail(e instanceof TraceFileError ? e.message : `${name}: ${(e as Error).message}`);
      return false;
    }
    if (first.length === 0 && reader.error) {
      host.fail(reader.error.message);
      return false;
    }
    const store = new FrameStore(reader.header, first);
    host.showStore(store, `${name} (${reader.header.scenario}, seed ${reader.header.seed})`);
    const load = host.nextLoad();
    host.loading(`${name}: reading…`);
    let lastUi = performance.now();
    const stopped = (err: TraceFileError) => {
      host.grew(store, true);
      host.fail(`${err.message}\nShowing the ${store.records.length} records before it (up to ${formatClock(store.endT)}).`);
      host.setStatus(`${name}: stopped at ${err.line !== null ? `line ${err.line}` : `record ${err.record ?? store.records.length}`}`);
    };
    const more = () => {
      if (!host.current(load)) return; // another source was opened meanwhile
      let chunk: TraceRecord[];
      try {
        chunk = reader.next(CHUNK);
      } catch (e) {
        host.fail(e instanceof TraceFileError ? e.message : `${name}: ${(e as Error).message}`);
        return;
      }
      if (chunk.length > 0) {
        for (const r of chunk) store.records.push(r);
        store.ingest();
        if (performance.now() - lastUi >= UI_MS) {
          lastUi = performance.now();
          host.grew(store, false);
        }
      }
      if (reader.error) {
        stopped(reader.error);
        return;
      }
      if (chunk.length > 0) {
        host.setStatus(`${name}: ${store.records.length} records, ${formatClock(store.endT)} so far…`);
        setTimeout(more, 0);
        return;
      }
      host.grew(store, true);
      const bad = reader.verify(store.records);
      if (bad) host.fail(bad);
      else {
        host.setStatus(`${name}: ${store.records.length} records, ${formatClock(store.endT)}, sha256 ${reader.sha256!.slice(0, 12)}… verified`);
        host.done();
      }
    };
    if (reader.error) stopped(reader.error);
    else setTimeout(more, 0);
    return true;
  }
}
