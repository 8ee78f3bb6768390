import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { patchMessage } from './patch-message.ts';

describe('patchMessage', () => {
  it('speaks of the problem, not of pointers or patch operations', () => {
    const error = new ApiError(
      422,
      'validation_failed',
      'Patch makes the Blueprint invalid: sections.dataModel.entities.0.fields.2.name: use camelCase letters and digits, e.g. title or dueDate (after op 0: add /sections/dataModel/entities/0/fields/-)',
      [
        {
          field: 'sections.dataModel.entities.0.fields.2.name',
          message:
            'use camelCase letters and digits, e.g. title or dueDate (after op 0: add /sections/dataModel/entities/0/fields/-)',
        },
      ],
    );
    expect(patchMessage(error)).toBe('Use camelCase letters and digits, e.g. title or dueDate');
    const bare = new ApiError(422, 'validation_failed', error.detail);
    expect(patchMessage(bare)).toBe('Use camelCase letters and digits, e.g. title or dueDate');
  });
});
