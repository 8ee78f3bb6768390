/**
 * Masking throughput: 16 MiB of ordinary log through a StreamMasker in 64 KiB chunks (as a job's
 * output arrives), for a few typical tokens, the same plus a 2048-bit PEM key, and one 64 KiB value.
 *
 *   npm run bench:mask
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { StreamMasker, secretForms } from '../src/modules/secrets/index.ts';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;
const tokens = Array.from({ length: 5 }, () => randomBytes(24).toString('base64'));
const line =
  'npm info run esbuild@0.25.0 postinstall node_modules/esbuild node install.js 1234567890abcdef\n';
const log = line.repeat(Math.ceil((16 * 1024 * 1024) / line.length));
const CHUNK = 64 * 1024;

const cases: Array<[string, string[]]> = [
  ['5 tokens', tokens],
  ['5 tokens + 2048-bit PEM key', [...tokens, pem]],
  ['one 64 KiB value', [randomBytes(48 * 1024).toString('base64')]],
];
for (const [name, values] of cases) {
  let started = performance.now();
  const masker = new StreamMasker(values);
  const buildMs = performance.now() - started;
  started = performance.now();
  let out = 0;
  for (let i = 0; i < log.length; i += CHUNK) out += masker.push(log.slice(i, i + CHUNK)).length;
  out += masker.flush().length;
  const ms = performance.now() - started;
  if (out !== log.length) throw new Error('masking changed a log without secrets');
  const forms = values.flatMap(secretForms).length;
  console.log(
    `${name}: ${forms} forms, built in ${buildMs.toFixed(1)} ms, 16 MiB in ${ms.toFixed(0)} ms (${(16 / (ms / 1000)).toFixed(0)} MiB/s)`,
  );
}
