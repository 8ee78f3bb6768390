/**
 * The expressions of workflow files: `${{ … }}` inside strings, and `if:`. A small, closed
 * language — literals, context paths, comparisons, `&&` `||` `!`, parentheses and a few functions —
 * with nothing that reaches outside the values it is given (docs/workflows.md, "Expressions").
 */

export type Node =
  | { type: 'literal'; value: unknown }
  | { type: 'path'; root: string; parts: Array<string | number> }
  | { type: 'not'; operand: Node }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node }
  | { type: 'call'; name: FunctionName; args: Node[] };

type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

const FUNCTIONS = {
  contains: 2,
  startsWith: 2,
  endsWith: 2,
  join: 2,
  toJSON: 1,
  length: 1,
} as const;
type FunctionName = keyof typeof FUNCTIONS;

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ident'; value: string }
  | { kind: 'op'; value: string };

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /-?\d+(\.\d+)?/y;
const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ','];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ExpressionError('a string is not closed (strings use single quotes)');
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number && (c !== '-' || /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    IDENT.lastIndex = i;
    const ident = IDENT.exec(text);
    if (ident) {
      tokens.push({ kind: 'ident', value: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected "${c}"`);
    tokens.push({ kind: 'op', value: op });
    i += op.length;
  }
  return tokens;
}

/** Parses one expression (the text between `${{` and `}}`, or an `if:`). */
export function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (value: string) => {
    const t = peek();
    return t?.kind === 'op' && t.value === value;
  };
  const expect = (value: string) => {
    if (!isOp(value)) throw new ExpressionError(`expected "${value}"${describeAt(peek())}`);
    at++;
  };
  const binary = (next: () => Node, ops: BinaryOp[]) => (): Node => {
    let left = next();
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op' || !ops.includes(t.value as BinaryOp)) return left;
      at++;
      left = { type: 'binary', op: t.value as BinaryOp, left, right: next() };
    }
  };
  const primary = (): Node => {
    const t = tokens[at++];
    if (!t) throw new ExpressionError('the expression ends too early');
    if (t.kind === 'number' || t.kind === 'string') return { type: 'literal', value: t.value };
    if (t.kind === 'op' && t.value === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (t.kind === 'op' && t.value === '!') return { type: 'not', operand: primary() };
    if (t.kind !== 'ident') throw new ExpressionError(`unexpected "${t.value}"`);
    if (t.value === 'true' || t.value === 'false') return { type: 'literal', value: t.value === 'true' };
    if (t.value === 'null') return { type: 'literal', value: null };
    if (isOp('(')) {
      if (!Object.hasOwn(FUNCTIONS, t.value))
        throw new ExpressionError(
          `"${t.value}" is not a function (known: ${Object.keys(FUNCTIONS).join(', ')})`,
        );
      const name = t.value as FunctionName;
      at++;
      const args: Node[] = [];
      if (!isOp(')')) {
        args.push(or());
        while (isOp(',')) {
          at++;
          args.push(or());
        }
      }
      expect(')');
      if (args.length !== FUNCTIONS[name])
        throw new ExpressionError(
          `${name}() takes ${FUNCTIONS[name]} argument${FUNCTIONS[name] > 1 ? 's' : ''}`,
        );
      return { type: 'call', name, args };
    }
    const parts: Array<string | number> = [];
    for (;;) {
      if (isOp('.')) {
        at++;
        const name = tokens[at++];
        if (name?.kind !== 'ident') throw new ExpressionError(`expected a name after "."${describeAt(name)}`);
        parts.push(name.value);
      } else if (isOp('[')) {
        at++;
        const index = tokens[at++];
        if (index?.kind !== 'number' && index?.kind !== 'string')
          throw new ExpressionError('expected a number or a quoted name inside [ ]');
        parts.push(index.value);
        expect(']');
      } else break;
    }
    return { type: 'path', root: t.value, parts };
  };
  const comparison = binary(primary, ['==', '!=', '<', '<=', '>', '>=']);
  const and = binary(comparison, ['&&']);
  const or = binary(and, ['||']);
  if (tokens.length === 0) throw new ExpressionError('the expression is empty');
  const node = or();
  if (at < tokens.length) throw new ExpressionError(`unexpected "${tokens[at]!.value}"`);
  return node;
}

function describeAt(t: Token | undefined) {
  return t ? `, found "${t.value}"` : ', found the end';
}

/** Every context path an expression reads (`needs.build.outputs`, `inputs.env`, `item`). */
export function pathsOf(node: Node): Array<Extract<Node, { type: 'path' }>> {
  switch (node.type) {
    case 'path':
      return [node];
    case 'not':
      return pathsOf(node.operand);
    case 'binary':
      return [...pathsOf(node.left), ...pathsOf(node.right)];
    case 'call':
      return node.args.flatMap(pathsOf);
    default:
      return [];
  }
}

/** The values expressions read: `inputs`, `needs`, `workflow`, `project`, and `item`/`index` in a fan-out. */
export type ExpressionContext = Record<string, unknown>;

/** JavaScript's falsy values, as a condition reads them. */
export function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === undefined || value === 0 || value === '');
}

function lookup(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return null;
  // A list is read by index only (its length is length()).
  if (Array.isArray(value)) return /^\d+$/.test(String(key)) ? (value[Number(key)] ?? null) : null;
  // Only the value's own data: never a method or a prototype's member.
  if (!Object.hasOwn(value, key)) return null;
  return (value as Record<string | number, unknown>)[key] ?? null;
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return equal(b, a);
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function order(a: unknown, b: unknown): number {
  const x = typeof a === 'number' ? a : Number(a);
  const y = typeof b === 'number' ? b : Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return String(a).localeCompare(String(b));
  return x - y;
}

export function evaluate(node: Node, context: ExpressionContext): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'path':
      return node.parts.reduce<unknown>((v, p) => lookup(v, p), lookup(context, node.root));
    case 'not':
      return !truthy(evaluate(node.operand, context));
    case 'binary': {
      if (node.op === '&&') {
        const left = evaluate(node.left, context);
        return truthy(left) ? evaluate(node.right, context) : left;
      }
      if (node.op === '||') {
        const left = evaluate(node.left, context);
        return truthy(left) ? left : evaluate(node.right, context);
      }
      const a = evaluate(node.left, context);
      const b = evaluate(node.right, context);
      if (node.op === '==') return equal(a, b);
      if (node.op === '!=') return !equal(a, b);
      const d = order(a, b);
      return node.op === '<' ? d < 0 : node.op === '<=' ? d <= 0 : node.op === '>' ? d > 0 : d >= 0;
    }
    case 'call': {
      const [a, b] = node.args.map((arg) => evaluate(arg, context));
      switch (node.name) {
        case 'contains':
          return Array.isArray(a) ? a.some((x) => equal(x, b)) : String(a ?? '').includes(String(b ?? ''));
        case 'startsWith':
          return String(a ?? '').startsWith(String(b ?? ''));
        case 'endsWith':
          return String(a ?? '').endsWith(String(b ?? ''));
        case 'join':
          return Array.isArray(a) ? a.map((x) => toText(x)).join(String(b ?? ',')) : toText(a);
        case 'toJSON':
          return JSON.stringify(a ?? null);
        case 'length':
          return Array.isArray(a) || typeof a === 'string'
            ? a.length
            : a && typeof a === 'object'
              ? Object.keys(a).length
              : 0;
      }
    }
  }
}

/** How a value reads inside a string: text as is, null as nothing, anything else as JSON. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** The expressions of a string, with their offsets (for error messages). */
export function expressionsIn(text: string): Array<{ source: string; index: number }> {
  return [...text.matchAll(TEMPLATE)].map((m) => ({ source: m[1]!, index: m.index }));
}

/**
 * Substitutes `${{ … }}` in a string: a string that is one expression and nothing else gives the
 * expression's value as it is (a list stays a list); otherwise each value is written into the text.
 */
export function interpolate(text: string, context: ExpressionContext): unknown {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole && !whole[1]!.includes('}}')) return evaluate(parseExpression(whole[1]!), context);
  return text.replace(TEMPLATE, (_, source: string) => toText(evaluate(parseExpression(source), context)));
}

/** Substitutes every string inside a value (lists and mappings included). */
export function resolveValue(value: unknown, context: ExpressionContext): unknown {
  if (typeof value === 'string') return interpolate(value, context);
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, context));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, context)]));
  return value;
}

/** An `if:` condition: `${{ expr }}` or the bare expression, as GitHub Actions takes both. */
export function conditionSource(condition: string): string {
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  return whole ? whole[1]! : condition;
}
