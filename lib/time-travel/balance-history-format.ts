// The wire format of an account's balance history, as the time-travel slider keeps it in the
// browser (docs/decisions/015-instant-slider.md). Pure: the server encodes with it, the browser
// decodes with it, and both run the same code in tests.
//
// A window is the balance_history rows of one run of versions, as columns. Each numeric column is
// one string of comma-separated base-10 integers: the first absolute, every later one the
// difference from the one before (so a column of instants costs a few digits per event, and a
// column of balances the size of each movement). Money columns are decoded with BigInt, never
// through a JS number; instants are whole milliseconds since the epoch (rounded up, so that
// "at or before" and "after" compare exactly as PostgreSQL compares the microsecond originals
// with a millisecond instant).

/** Version 1 of the format; a client refuses anything else and falls back to the server. */
export const BALANCE_HISTORY_FORMAT = 1;

export interface BalanceHistoryWindowWire {
  readonly index: number;
  /** Versions index·size+1 … (index+1)·size. */
  readonly windowSize: number;
  /** The account's latest version when this window was read. */
  readonly headVersion: number;
  /** One entry per row, in version order (delta-coded). */
  readonly versions: string;
  readonly occurredMs: string;
  /** balance_after − corrections_after: the balance without any backdated correction. */
  readonly baseMinor: string;
  readonly owedMinor: string;
  /** One character per row: '1' frozen after the event, '0' not. */
  readonly frozen: string;
  /** Indexes into `eventTypes`, one per row (not delta-coded). */
  readonly types: string;
  readonly eventTypes: readonly string[];
  /** The next window's first instant; null when this was the last window when read. */
  readonly endMs: number | null;
  /** What holds reserved at the window's first instant. */
  readonly heldStartMinor: string;
  /** Instants inside the window where what holds reserve changes, and the amount from then on. */
  readonly heldMs: string;
  readonly heldMinor: string;
}

export interface BalanceHistoryHeadWire {
  readonly format: typeof BALANCE_HISTORY_FORMAT;
  readonly accountId: string;
  readonly windowSize: number;
  readonly headVersion: number;
  /** The first instant of every window, in order (delta-coded). */
  readonly windowStartsMs: string;
  /** Every backdated correction of the account, in the order entered (delta-coded columns). */
  readonly corrections: {
    readonly effectiveMs: string;
    readonly recordedMs: string;
    readonly deltaMinor: string;
  };
  /** The window asked for (around an instant), or the last one. */
  readonly window: BalanceHistoryWindowWire;
}

/** One balance_history row as the server reads it. */
export interface BalanceHistoryRow {
  readonly version: number;
  readonly occurredMs: number;
  readonly baseMinor: bigint;
  readonly owedMinor: bigint;
  readonly frozen: boolean;
  readonly eventType: string;
}

/** A change in what holds reserve: from `ms` on, `heldMinor`. */
export interface HeldPoint {
  readonly ms: number;
  readonly heldMinor: bigint;
}

export function encodeNumbers(values: readonly number[]): string {
  let text = '';
  let previous = 0;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] as number;
    if (!Number.isSafeInteger(value)) throw new Error(`Not a safe integer: ${value}`);
    text += index === 0 ? String(value) : `,${value - previous}`;
    previous = value;
  }
  return text;
}

export function encodeBigInts(values: readonly bigint[]): string {
  let text = '';
  let previous = 0n;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] as bigint;
    text += index === 0 ? value.toString() : `,${(value - previous).toString()}`;
    previous = value;
  }
  return text;
}

const INTEGER = /^-?\d+$/;

function parts(text: string): string[] {
  if (text === '') return [];
  const items = text.split(',');
  for (const item of items) if (!INTEGER.test(item)) throw new Error('Not a list of integers.');
  return items;
}

export function decodeNumbers(text: string): Float64Array {
  const items = parts(text);
  const values = new Float64Array(items.length);
  let running = 0;
  for (let index = 0; index < items.length; index += 1) {
    running = index === 0 ? Number(items[index]) : running + Number(items[index]);
    if (!Number.isSafeInteger(running)) throw new Error('An integer beyond 2^53.');
    values[index] = running;
  }
  return values;
}

/** Money columns: exact, 64-bit signed (balances never exceed 10^18 minor units). */
export function decodeBigInts(text: string): BigInt64Array {
  const items = parts(text);
  const values = new BigInt64Array(items.length);
  let running = 0n;
  for (let index = 0; index < items.length; index += 1) {
    running =
      index === 0 ? BigInt(items[index] as string) : running + BigInt(items[index] as string);
    if (BigInt.asIntN(64, running) !== running) throw new Error('An amount beyond 64 bits.');
    values[index] = running;
  }
  return values;
}

export function encodeWindow(options: {
  index: number;
  windowSize: number;
  headVersion: number;
  rows: readonly BalanceHistoryRow[];
  endMs: number | null;
  heldStartMinor: bigint;
  heldPoints: readonly HeldPoint[];
}): BalanceHistoryWindowWire {
  const eventTypes: string[] = [];
  const typeIndex = new Map<string, number>();
  const types = options.rows.map((row) => {
    let index = typeIndex.get(row.eventType);
    if (index === undefined) {
      index = eventTypes.length;
      eventTypes.push(row.eventType);
      typeIndex.set(row.eventType, index);
    }
    return index;
  });
  return {
    index: options.index,
    windowSize: options.windowSize,
    headVersion: options.headVersion,
    versions: encodeNumbers(options.rows.map((row) => row.version)),
    occurredMs: encodeNumbers(options.rows.map((row) => row.occurredMs)),
    baseMinor: encodeBigInts(options.rows.map((row) => row.baseMinor)),
    owedMinor: encodeBigInts(options.rows.map((row) => row.owedMinor)),
    frozen: options.rows.map((row) => (row.frozen ? '1' : '0')).join(''),
    types: types.join(','),
    eventTypes,
    endMs: options.endMs,
    heldStartMinor: options.heldStartMinor.toString(),
    heldMs: encodeNumbers(options.heldPoints.map((point) => point.ms)),
    heldMinor: encodeBigInts(options.heldPoints.map((point) => point.heldMinor)),
  };
}

/** A window decoded into typed columns, for lookups in a few microseconds. */
export interface DecodedWindow {
  readonly index: number;
  readonly windowSize: number;
  readonly headVersion: number;
  readonly versions: Float64Array;
  readonly occurredMs: Float64Array;
  readonly baseMinor: BigInt64Array;
  readonly owedMinor: BigInt64Array;
  readonly frozen: Uint8Array;
  readonly types: Uint16Array;
  readonly eventTypes: readonly string[];
  /** Infinity for the last window (as of when it was read). */
  readonly endMs: number;
  readonly heldStartMinor: bigint;
  readonly heldMs: Float64Array;
  readonly heldMinor: BigInt64Array;
}

/** Throws on anything malformed: the caller then keeps asking the server. */
export function decodeWindow(wire: BalanceHistoryWindowWire): DecodedWindow {
  const versions = decodeNumbers(wire.versions);
  const occurredMs = decodeNumbers(wire.occurredMs);
  const baseMinor = decodeBigInts(wire.baseMinor);
  const owedMinor = decodeBigInts(wire.owedMinor);
  const typeItems = parts(wire.types);
  const count = versions.length;
  if (
    occurredMs.length !== count ||
    baseMinor.length !== count ||
    owedMinor.length !== count ||
    wire.frozen.length !== count ||
    typeItems.length !== count
  )
    throw new Error('The columns of a balance history window differ in length.');
  const frozen = new Uint8Array(count);
  const types = new Uint16Array(count);
  for (let index = 0; index < count; index += 1) {
    const flag = wire.frozen[index];
    if (flag !== '0' && flag !== '1') throw new Error('A frozen flag is neither 0 nor 1.');
    frozen[index] = flag === '1' ? 1 : 0;
    const type = Number(typeItems[index]);
    if (type >= wire.eventTypes.length) throw new Error('An event type out of range.');
    types[index] = type;
    if (index > 0 && (occurredMs[index] as number) < (occurredMs[index - 1] as number))
      throw new Error('Instants go backwards within a window.');
  }
  const heldMs = decodeNumbers(wire.heldMs);
  const heldMinor = decodeBigInts(wire.heldMinor);
  if (heldMs.length !== heldMinor.length)
    throw new Error('The held columns of a balance history window differ in length.');
  return {
    index: wire.index,
    windowSize: wire.windowSize,
    headVersion: wire.headVersion,
    versions,
    occurredMs,
    baseMinor,
    owedMinor,
    frozen,
    types,
    eventTypes: [...wire.eventTypes],
    endMs: wire.endMs ?? Infinity,
    heldStartMinor: BigInt(wire.heldStartMinor),
    heldMs,
    heldMinor,
  };
}
