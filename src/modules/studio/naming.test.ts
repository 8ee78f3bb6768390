import { describe, expect, it } from 'vitest';
import {
  clip,
  collectionName,
  humanize,
  pluralizeWord,
  singularizeName,
  singularizeWord,
  slugOf,
  toCamelCase,
  toPascalCase,
} from './naming.ts';

describe('naming', () => {
  it.each([
    ['photo', 'photos'],
    ['category', 'categories'],
    ['box', 'boxes'],
    ['match', 'matches'],
    ['day', 'days'],
    ['person', 'people'],
    ['news', 'news'],
  ])('%s ↔ %s', (one, many) => {
    expect(pluralizeWord(one)).toBe(many);
    expect(singularizeWord(many)).toBe(one);
  });

  it('leaves words that only look plural alone', () => {
    expect(singularizeWord('status')).toBe('status');
    expect(singularizeWord('address')).toBe('address');
    expect(singularizeWord('bus')).toBe('bus');
  });

  it('converts between the cases Blueprint names use', () => {
    expect(toPascalCase('blog post')).toBe('BlogPost');
    expect(toCamelCase('Due date')).toBe('dueDate');
    expect(singularizeName('blog posts')).toBe('BlogPost');
    expect(collectionName('BlogPost')).toBe('blog-posts');
    expect(collectionName('Person')).toBe('people');
    expect(humanize('imageUrl')).toBe('Image URL');
    expect(humanize('BlogPost')).toBe('Blog post');
  });

  it('makes slugs and clips text at a word boundary', () => {
    expect(slugOf('Crème brûlée!')).toBe('creme-brulee');
    expect(slugOf('!!!')).toBe('app');
    expect(clip('one two three four', 12)).toBe('one two…');
    expect(clip('short', 12)).toBe('short');
  });
});
