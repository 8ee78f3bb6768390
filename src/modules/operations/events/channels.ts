/**
 * NOTIFY channels of the engine. Payloads are pointers only: subscribers read rows by id.
 * - events: `<operationId> <projectId|-> <maxEventId>` after events are committed
 * - steps:  `<queue>` when steps of that queue became ready
 * - cancel: `<operationId>` when running steps of that operation must stop
 */
export const EVENTS_CHANNEL = 'orchard_events';
export const STEPS_CHANNEL = 'orchard_steps';
export const CANCEL_CHANNEL = 'orchard_cancel';

export interface EventPointer {
  operationId: string;
  projectId: string | null;
  eventId: number;
}

export function parseEventPointer(payload: string): EventPointer | undefined {
  const [operationId, projectId, id] = payload.split(' ');
  const eventId = Number(id);
  if (!operationId || !projectId || !Number.isSafeInteger(eventId)) return undefined;
  return { operationId, projectId: projectId === '-' ? null : projectId, eventId };
}
