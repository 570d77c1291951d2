/**
 * Shapes of the parameter table (table.ts) and of the values it describes.
 */

/** Parameter flags (a subset of Redis's, with the same meaning). */
export const IMMUTABLE = 1; // CONFIG SET refuses it
export const MULTI_ARG = 2; // takes several arguments
export const HIDDEN = 4; // not matched by CONFIG GET patterns (exact name only)
export const SENSITIVE = 8; // value redacted from logs / MONITOR
export const PROTECTED = 16; // CONFIG SET needs enable-protected-configs
export const DENY_LOADING = 32; // CONFIG SET refused while loading the dataset
export const VOLATILE = 64; // a set to the same value still counts as a change

/** C type of a numeric parameter: decides the range checks (signed or unsigned). */
export type CType = 'int' | 'uint' | 'long' | 'ulong' | 'll' | 'ull' | 'size_t' | 'ssize_t' | 'off_t' | 'time_t';

/** Accepted and printed notation of a numeric parameter. */
export type NumFormat = 'int' | 'mem' | 'mempct' | 'octal';

/** [name, value] pairs in Redis's order (the first name of a value is the one printed). */
export type EnumValues = readonly (readonly [string, number])[];

/** The context a validator may look at: the other current values. */
export interface ValueReader {
  value(name: string): unknown;
}

export type StringValidator = (v: string, cfg: ValueReader) => string | null;

interface SpecBase {
  /** Canonical name (lower case). */
  readonly name: string;
  /** Old name accepted everywhere (lower case). */
  readonly alias?: string;
  readonly flags: number;
}

export interface BoolSpec extends SpecBase {
  readonly kind: 'bool';
  readonly def: boolean;
  readonly validate?: (v: boolean) => string | null;
}

export interface StringSpec extends SpecBase {
  readonly kind: 'string';
  readonly def: string | null;
  /** An empty value means "unset" (null). */
  readonly emptyIsNull: boolean;
  readonly validate?: StringValidator;
}

export interface EnumSpec extends SpecBase {
  readonly kind: 'enum';
  readonly values: EnumValues;
  readonly def: number;
  readonly validate?: (v: number) => string | null;
}

export interface NumericSpec extends SpecBase {
  readonly kind: 'numeric';
  readonly ctype: CType;
  readonly format: NumFormat;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly def: bigint;
}

export interface SpecialSpec extends SpecBase {
  readonly kind: 'special';
}

export type ConfigSpec = BoolSpec | StringSpec | EnumSpec | NumericSpec | SpecialSpec;

export interface SaveRule {
  seconds: number;
  changes: number;
}

export interface ReplicaOf {
  host: string;
  port: number;
}

export interface OutputBufferLimit {
  hardBytes: bigint;
  softBytes: bigint;
  softSeconds: number;
}

/** client-output-buffer-limit per class. */
export interface OutputBufferLimits {
  normal: OutputBufferLimit;
  replica: OutputBufferLimit;
  pubsub: OutputBufferLimit;
}

/** Result of setting a value: the new value and whether it differs from the old one. */
export type SetOutcome<V = unknown> = { ok: true; value: V; changed: boolean } | { ok: false; error: string };

/** State that only matters while a file is being read (Redis's static variables). */
export interface LoadState {
  /** True while reading a file; false for CONFIG SET (and, as in Redis, after an include). */
  readingFile: boolean;
  /** The first `save` line of the load has cleared the default rules. */
  saveLoaded: boolean;
}
