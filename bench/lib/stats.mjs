/** Small helpers to summarise repeated measurements: min / median / max. */

export function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** { min, median, max } of a non-empty list. */
export function spread(numbers) {
  return { min: Math.min(...numbers), median: median(numbers), max: Math.max(...numbers) };
}

/** '12,345' style integers: figures in the hundreds of thousands read better grouped. */
export function grouped(value) {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * "min / median / max" of a list, each formatted by `format`; a single value prints alone.
 * @example minMedMax([1, 2, 3], (v) => v.toFixed(1)) // '1.0 / 2.0 / 3.0'
 */
export function minMedMax(numbers, format = grouped) {
  if (numbers.length === 0) return '-';
  if (numbers.length === 1) return format(numbers[0]);
  const { min, median: mid, max } = spread(numbers);
  return `${format(min)} / ${format(mid)} / ${format(max)}`;
}
