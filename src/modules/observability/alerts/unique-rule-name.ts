import { ConflictError } from '../../../platform/errors.ts';

/** Runs a write that may hit the one-name-per-environment rule, turning that into a clear 409. */
export async function uniqueRuleName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string; constraint?: string }).code === '23505')
      throw new ConflictError(
        `This environment already has an alert rule named "${name}"; pick another name.`,
      );
    throw error;
  }
}
