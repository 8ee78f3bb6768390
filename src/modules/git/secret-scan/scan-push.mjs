// The pre-receive hook's scanner (git-hooks.ts runs it as `$ORCHARD_NODE $ORCHARD_SECRET_SCAN`).
// Plain JavaScript so bare `node` starts it fast; it imports nothing but node: built-ins and its
// siblings. Like every hook, it is its own process: it learns what it needs from the environment
// smart-http.ts gives receive-pack (the allowed fingerprints, the byte budget), never by calling
// back into the server.
//
// stdin: `<old> <new> <ref>` per updated ref. The pushed objects are in git's quarantine, which
// the environment git gives hooks makes visible to the git commands run here. Exit 0 accepts the
// push; anything else refuses every ref of it (pre-receive runs before git moves any).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { DIFF_TREE_ARGS, scanPatch } from './scan-patch.mjs';
import { formatFailure, formatRefusal } from './scan-report.mjs';

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Runs git with `input` on stdin; `consume` reads its stdout (default: as text). Throws when git fails. */
async function git(args, input, consume = collect) {
  const child = spawn('git', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => {
    if (stderr.length < 4000) stderr += c;
  });
  const closed = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  closed.catch(() => undefined);
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  let value;
  try {
    value = await consume(child.stdout);
  } finally {
    // Stopped early (over the byte budget, or failed): git need not finish.
    if (value === undefined || value.exceeded) child.kill();
  }
  const code = await closed;
  if (code !== 0 && !value.exceeded) {
    const name = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c');
    throw new Error(`git ${name} exited with ${code}: ${stderr.trim().split('\n').slice(-2).join(' ')}`);
  }
  return value;
}

async function collect(stream) {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

/** A blob a ref points at directly (rare: `git tag x <blob>`), as if a file of that name were added. */
async function* blobAsPatch(name, content) {
  const lines = content.toString('utf8').split('\n');
  yield Buffer.from(`diff --git a/${name} b/${name}\nnew file mode 100644\n--- /dev/null\n+++ b/${name}\n`);
  yield Buffer.from(`@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`);
}

/**
 * Each new tip once tags are peeled: commits (the usual case), a tree as if its files were added,
 * a blob as one file. (rev-list alone would skip a tree or blob tip without a word.)
 */
async function scanTips(updates, scan, result, { maxBytes, allowed }) {
  const types = (
    await git(
      ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'],
      `${updates.map(([, sha]) => `${sha}^{}`).join('\n')}\n`,
    )
  )
    .trim()
    .split('\n')
    .map((line, i) => {
      const [sha, type, size] = line.split(' ');
      return { sha, type, size: Number(size), ref: updates[i][2] };
    });
  const commits = types.filter((t) => t.type === 'commit').map((t) => t.sha);
  if (commits.length) {
    // The commits this push brings that no ref of the repository has yet (a new branch's too).
    const fresh = await git(
      ['rev-list', '--reverse', '--topo-order', '--stdin', '--not', '--all'],
      `${commits.join('\n')}\n`,
    );
    if (fresh.trim()) await scan(DIFF_TREE_ARGS, fresh);
  }
  for (const t of types.filter((x) => x.type === 'tree')) {
    const args = DIFF_TREE_ARGS.filter((a) => !['--stdin', '--root', '--cc'].includes(a));
    await scan([...args, EMPTY_TREE, t.sha], '', t.ref);
  }
  for (const t of types.filter((x) => x.type === 'blob')) {
    if (result.exceeded) break;
    if (t.size > maxBytes - result.used) {
      result.exceeded = true;
      break;
    }
    const content = await git(['cat-file', 'blob', t.sha], '', async (out) => {
      const chunks = [];
      for await (const c of out) chunks.push(c);
      return Buffer.concat(chunks);
    });
    const r = await scanPatch(blobAsPatch(t.ref, content), { allowed, label: t.ref });
    result.findings.push(...r.findings);
  }
}

async function main() {
  const updates = (await collect(process.stdin))
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((parts) => parts.length === 3 && !/^0+$/.test(parts[1]));
  if (!updates.length) return 0;

  const allowedFile = process.env.ORCHARD_SECRET_ALLOWED;
  const allowed = new Set(
    allowedFile ? (await readFile(allowedFile, 'utf8')).split('\n').filter(Boolean) : [],
  );
  const maxBytes = Number(process.env.ORCHARD_SECRET_SCAN_MAX_BYTES) || DEFAULT_MAX_BYTES;
  const result = { findings: [], exceeded: false, used: 0 };
  const scan = async (args, input, label) => {
    if (result.exceeded) return;
    const r = await git(args, input, (out) =>
      scanPatch(out, { maxBytes: maxBytes - result.used, allowed, label }),
    );
    result.findings.push(...r.findings);
    result.used += r.scannedBytes;
    result.exceeded ||= r.exceeded;
  };

  await scanTips(updates, scan, result, { maxBytes, allowed });

  const message = formatRefusal({
    findings: result.findings,
    exceeded: result.exceeded,
    maxBytes,
    allowUrl: process.env.ORCHARD_SECRET_ALLOW_URL,
  });
  if (!message) return 0;
  process.stderr.write(message);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(formatFailure(error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  },
);
