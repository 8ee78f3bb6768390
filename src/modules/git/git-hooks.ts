import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Hooks every push runs through, shared by all repositories (`git -c core.hooksPath=…`).
 *
 * `update` enforces protected branches per ref: Orchard computes whether the pusher may update
 * them before spawning receive-pack and passes the answer in the environment, so the hook needs
 * no call back into the server. Git itself has parsed the command list by then (capabilities,
 * push options, gzip, atomic pushes), so the decision applies to exactly the updates git is about
 * to make, and the client sees a normal `! [remote rejected]` line with our message. It runs
 * before git moves the ref, so a refused update leaves the ref as it was.
 *
 * For an agent token it also holds the push to the token's branches: ORCHARD_AGENT_FOR names the
 * person the agent acts for (set only for agent tokens), ORCHARD_AGENT_BRANCHES the glob, and no
 * ref may be deleted (the same rule as agent-push-rule.ts).
 *
 * `pre-receive` has the server scan the commits the push adds for secrets (secret-scan/
 * scan-service.ts, over loopback with a one-time ticket from the environment), before `update` and
 * before git moves any ref: a finding refuses the whole push, and so does a scanner that cannot be
 * reached or does not answer. It is bash for `/dev/tcp`. Without ORCHARD_SCAN_PORT it lets the push
 * through: only smart HTTP sets it.
 *
 * `post-receive` writes the updates git actually applied to the file named by ORCHARD_PUSH_LOG;
 * Orchard reads it after receive-pack exits to drive push handling.
 */
const PRE_RECEIVE = `#!/bin/bash
# Orchard: refuse a push that adds a private key, an API key or a .env file. The server scans it:
# this hands it the ticket, git's quarantine paths and the ref lines, and relays the verdict.
if [ -z "$ORCHARD_SCAN_PORT" ]; then
  cat > /dev/null
  exit 0
fi
if ! exec 3<>"/dev/tcp/127.0.0.1/$ORCHARD_SCAN_PORT"; then
  cat > /dev/null
  echo "Orchard could not reach its secret scanner, so this push was refused. Nothing was updated. Try again." >&2
  exit 1
fi
{
  printf '%s\\n%s\\n%s\\n%s\\n' "$ORCHARD_SCAN_TICKET" "$GIT_OBJECT_DIRECTORY" "$GIT_ALTERNATE_OBJECT_DIRECTORIES" "$GIT_QUARANTINE_PATH"
  cat
  printf '.\\n'
} >&3
verdict=
read -r verdict <&3
cat <&3 >&2
if [ "$verdict" = "ok" ]; then
  exit 0
fi
if [ -z "$verdict" ]; then
  echo "Orchard could not scan this push for secrets (the scanner did not answer), so it was refused. Nothing was updated. Try again." >&2
fi
exit 1
`;

const UPDATE = `#!/bin/sh
# Orchard: agent tokens push only to their branches and delete nothing; protected branches accept
# updates only from maintainers.
ref="$1"
if [ -n "$ORCHARD_AGENT_FOR" ]; then
  case "$3" in
    *[!0]*) ;;
    *)
      echo "Orchard: agent tokens may not delete refs; $ref was kept (the agent acts for $ORCHARD_AGENT_FOR)." >&2
      exit 1
      ;;
  esac
  allowed=0
  case "$ref" in
    refs/heads/*)
      # Unquoted: the glob is a pattern here (its * matches "/" too).
      case "\${ref#refs/heads/}" in
        $ORCHARD_AGENT_BRANCHES) allowed=1 ;;
      esac
      ;;
  esac
  if [ "$allowed" != "1" ]; then
    echo "Orchard: agent tokens may push only to $ORCHARD_AGENT_BRANCHES; $ref was refused (the agent acts for $ORCHARD_AGENT_FOR)." >&2
    exit 1
  fi
fi
case " $ORCHARD_PROTECTED_REFS " in
  *" $ref "*)
    if [ "$ORCHARD_MAY_UPDATE_PROTECTED" != "1" ]; then
      echo "Orchard: $ref is protected; only maintainers may push to it. Push a branch and open a merge request." >&2
      exit 1
    fi
    ;;
esac
exit 0
`;

const POST_RECEIVE = `#!/bin/sh
# Orchard: record the ref updates this push applied.
if [ -n "$ORCHARD_PUSH_LOG" ]; then
  cat > "$ORCHARD_PUSH_LOG"
else
  cat > /dev/null
fi
exit 0
`;

const written = new Set<string>();

/** Writes the hooks into `<home>/git-hooks` (once per process) and returns that directory. */
export async function ensureHooks(home: string): Promise<string> {
  const dir = path.join(home, 'git-hooks');
  if (written.has(dir)) return dir;
  await mkdir(dir, { recursive: true });
  for (const [name, body] of [
    ['pre-receive', PRE_RECEIVE],
    ['update', UPDATE],
    ['post-receive', POST_RECEIVE],
  ] as const) {
    const file = path.join(dir, name);
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current === body) continue;
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, body, { mode: 0o755 });
    await rename(temp, file);
  }
  written.add(dir);
  return dir;
}
