/** Cross-process notifications (PostgreSQL LISTEN/NOTIFY). */

export {
  ACCESS_CHANNEL,
  AccessChange,
  concerns,
  notifyAccessChange,
  watchAccessChanges,
} from './access-changes.ts';
export {
  createEventBus,
  type EventBus,
  type EventBusOptions,
  notify,
  type Subscription,
} from './event-bus.ts';
