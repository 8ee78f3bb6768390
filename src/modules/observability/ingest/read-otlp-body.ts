import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../platform/errors.ts';
import { decodeRequest, type Signal } from './otlp-codec.ts';

const gunzipAsync = promisify(gunzip);

export type OtlpEncoding = 'protobuf' | 'json';

/** The OTLP/HTTP content types: protobuf, or OTLP/JSON. */
export function encodingOf(contentType: string | undefined): OtlpEncoding {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new UnsupportedMediaTypeError(
    `Send OTLP as application/x-protobuf or application/json, not ${type || 'no Content-Type'}.`,
  );
}

/**
 * The export request in a body: gunzipped when `Content-Encoding: gzip` (to at most `limitBytes`),
 * then decoded as protobuf or parsed as OTLP/JSON. Gunzipped off the request thread (zlib's pool).
 */
export async function readOtlpBody(
  signal: Signal,
  body: Buffer,
  o: { encoding: OtlpEncoding; contentEncoding: string | undefined; limitBytes: number },
): Promise<unknown> {
  const coding = (o.contentEncoding ?? 'identity').trim().toLowerCase();
  let bytes = body;
  if (coding === 'gzip' || coding === 'x-gzip') {
    try {
      bytes = await gunzipAsync(body, { maxOutputLength: o.limitBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw tooLarge(o.limitBytes, 'once gunzipped');
      throw new ValidationError('The body is not valid gzip (Content-Encoding: gzip).');
    }
  } else if (coding !== 'identity' && coding !== '') {
    throw new UnsupportedMediaTypeError(
      `Content-Encoding ${coding} is not supported; send gzip or identity.`,
    );
  }
  if (o.encoding === 'protobuf') {
    try {
      return decodeRequest(signal, bytes);
    } catch (error) {
      throw new ValidationError(
        `The body is not an OTLP protobuf export request: ${(error as Error).message}`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ValidationError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ValidationError('The body must be an OTLP/JSON export request object.');
  return parsed;
}

export function tooLarge(limitBytes: number, how = '') {
  return new PayloadTooLargeError(
    `The OTLP request is larger than ${limitBytes} bytes${how ? ` ${how}` : ''}; export smaller batches (the SDK's maxExportBatchSize).`,
    { limitBytes },
  );
}
