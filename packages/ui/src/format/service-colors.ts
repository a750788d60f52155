/**
 * Service colours: a fixed palette (readable on dark and light backgrounds, distinct for
 * the common kinds of colour blindness as far as 10 colours can be) picked by a hash of the
 * name, so that a service keeps its colour across traces and pages.
 */
const SERVICE_PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2',
  '#edc948', '#9c755f', '#ff9da7', '#86bcb6', '#d37295',
] as const;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function serviceColor(service: string): string {
  return SERVICE_PALETTE[hash(service) % SERVICE_PALETTE.length] ?? SERVICE_PALETTE[0];
}

/** The n-th line of a chart with several (series of a metric): the same palette, in order. */
export function lineColor(index: number): string {
  return SERVICE_PALETTE[index % SERVICE_PALETTE.length] ?? SERVICE_PALETTE[0];
}
