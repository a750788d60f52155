/** A multimap from a key to a set of container ids, dropping a key when its set empties. */
export class IndexMap {
  readonly #map = new Map<string, Set<string>>();

  get(key: string): ReadonlySet<string> | undefined {
    return this.#map.get(key);
  }

  add(key: string, id: string): void {
    let ids = this.#map.get(key);
    if (ids === undefined) {
      ids = new Set();
      this.#map.set(key, ids);
    }
    ids.add(id);
  }

  delete(key: string, id: string): void {
    const ids = this.#map.get(key);
    if (ids === undefined) return;
    ids.delete(id);
    if (ids.size === 0) this.#map.delete(key);
  }
}
