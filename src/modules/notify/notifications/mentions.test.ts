import { expect, it } from 'vitest';
import { mentionedUsernames } from './mentions.ts';

it('finds @names, once each, but not in email addresses or code', () => {
  expect(
    mentionedUsernames(
      '@alice and @bob.smith, thanks @alice! mail me at carol@example.com; `@dave` ```\n@erin\n``` (@frank)',
    ),
  ).toEqual(['alice', 'bob.smith', 'frank']);
});

it('takes no trailing punctuation into a name', () => {
  expect(mentionedUsernames('ping @zoe. and @x')).toEqual(['zoe', 'x']);
});
