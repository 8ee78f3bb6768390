import { describe, expect, it } from 'vitest';
import {
  clip,
  collectionName,
  humanize,
  isReservedWord,
  memberName,
  pluralizeName,
  pluralizeWord,
  safeIdentifier,
  singularizeName,
  singularizeWord,
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

  it('clips text at a word boundary', () => {
    expect(clip('one two three four', 12)).toBe('one two…');
    expect(clip('short', 12)).toBe('short');
  });

  it('pluralizes the names every JavaScript object inherits like any other word', () => {
    for (const [one, many] of [
      ['constructor', 'constructors'],
      ['prototype', 'prototypes'],
      ['toString', 'toStrings'],
      ['valueOf', 'valueOfs'],
      ['hasOwnProperty', 'hasOwnProperties'],
      ['__proto__', '__proto__s'],
    ]) {
      expect(pluralizeWord(one!)).toBe(many);
      expect(singularizeWord(many!)).toBe(one);
    }
    expect(pluralizeName('Constructor')).toBe('Constructors');
    expect(collectionName('Class')).toBe('classes');
  });

  it('never hands out a reserved word as an identifier or a member name', () => {
    const reserved = [
      'class',
      'constructor',
      'prototype',
      '__proto__',
      'delete',
      'new',
      'function',
      'default',
      'enum',
      'await',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      'arguments',
      'undefined',
    ];
    for (const word of reserved) {
      expect(isReservedWord(word), word).toBe(true);
      expect(isReservedWord(safeIdentifier(word, 'Model')), word).toBe(false);
    }
    expect(safeIdentifier('Class', 'Model')).toBe('classModel');
    expect(safeIdentifier('BlogPost', 'Model')).toBe('blogPost');
    expect(memberName('class')).toBe('classValue');
    expect(memberName('to string')).toBe('toStringValue');
    expect(memberName('Due date')).toBe('dueDate');
    // Only the exact word is reserved: names that merely contain one are fine as they are.
    expect(memberName('class name')).toBe('className');
    expect(isReservedWord('Class')).toBe(false);
  });
});
