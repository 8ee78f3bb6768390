import type { Finding } from './scan-patch.mjs';

export const MAX_LISTED: number;
export function formatRefusal(scan: {
  findings: readonly Finding[];
  exceeded: boolean;
  maxBytes: number;
  allowUrl?: string;
}): string;
export function formatFailure(reason: string): string;
