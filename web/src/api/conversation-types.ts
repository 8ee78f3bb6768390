/** The conversations API's answers (src/modules/llm/conversations), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

/** A conversation in a listing; with a search, `match` is its best passage, the terms in «». */
export type Conversation = ItemOf<Answer<'/api/conversations', 'get'>>;
export type ConversationDetail = Answer<'/api/conversations/{id}', 'get'>;
export type ConversationMessage = ConversationDetail['messages'][number];
/** Who wrote a reply: the model that answered (and the one it fell back from), or rules. */
export type AnsweredBy = NonNullable<ConversationMessage['answeredBy']>;
