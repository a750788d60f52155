import type { TraceModel } from './model.js';

/** Which services' spans ran in which container, and which had spans with no container. */
export function runtimePlacement(model: TraceModel): { byContainer: Map<string, string[]>; withoutContainer: string[] } {
  const byContainer = new Map<string, Set<string>>();
  const withoutContainer = new Set<string>();
  for (const { span } of model.rows) {
    if (span.containerId === null) {
      withoutContainer.add(span.service);
      continue;
    }
    const services = byContainer.get(span.containerId) ?? new Set<string>();
    services.add(span.service);
    byContainer.set(span.containerId, services);
  }
  return { byContainer: new Map([...byContainer].map(([id, services]) => [id, [...services]])), withoutContainer: [...withoutContainer] };
}
