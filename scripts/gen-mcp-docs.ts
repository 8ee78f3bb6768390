// `npm run gen:mcp-docs`: writes the tool list of docs/mcp.md (between its `tools` markers) from the
// tool definitions themselves (src/modules/mcp/tools/). `--check` writes nothing and exits 1 when
// the committed list differs from what the code offers today.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type McpTool, orchardTools } from '../src/modules/mcp/index.ts';
import { projectRoleNeeded } from '../src/platform/http/route-auth.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILE = path.join(ROOT, 'docs', 'mcp.md');
const START = '<!-- tools:start (npm run gen:mcp-docs) -->';
const END = '<!-- tools:end -->';

/** Who may call a tool: the gate of the route it wraps, in words. */
function who(tool: McpTool): string {
  const { method, url, config = {} } = tool.route;
  const parts: string[] = [];
  if (config.adminOnly) parts.push('instance admins');
  else if (url.startsWith('/api/projects/:slug'))
    parts.push(`${projectRoleNeeded(config, method)}s of the project`);
  else if (tool.minRole) parts.push(`${tool.minRole}s of its project`);
  else parts.push('anyone signed in');
  parts.push(`\`${config.scope ?? (method === 'GET' ? 'read' : 'write')}\` scope`);
  if (config.delegated === true) parts.push('agents too');
  else if (!config.delegated && method === 'GET' && url.startsWith('/api/projects/:slug'))
    parts.push('agents in their own project');
  else parts.push('not agents');
  return parts.join(', ');
}

interface Property {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Property[];
}

function typeOf(p: Property): string {
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (p.anyOf) return p.anyOf.map(typeOf).join(' \\| ');
  return [p.type ?? 'any'].flat().join(' \\| ');
}

function inputs(tool: McpTool): string {
  const schema = z.toJSONSchema(tool.input, { io: 'input' }) as {
    properties?: Record<string, Property>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {})
    .map(([name, p]) => {
      return `\`${name}${schema.required?.includes(name) ? '' : '?'}\`: ${typeOf(p)}`;
    })
    .join(', ');
}

export function toolTable(): string {
  // Definitions only: nothing is called, so nothing is connected.
  const tools = orchardTools({} as Parameters<typeof orchardTools>[0], {
    onPush: [],
    onEvent: [],
    overviews: {} as never,
    agents: {} as never,
  });
  const sets = [...new Set(tools.map((t) => t.set))];
  return sets
    .map((set) =>
      [
        `### ${set}`,
        '',
        '| Tool | What it does | Input | Who may call it (the HTTP route it wraps) |',
        '| --- | --- | --- | --- |',
        ...tools
          .filter((t) => t.set === set)
          .map(
            (t) =>
              `| \`${t.name}\` | ${t.description} | ${inputs(t)} | ${who(t)} (\`${t.route.method} ${t.route.url}\`) |`,
          ),
      ].join('\n'),
    )
    .join('\n\n');
}

const text = await readFile(FILE, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) throw new Error(`${FILE} lacks the ${START} … ${END} markers`);
const next = `${text.slice(0, start + START.length)}\n\n${toolTable()}\n\n${text.slice(end)}`;
if (process.argv.includes('--check')) {
  if (next !== text) {
    console.error('docs/mcp.md lists other tools than the code offers: run npm run gen:mcp-docs');
    process.exit(1);
  }
} else if (next !== text) {
  await writeFile(FILE, next);
  console.log('docs/mcp.md: tool list written');
}
