/**
 * One `act`: the action the cache remembers for this page and instruction, if it still works;
 * otherwise the planner's (re-asked with the error, with backoff, when its action fails), which the
 * cache then remembers. Tasks and smoke suites share it.
 */
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { firstLine } from '../page-steps.ts';
import {
  type CachedAction,
  type CacheKey,
  findCachedAction,
  recordCacheHit,
  storeCachedAction,
} from './action-cache-store.ts';
import { structureHash, targetForRef, urlPattern, viewPage } from './aria.ts';
import type { PlannedAction, Planner } from './planner.ts';
import { type ActionEnv, describeAction, performAction } from './task-actions.ts';
import { UnknownVariableError } from './variables.ts';

export type CacheOutcome = 'hit' | 'replayed' | 'miss' | 'healed';

export interface ActOptions {
  env: ActionEnv;
  instruction: string;
  projectId: string;
  /** Absent: an instruction the cache does not know fails, saying the planner is needed. */
  planner?: Planner;
  /** The action cache's database; absent: no cache. */
  cacheDb?: Queryable;
  logger?: Logger;
}

export interface ActOutcome {
  cache: CacheOutcome;
  resolved: CachedAction;
  message: string;
  /**
   * A replay's hit being counted in the cache, which the act does not wait for; it never fails
   * (a failure is logged). A task waits for it before it ends.
   */
  counted?: Promise<void>;
}

/** How long a cached action gets before the planner is asked again (a changed page). */
const REPLAY_TIMEOUT_MS = 3_000;
const PLANNER_RETRIES = 2;

/** A step that needs the planner where no LLM serves its alias. */
export class PlannerMissingError extends Error {
  constructor(kind: string) {
    super(
      `${kind} needs the planner, and no LLM serves the "planner" alias here; configure llm.aliases.planner`,
    );
  }
}

export async function resolveAct(o: ActOptions): Promise<ActOutcome> {
  const { env, instruction } = o;
  const { page, variables: v } = env;
  const key: CacheKey = { projectId: o.projectId, urlPattern: urlPattern(page.url()), instruction };
  // The page's snapshot (taken before anything acts on it) and the cache's answer, at once.
  const [view, cached] = await Promise.all([
    viewPage(page, v.redact, env.timeoutMs),
    o.cacheDb ? findCachedAction(o.cacheDb, key) : undefined,
  ]);
  const hash = structureHash(view.snapshot);
  let healing = false;
  if (o.cacheDb) {
    if (cached) {
      try {
        await performAction({ ...env, timeoutMs: Math.min(env.timeoutMs, REPLAY_TIMEOUT_MS) }, cached.action);
        const counted = recordCacheHit(o.cacheDb, key, hash).catch((error) => {
          o.logger?.warn({ err: error }, 'a cache hit could not be counted');
        });
        return {
          cache: cached.structureHash === hash ? 'hit' : 'replayed',
          resolved: cached.action,
          message: `${describeAction(cached.action)} (from the cache)`,
          counted,
        };
      } catch (error) {
        if (error instanceof UnknownVariableError) throw error;
        healing = true;
        o.logger?.info(
          { instruction, error: v.redact(firstLine(error)) },
          'a cached action failed; asking the planner again',
        );
      }
    }
  }
  if (!o.planner) throw new PlannerMissingError('act');
  let problem: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const current = attempt === 0 && !healing ? view : await viewPage(page, v.redact, env.timeoutMs);
    const planned = await o.planner.act(current, instruction, problem);
    const target = await targetForRef(page, planned.element, env.timeoutMs).catch(() => undefined);
    let failure: string;
    if (!target) failure = `${planned.element} is not an element of the latest snapshot`;
    else {
      const action = toCached(planned, target);
      try {
        await performAction(env, action);
        if (o.cacheDb) await storeCachedAction(o.cacheDb, key, { action, structureHash: hash }, healing);
        return { cache: healing ? 'healed' : 'miss', resolved: action, message: describeAction(action) };
      } catch (error) {
        if (error instanceof UnknownVariableError) throw error;
        failure = `${describeAction(action)} failed: ${v.redact(firstLine(error))}`;
      }
    }
    if (attempt >= PLANNER_RETRIES) throw new Error(`the planner's action did not work: ${failure}`);
    problem = failure;
    // Backoff: the page may still be settling after the failed try.
    await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
  }
}

export function toCached(p: PlannedAction, target: CachedAction['target']): CachedAction {
  return {
    action: p.action,
    target,
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(p.description ? { description: p.description } : {}),
  };
}
