// The synchronous call between the simulation (host.ts) and the guest's thread (worker.ts): one request, one
// reply, over a SharedArrayBuffer. A state word says whose turn it is (Atomics.wait / Atomics.notify), the
// message is JSON in the buffer after it; a message too large for the buffer goes over the MessagePort and is
// read with receiveMessageOnPort. No event-loop hop on either side: a MessagePort's postMessage and 'message'
// event cost more than the guest's work itself. (Polling the state word before sleeping was tried: on a loaded
// machine with 2 cores the poller only takes the core the other side needs, 2–3× slower.)
import { performance } from 'node:perf_hooks';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** Whose turn: the host may post (IDLE), the guest has a request to run (REQUEST), the host has a reply (REPLY). */
const IDLE = 0;
const REQUEST = 1;
const REPLY = 2;
/** Two int32: the state word and the message's length in bytes (VIA_PORT: it went over the MessagePort). */
const HEADER = 8;
const VIA_PORT = -1;
/** Bytes for messages in the shared buffer (a call and its reply are a few hundred bytes; a large one goes over the port). */
const CAPACITY = 1 << 20;
/** The real clock, taken before the guest's fake timers replace performance.now in its thread. */
const wallNow = performance.now.bind(performance);

export function newChannelBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + CAPACITY);
}

class ChannelEnd {
  protected readonly state: Int32Array;
  private readonly data: Buffer;

  constructor(
    sab: SharedArrayBuffer,
    private readonly port: MessagePort,
  ) {
    this.state = new Int32Array(sab, 0, 2);
    this.data = Buffer.from(sab, HEADER, sab.byteLength - HEADER);
  }

  protected put(message: unknown, turn: number): void {
    const text = JSON.stringify(message);
    let n = VIA_PORT;
    // a UTF-16 unit is at most 3 UTF-8 bytes: the exact length is counted only near the limit
    if (text.length * 3 <= this.data.length || Buffer.byteLength(text) <= this.data.length) n = this.data.write(text, 0, 'utf8');
    else this.port.postMessage(text);
    Atomics.store(this.state, 1, n);
    Atomics.store(this.state, 0, turn);
    Atomics.notify(this.state, 0);
  }

  protected take(): unknown {
    const n = Atomics.load(this.state, 1);
    if (n !== VIA_PORT) return JSON.parse(this.data.toString('utf8', 0, n));
    const r = receiveMessageOnPort(this.port);
    if (!r) throw new Error('sentinel-sim guest channel: a large message is missing from the port');
    return JSON.parse(r.message as string);
  }
}

/** The simulation's end: call() posts a request and blocks until the guest's reply. */
export class HostChannel extends ChannelEnd {
  call(message: unknown, timeoutMs: number, who: string): unknown {
    this.put(message, REQUEST);
    const deadline = wallNow() + timeoutMs;
    while (Atomics.load(this.state, 0) !== REPLY) {
      const left = deadline - wallNow();
      if (left <= 0) throw new Error(`${who}: the guest did not answer within ${timeoutMs / 1000} s of wall time`);
      Atomics.wait(this.state, 0, REQUEST, Math.min(left, 1000));
    }
    const reply = this.take();
    Atomics.store(this.state, 0, IDLE);
    return reply;
  }
}

/** The guest thread's end: next() blocks (the thread has nothing else to do) until a request, reply() answers it. */
export class GuestChannel extends ChannelEnd {
  next(): unknown {
    for (;;) {
      const s = Atomics.load(this.state, 0);
      if (s === REQUEST) return this.take();
      Atomics.wait(this.state, 0, s, 1000);
    }
  }

  reply(message: unknown): void {
    this.put(message, REPLY);
  }
}
