import { z } from 'zod';
import { CONTAINER_ID } from './inspect.js';

/** The container actions tracedock records (and the server-side filter asks for). */
export const CONTAINER_ACTIONS = [
  'create', 'start', 'restart', 'die', 'stop', 'kill', 'oom', 'pause', 'unpause',
  'destroy', 'health_status', 'rename', 'update',
] as const;
export type ContainerAction = (typeof CONTAINER_ACTIONS)[number];

const ACTION_SET: ReadonlySet<string> = new Set(CONTAINER_ACTIONS);
function isContainerAction(action: string): action is ContainerAction {
  return ACTION_SET.has(action);
}
/** Actor attributes copied into the stored event; the rest are the container's labels. */
const KEPT_ATTRIBUTES = ['exitCode', 'signal', 'name', 'image', 'oldName'] as const;

const EVENT = z.object({
  Type: z.string(),
  Action: z.string(),
  Actor: z.object({ ID: z.string(), Attributes: z.record(z.string(), z.string()).nullish() }),
  time: z.number().int().nonnegative(),
});

/** JSON numbers lose nanoseconds past 2^53; the digits are read from the raw line instead. */
const TIME_NANO = /"timeNano":\s*(\d{1,20})/;
const NS_PER_S = 1_000_000_000n;

export interface ContainerEvent {
  containerId: string;
  action: ContainerAction;
  timeNs: bigint;
  attributes: Record<string, string>;
}

export type EventParse =
  | { kind: 'event'; event: ContainerEvent }
  | { kind: 'ignored' }
  | { kind: 'invalid'; message: string };

/**
 * One line of the /events stream → a container event tracedock keeps, `ignored` for other
 * types and actions (exec_*, attach, ...), `invalid` for a payload of the wrong shape.
 * "health_status: healthy" becomes action health_status with attribute status=healthy.
 */
export function parseEventLine(line: string): EventParse {
  let payload: unknown;
  try {
    payload = JSON.parse(line);
  } catch {
    return { kind: 'invalid', message: 'not JSON' };
  }
  const checked = EVENT.safeParse(payload);
  if (!checked.success) return { kind: 'invalid', message: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const { Type, Action, Actor, time } = checked.data;
  if (Type !== 'container') return { kind: 'ignored' };
  const colon = Action.indexOf(':');
  const action = colon < 0 ? Action : Action.slice(0, colon);
  if (!isContainerAction(action)) return { kind: 'ignored' };
  const id = CONTAINER_ID.safeParse(Actor.ID);
  if (!id.success) return { kind: 'invalid', message: `Actor.ID is not a container id: ${JSON.stringify(Actor.ID)}` };
  const source = Actor.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const key of KEPT_ATTRIBUTES) {
    const value = source[key];
    if (value !== undefined) attributes[key] = value;
  }
  if (colon >= 0) attributes.status = Action.slice(colon + 1).trim();
  const nano = TIME_NANO.exec(line)?.[1];
  const timeNs = nano !== undefined ? BigInt(nano) : BigInt(time) * NS_PER_S;
  return { kind: 'event', event: { containerId: id.data, action, timeNs, attributes } };
}
