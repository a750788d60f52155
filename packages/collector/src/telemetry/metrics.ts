/**
 * The collector's own counters and gauges, rendered in Prometheus text format at /metrics.
 * Names follow Prometheus conventions: `tracedock_<what>_<unit>_total` for counters.
 */
export type Labels = Readonly<Record<string, string>>;

interface Series {
  labels: Labels;
  value: number;
}

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  series: Map<string, Series>;
  /** A gauge may be read when scraped instead of set. */
  read?: () => number;
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function renderLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`).join(',')}}`;
}

export class MetricsRegistry {
  readonly #families = new Map<string, Family>();

  #family(name: string, help: string, type: Family['type']): Family {
    let family = this.#families.get(name);
    if (family === undefined) {
      family = { help, type, series: new Map() };
      this.#families.set(name, family);
    } else if (family.type !== type) {
      throw new Error(`metric ${name} is a ${family.type}, not a ${type}`);
    }
    return family;
  }

  /** Declares a counter so that it shows as 0 before its first increment. */
  counter(name: string, help: string, labels: Labels = {}): void {
    const family = this.#family(name, help, 'counter');
    const key = labelKey(labels);
    if (!family.series.has(key)) family.series.set(key, { labels, value: 0 });
  }

  /** @example metrics.inc('tracedock_spans_received_total', 100, { protocol: 'http' }) */
  inc(name: string, by: number, labels: Labels = {}): void {
    const family = this.#families.get(name);
    if (family === undefined) throw new Error(`metric ${name} was not declared`);
    const key = labelKey(labels);
    const series = family.series.get(key);
    if (series === undefined) family.series.set(key, { labels, value: by });
    else series.value += by;
  }

  /** A gauge whose value is read when /metrics is scraped. */
  gauge(name: string, help: string, read: () => number): void {
    const family = this.#family(name, help, 'gauge');
    family.read = read;
  }

  /** The current value of one series, 0 when it has none. */
  value(name: string, labels: Labels = {}): number {
    const family = this.#families.get(name);
    if (family === undefined) return 0;
    if (family.read !== undefined) return family.read();
    return family.series.get(labelKey(labels))?.value ?? 0;
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.#families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      if (family.read !== undefined) lines.push(`${name} ${family.read()}`);
      for (const series of family.series.values()) {
        lines.push(`${name}${renderLabels(series.labels)} ${series.value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
