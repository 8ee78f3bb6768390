import { isMap, isNode, isSeq, LineCounter, parseDocument } from 'yaml';
import type { StoryLocator } from './verification-annotations.ts';

/** Where a scaffolded app keeps the Blueprint it was built from. */
export const BLUEPRINT_FILE = '.orchard/blueprint.json';

/**
 * Finds user stories in the text of a Blueprint file (JSON, read as the YAML it also is, which
 * keeps each value's position): a story by its id, its criterion by index, a step of its check by
 * index, each falling back to the one around it. No text, or text that does not parse, finds none.
 */
export function storyLocator(text: string | undefined, file = BLUEPRINT_FILE): StoryLocator {
  if (text === undefined) return () => undefined;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const stories = doc.errors.length ? undefined : doc.get('userStories', true);
  if (!isSeq(stories)) return () => undefined;
  const lineOf = (path: Array<string | number>) => {
    const node = doc.getIn(path, true);
    return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  return (story, step) => {
    const index = stories.items.findIndex((item) => isMap(item) && item.get('id') === story.id);
    if (index < 0) return undefined;
    const criterion = ['userStories', index, 'acceptance', story.criterion];
    const candidates = [
      ...(step === undefined ? [] : [[...criterion, 'check', 'steps', step]]),
      criterion,
      ['userStories', index],
    ];
    for (const path of candidates) {
      const line = lineOf(path);
      if (line !== undefined) return { path: file, line };
    }
    return undefined;
  };
}
