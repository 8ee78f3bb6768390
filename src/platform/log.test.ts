import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, loggableUrl } from './log.ts';

describe('request URLs in logs', () => {
  it('blank the values of credential query parameters and keep the rest', () => {
    expect(loggableUrl('/llm/gemini/v1beta/models/m:generateContent?alt=sse&key=orch_secret')).toBe(
      '/llm/gemini/v1beta/models/m:generateContent?alt=sse&key=***',
    );
    expect(loggableUrl('/x?token=a&monkey=b&api_key=c#frag')).toBe('/x?token=***&monkey=b&api_key=***#frag');
    expect(loggableUrl('/api/projects')).toBe('/api/projects');
    expect(loggableUrl('/api/auth/oidc/corp/callback?code=abc&state=s&iss=x')).toBe(
      '/api/auth/oidc/corp/callback?code=***&state=s&iss=x',
    );
  });

  it('blank the secret of a one-time link page', () => {
    expect(loggableUrl('/invite/AbC_d-12345678901234567890')).toBe('/invite/***');
    expect(loggableUrl('/reset-password/AbC_d-123?x=1&token=t')).toBe('/reset-password/***?x=1&token=***');
    expect(loggableUrl('/projects/invite/x')).toBe('/projects/invite/x');
  });

  it('are written through the req serializer', () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createLogger({ level: 'info', destination: stream });
    logger.info({ req: { method: 'POST', url: '/m?key=orch_secret', ip: '127.0.0.1' } }, 'incoming request');
    logger.flush();
    expect(lines.join('')).toContain('"url":"/m?key=***"');
    expect(lines.join('')).not.toContain('orch_secret');
  });
});
