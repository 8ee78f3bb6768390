/** The system API's answers (src/modules/system), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

/** One thing the machine lacks (`GET /api/system/warnings`, the same checks as `orchard doctor`). */
export type SystemWarning = ItemOf<Answer<'/api/system/warnings', 'get'>>;
