import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, type ContextManager, context, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * OpenTelemetry's active context kept in AsyncLocalStorage, so that what a request or a step starts
 * (awaits, timers, child processes' callbacks) stays in its trace. `@opentelemetry/context-async-hooks`
 * does the same; it is not installed, and this is all of it that Orchard needs.
 */
export class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const call = thisArg === undefined ? fn : (fn.bind(thisArg) as F);
    return this.storage.run(ctx, call, ...args);
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const manager = this;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(ctx, () => fn.apply(this, args));
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    return this;
  }
}

let users = 0;

/**
 * Makes the context manager the process's while at least one tracing setup uses it (a test process
 * starts several). The manager is global by OpenTelemetry's design; the tracer providers are not.
 * Returns the release.
 */
export function holdAsyncContext(): () => void {
  if (users++ === 0) context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0) context.disable();
  };
}
