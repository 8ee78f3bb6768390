import type { BuildRuntime, TemplateFit } from '../../api/studio-types.ts';
import type { LiveArtifact, LiveLog } from '../operations/live-operation-state.ts';

/** What a `studio.build` operation is about: a first build or a change request, and who writes the code. */
export interface BuildFacts {
  change: boolean;
  /** The change request (or prompt) in the requester's words. */
  request?: string;
  runtime?: BuildRuntime;
  fit?: TemplateFit;
}

/** The `plan` step's line: "Template match: crud-app, confidence 25 %. <reason>". */
const FIT_LINE = /^Template match: (\S+), confidence (\d+) %\. ?(.*)$/s;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function fitOf(value: unknown): TemplateFit | undefined {
  if (!isRecord(value)) return undefined;
  const { template, confidence, reason } = value;
  if ((template !== 'crud-app' && template !== 'landing-page') || typeof confidence !== 'number')
    return undefined;
  return { template, confidence, reason: typeof reason === 'string' ? reason : '' };
}

/** The fit as the plan step logged it, for a build whose input does not carry it. */
function fitFromLogs(logs: LiveLog[]): TemplateFit | undefined {
  for (const log of logs) {
    const match = FIT_LINE.exec(log.text);
    if (match) return fitOf({ template: match[1], confidence: Number(match[2]) / 100, reason: match[3] });
  }
  return undefined;
}

/** Reads the build's input (as `startBuild` wrote it), falling back to the plan step's log line. */
export function buildFacts(input: unknown, logs: LiveLog[] = []): BuildFacts {
  const given = isRecord(input) ? input : {};
  const runtime = given.runtime === 'scaffold' || given.runtime === 'llm-agent' ? given.runtime : undefined;
  return {
    change: given.change === true,
    request: typeof given.request === 'string' ? given.request : undefined,
    runtime,
    fit: fitOf(given.fit) ?? fitFromLogs(logs),
  };
}

/** The links a build announced (newest of each kind), for the Studio to show as they arrive. */
export interface BuildResults {
  sessionId?: string;
  /** The deployed app: staging for a build, `preview/<branch>` for a change request. */
  deployed?: { name: string; url: string };
  verification?: { passed: boolean; summary: string };
  mergeRequest?: { name: string; path: string };
}

/** Folds a build's artifacts into the links the Studio shows. */
export function buildResults(artifacts: LiveArtifact[]): BuildResults {
  const results: BuildResults = {};
  for (const a of artifacts) {
    if (a.kind === 'agent-session' && typeof a.data.sessionId === 'string')
      results.sessionId = a.data.sessionId;
    else if (a.kind === 'url' && a.url && /^https?:\/\//.test(a.url))
      results.deployed = { name: a.name, url: a.url };
    else if (a.kind === 'check' && a.name === 'browser-verification')
      results.verification = {
        passed: a.data.status === 'success',
        summary: typeof a.data.summary === 'string' ? a.data.summary : '',
      };
    else if (a.kind === 'merge-request' && a.url?.startsWith('/api/projects/'))
      results.mergeRequest = { name: a.name, path: a.url.slice('/api'.length) };
  }
  return results;
}
