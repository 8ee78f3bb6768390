import type { TelemetryAttributes, TelemetryJson } from '../telemetry-rows.ts';

/**
 * Values as OTLP carries them, read the same way from a decoded protobuf message (ids as bytes,
 * 64-bit integers as `Long`) and from OTLP/JSON (ids as hex, 64-bit integers as strings or numbers).
 */

/** A 64-bit integer from protobufjs: `long.js` object with high/low halves. */
interface LongLike {
  high: number;
  low: number;
  unsigned?: boolean;
  toString(): string;
}

const isLong = (v: unknown): v is LongLike =>
  typeof v === 'object' && v !== null && typeof (v as LongLike).high === 'number' && 'low' in v;

/** Lower-case hex of an id: bytes (protobuf) or a hex string (JSON); '' when absent. */
export function hexId(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value.toLowerCase();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  return '';
}

const HEX = /^[0-9a-f]*$/;
const ZEROES = /^0*$/;

/** A valid, non-zero id of `length` hex characters (32 for a trace, 16 for a span). */
export function isValidId(id: string, length: number): boolean {
  return id.length === length && HEX.test(id) && !ZEROES.test(id);
}

/** Nanoseconds since the epoch (or any 64-bit count) as a bigint; 0n when absent or unreadable. */
export function bigOf(value: unknown): bigint {
  if (value == null) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  if (typeof value === 'string') return /^-?\d+$/.test(value) ? BigInt(value) : 0n;
  if (isLong(value)) {
    const big = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
    return value.unsigned || value.high >= 0 ? big : big - (1n << 64n);
  }
  return 0n;
}

const DIGITS = /^\d+$/;

/**
 * Nanoseconds since the epoch as exact microseconds and the nanoseconds past them, without BigInt
 * (the span hot path): [0, 0] when absent, negative or unreadable.
 */
export function splitNanos(value: unknown): [micros: number, rest: number] {
  if (typeof value === 'string') {
    if (!DIGITS.test(value)) return [0, 0];
    if (value.length <= 15) {
      const n = Number(value);
      return [Math.floor(n / 1000), n % 1000];
    }
    return [Number(value.slice(0, -3)), Number(value.slice(-3))];
  }
  if (isLong(value)) {
    if (value.high < 0 && !value.unsigned) return [0, 0];
    // high·2^32 + low = 1000·(high·4294967) + (high·296 + low): every part exact in a double.
    const high = value.high >>> 0;
    const rest = high * 296 + (value.low >>> 0);
    return [high * 4294967 + Math.floor(rest / 1000), rest % 1000];
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0)
    return [Math.floor(value / 1000), Math.floor(value % 1000)];
  return [0, 0];
}

/** A Date from exact microseconds (see timestampText). */
export function dateOfMicros(micros: number): Date {
  const date = new Date(Math.floor(micros / 1000)) as MicroDate;
  const extra = micros % 1000;
  if (extra) date.micros = extra;
  return date;
}

/** MAX_NANOS in microseconds. */
export const MAX_MICROS = 253402300800 * 1_000_000;

/** A 64-bit count as a JS number (counts and buckets never approach 2^53 in practice). */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  return Number(bigOf(value));
}

/** The end of year 9999 in nanoseconds: later times are refused (or clamped, for events). */
export const MAX_NANOS = 253402300800n * 1_000_000_000n;

/** A timestamp from nanoseconds, clamped to 1970–9999: microsecond precision is all PostgreSQL keeps. */
export function dateOfNanos(nanos: bigint): Date {
  const within = nanos < 0n ? 0n : nanos >= MAX_NANOS ? MAX_NANOS - 1000n : nanos;
  // A Date keeps milliseconds; the writer stores the microseconds it carries beside them.
  return dateOfMicros(Number(within / 1000n));
}

/** A Date from dateOfNanos: `micros` are the microseconds past its milliseconds. */
type MicroDate = Date & { micros?: number };

/** A timestamp as PostgreSQL text with the microseconds a Date from dateOfNanos carries. */
export function timestampText(date: Date): string {
  const iso = date.toISOString();
  const micros = (date as MicroDate).micros;
  return micros ? `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z` : iso;
}

/** A double as OTLP/JSON may write it: a number, or "NaN"/"Infinity" strings. */
export function doubleOf(value: unknown): number | null {
  if (value == null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isNaN(n) && value !== 'NaN' ? null : n;
  }
  return null;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const UNSTORABLE = /[\0\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text PostgreSQL can store: no NUL, no lone surrogate (jsonb refuses both, and one bad value would
 * fail the whole batch it is written with).
 */
export function storable(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(LONE_SURROGATE, '\ufffd').replaceAll('\0', '') : text;
}

/** A string field as storable text; '' when absent or not a string. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? storable(value) : '';
}

/** An OTLP AnyValue as plain JSON (see telemetry-rows.ts). */
export function anyValue(value: unknown, depth = 0): TelemetryJson {
  if (value == null || typeof value !== 'object' || depth > 16) return null;
  const v = value as Record<string, unknown>;
  if (v.stringValue != null) return storable(String(v.stringValue));
  if (v.boolValue != null) return Boolean(v.boolValue);
  if (v.intValue != null) {
    const big = bigOf(v.intValue);
    return big > MAX_SAFE || big < -MAX_SAFE ? big.toString() : Number(big);
  }
  if (v.doubleValue != null) {
    const d = doubleOf(v.doubleValue);
    // JSON has no NaN or Infinity: keep their names.
    return d === null || Number.isFinite(d) ? d : String(d);
  }
  if (v.arrayValue != null) {
    const values = (v.arrayValue as { values?: unknown[] }).values ?? [];
    return values.map((item) => anyValue(item, depth + 1));
  }
  if (v.kvlistValue != null) return attributesOf((v.kvlistValue as { values?: unknown[] }).values, depth + 1);
  if (v.bytesValue != null) {
    const b = v.bytesValue;
    return typeof b === 'string' ? b : b instanceof Uint8Array ? Buffer.from(b).toString('base64') : null;
  }
  return null;
}

/** OTLP KeyValue list → `{ key: value }` (the last of repeated keys wins). */
export function attributesOf(list: unknown, depth = 0): TelemetryAttributes {
  const out: TelemetryAttributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list as { key?: unknown; value?: unknown }[]) {
    if (!kv || typeof kv.key !== 'string') continue;
    out[storable(kv.key)] = anyValue(kv.value, depth);
  }
  return out;
}

/** The resource's `service.name`, '' when unset. */
export function serviceNameOf(resource: TelemetryAttributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' ? name : '';
}
