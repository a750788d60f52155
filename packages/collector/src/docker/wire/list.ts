import { z } from 'zod';
import { CONTAINER_ID } from './inspect.js';

const LIST = z.array(z.object({ Id: CONTAINER_ID }));

/**
 * The ids of `GET /containers/json?all=1`; each is inspected for its metadata.
 * @example const ids = parseContainerIds(await client.listContainers({ all: true }));
 */
export function parseContainerIds(payload: unknown): { ok: true; ids: string[] } | { ok: false; message: string } {
  const checked = LIST.safeParse(payload);
  if (!checked.success) return { ok: false, message: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, ids: checked.data.map((c) => c.Id) };
}
