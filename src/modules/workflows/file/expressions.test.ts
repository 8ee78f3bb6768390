import { describe, expect, it } from 'vitest';
import {
  conditionSource,
  ExpressionError,
  evaluate,
  interpolate,
  parseExpression,
  resolveValue,
} from './expressions.ts';

const context = {
  inputs: { envs: ['staging', 'preview/x'], count: 2, name: "O'Hara" },
  needs: {
    build: { result: 'success', outputs: { version: '1.2.0', ok: true } },
    lint: { result: 'skipped', outputs: null },
  },
  item: { env: 'staging' },
  index: 0,
};
const run = (source: string) => evaluate(parseExpression(source), context);

describe('workflow expressions', () => {
  it('reads paths, compares, combines and calls the few functions', () => {
    expect(run('needs.build.outputs.version')).toBe('1.2.0');
    expect(run("needs.build.result == 'success' && needs.lint.result != 'success'")).toBe(true);
    expect(run("needs.lint.result == 'success' || 'fallback'")).toBe('fallback');
    expect(run('!needs.build.outputs.ok')).toBe(false);
    expect(run('inputs.envs[1]')).toBe('preview/x');
    expect(run("inputs['count'] >= 2")).toBe(true);
    expect(run("inputs.count == '2'")).toBe(true);
    expect(run("contains(inputs.envs, 'staging')")).toBe(true);
    expect(run("startsWith(item.env, 'stag')")).toBe(true);
    expect(run("join(inputs.envs, ' + ')")).toBe('staging + preview/x');
    expect(run('length(inputs.envs)')).toBe(2);
    expect(run('toJSON(needs.build.outputs)')).toBe('{"version":"1.2.0","ok":true}');
    expect(run("'it''s'")).toBe("it's");
    expect(run('(1 < 2) && !(2 < 1)')).toBe(true);
  });

  it('gives null for what is missing and never reaches past the values it is given', () => {
    expect(run('needs.deploy.outputs.url')).toBeNull();
    expect(run('inputs.constructor')).toBeNull();
    expect(run('inputs.envs.length')).toBeNull();
    expect(run('needs.build.outputs.version.__proto__')).toBeNull();
  });

  it('keeps a whole-string expression’s value and writes values into text', () => {
    expect(interpolate(`\${{ inputs.envs }}`, context)).toEqual(['staging', 'preview/x']);
    expect(interpolate(`Deploy \${{ item.env }} (#\${{ index }})`, context)).toBe('Deploy staging (#0)');
    expect(interpolate(`Outputs: \${{ needs.build.outputs }}`, context)).toBe(
      'Outputs: {"version":"1.2.0","ok":true}',
    );
    expect(interpolate(`Nothing: [\${{ needs.nope }}]`, context)).toBe('Nothing: []');
    expect(resolveValue({ paths: [`/\${{ item.env }}`], n: 3 }, context)).toEqual({
      paths: ['/staging'],
      n: 3,
    });
    expect(conditionSource(`\${{ a == b }}`)).toBe(' a == b ');
    expect(conditionSource('a == b')).toBe('a == b');
  });

  it('says what is wrong with an expression that does not parse', () => {
    const problem = (source: string) => {
      try {
        parseExpression(source);
        return undefined;
      } catch (error) {
        expect(error).toBeInstanceOf(ExpressionError);
        return (error as Error).message;
      }
    };
    expect(problem('a ==')).toBe('the expression ends too early');
    expect(problem("'open")).toBe('a string is not closed (strings use single quotes)');
    expect(problem('eval(1)')).toBe(
      '"eval" is not a function (known: contains, startsWith, endsWith, join, toJSON, length)',
    );
    expect(problem('contains(a)')).toBe('contains() takes 2 arguments');
    expect(problem('a b')).toBe('unexpected "b"');
    expect(problem('a.')).toBe('expected a name after ".", found the end');
    expect(problem('')).toBe('the expression is empty');
  });
});
