/**
 * Customers → unique (x, t_x, T) patterns with weights. When T and t_x are whole days or weeks most of a
 * chain's million customers share a pattern, and the BG/NBD likelihood only depends on the pattern, so fits
 * run over thousands of rows instead of millions.
 */
export interface PurchasePatterns {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** How many customers (or how much weight) share the pattern. */
  weight: Float64Array;
}

export interface HistoryColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Per-customer weight (default 1). */
  weight?: ArrayLike<number>;
  /** Only rows with include[i] === 1 are used (e.g. `present` from summarizeColumns). */
  include?: ArrayLike<number>;
}

/** Ids for the distinct values of one column. */
function distinctIds(values: ArrayLike<number>, use: (i: number) => boolean): { ids: Int32Array; count: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (!use(i)) continue;
    const v = values[i];
    let id = map.get(v);
    if (id === undefined) {
      id = map.size;
      map.set(v, id);
    }
    ids[i] = id;
  }
  return { ids, count: map.size };
}

export function compressPatterns(history: HistoryColumns): PurchasePatterns {
  const n = history.frequency.length;
  const { frequency, recency, T, weight, include } = history;
  const use = (i: number): boolean => include === undefined || include[i] === 1;
  const xs = distinctIds(frequency, use);
  const txs = distinctIds(recency, use);
  const Ts = distinctIds(T, use);
  const numericKeys = xs.count * txs.count * Ts.count < Number.MAX_SAFE_INTEGER;
  const numeric = new Map<number, number>();
  const textual = new Map<string, number>();
  const outX: number[] = [];
  const outTx: number[] = [];
  const outT: number[] = [];
  const outW: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!use(i)) continue;
    const w = weight === undefined ? 1 : weight[i];
    let at: number | undefined;
    if (numericKeys) {
      const key = (xs.ids[i] * txs.count + txs.ids[i]) * Ts.count + Ts.ids[i];
      at = numeric.get(key);
      if (at === undefined) numeric.set(key, outX.length);
    } else {
      const key = `${xs.ids[i]},${txs.ids[i]},${Ts.ids[i]}`;
      at = textual.get(key);
      if (at === undefined) textual.set(key, outX.length);
    }
    if (at === undefined) {
      outX.push(frequency[i]);
      outTx.push(recency[i]);
      outT.push(T[i]);
      outW.push(w);
    } else {
      outW[at] += w;
    }
  }
  return {
    frequency: Float64Array.from(outX),
    recency: Float64Array.from(outTx),
    T: Float64Array.from(outT),
    weight: Float64Array.from(outW),
  };
}
