/**
 * A fixed table indexed by what someone typed (a noun in a prompt, a type name, a cron alias). A
 * plain object literal inherits `constructor`, `toString`, `__proto__` and the rest, so
 * `TABLE['constructor']` would be a function instead of "not there". This table has no prototype:
 * only its own entries are found.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** True for a name every plain object already answers to (`constructor`, `toString`, `__proto__`…). */
export function isInheritedName(name: string): boolean {
  return INHERITED.has(name);
}
