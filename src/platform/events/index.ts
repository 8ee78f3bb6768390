/** Cross-process notifications (PostgreSQL LISTEN/NOTIFY). */
export {
  createEventBus,
  type EventBus,
  type EventBusOptions,
  notify,
  type Subscription,
} from './event-bus.ts';
