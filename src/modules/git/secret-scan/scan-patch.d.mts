export interface Finding {
  ruleId: string;
  ruleName: string;
  path: string;
  line: number;
  /** The commit that adds it (or the ref, for a tree or blob a ref points at directly). */
  commit: string;
  redacted: string;
  fingerprint: string;
}

export interface PatchScan {
  findings: Finding[];
  /** Findings left out because their fingerprint is allowed. */
  allowedCount: number;
  scannedBytes: number;
  /** The output was over `maxBytes`: the rest was not scanned. */
  exceeded: boolean;
}

export const DIFF_TREE_ARGS: readonly string[];
export function unquotePath(text: string): string;
export function scanPatch(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  options?: { maxBytes?: number; allowed?: ReadonlySet<string>; label?: string },
): Promise<PatchScan>;
