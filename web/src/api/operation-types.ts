/**
 * The operations API's answers (the engine behind every long-running thing, src/modules/operations),
 * from the generated openapi.gen.ts.
 */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type Operation = ItemOf<Answer<'/api/operations', 'get'>>;
export type OperationStatus = Operation['status'];
export type OperationDetail = Answer<'/api/operations/{id}', 'get'>;
export type OperationStep = OperationDetail['steps'][number];
/** One row of an operation's event log (`phase`, `progress`, `log`, `artifact`, `step`, `complete`, …). */
export type OperationEvent = ItemOf<Answer<'/api/operations/{id}/events', 'get'>>;
