/** Where the dependency graph draws each feature: by depth (what it waits for sits to its left). */

export interface GraphNode {
  id: string;
  title: string;
  phase: string;
  x: number;
  y: number;
}

export interface GraphEdge {
  /** The feature that waits. */
  from: string;
  /** The feature it waits for. */
  to: string;
  /** An SVG path from the right edge of `to` to the left edge of `from`. */
  d: string;
}

export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 44;
const GAP_X = 70;
const GAP_Y = 16;

/**
 * Lays out the features that wait for, or are waited for by, another: a feature's column is the
 * length of the longest chain of features it waits for (cycles are refused by the server, so the
 * chain ends); rows keep the board's order within a column.
 */
export function layoutDependencies(
  features: ReadonlyArray<{ id: string; title: string; phase: string; dependsOn: readonly string[] }>,
): { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number } {
  const byId = new Map(features.map((f) => [f.id, f]));
  const linked = new Set<string>();
  for (const f of features)
    for (const d of f.dependsOn)
      if (byId.has(d)) {
        linked.add(f.id);
        linked.add(d);
      }
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = (byId.get(id)?.dependsOn ?? []).filter((d) => byId.has(d));
    const value = deps.length ? 1 + Math.max(...deps.map((d) => depthOf(d, seen))) : 0;
    depth.set(id, value);
    return value;
  };
  const rows = new Map<number, number>();
  const nodes: GraphNode[] = [];
  for (const f of features) {
    if (!linked.has(f.id)) continue;
    const column = depthOf(f.id, new Set());
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    nodes.push({
      id: f.id,
      title: f.title,
      phase: f.phase,
      x: column * (NODE_WIDTH + GAP_X),
      y: row * (NODE_HEIGHT + GAP_Y),
    });
  }
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: GraphEdge[] = [];
  for (const f of features)
    for (const d of f.dependsOn) {
      const from = at.get(f.id);
      const to = at.get(d);
      if (!from || !to) continue;
      const x1 = to.x + NODE_WIDTH;
      const y1 = to.y + NODE_HEIGHT / 2;
      const x2 = from.x;
      const y2 = from.y + NODE_HEIGHT / 2;
      const mid = (x1 + x2) / 2;
      edges.push({ from: f.id, to: d, d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
    }
  const width = nodes.length ? Math.max(...nodes.map((n) => n.x)) + NODE_WIDTH : 0;
  const height = nodes.length ? Math.max(...nodes.map((n) => n.y)) + NODE_HEIGHT : 0;
  return { nodes, edges, width, height };
}
