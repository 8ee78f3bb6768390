/**
 * The value `object` holds itself under `key`, or undefined. Field names come from the Blueprint
 * and may be words every object already answers to (`constructor`, `toString`): `form.constructor`
 * would be a function, not "not sent".
 */
export function own(object, key) {
  return object != null && Object.hasOwn(object, key) ? object[key] : undefined;
}
