import type { FastifyReply, FastifyRequest } from 'fastify';

/** A cookie that binds a pending step (a WebAuthn challenge, a single sign-on attempt) to one browser. */
export interface BindingCookie {
  set(reply: FastifyReply, binding: string, secure: boolean): void;
  clear(reply: FastifyReply): void;
  /** The binding the browser sent back; undefined when there is none or it is too long to be ours. */
  of(request: FastifyRequest): string | undefined;
}

/** HTTP-only, sent only to `path`, living as long as the step it binds. */
export function bindingCookie(
  name: string,
  options: { path: string; sameSite: 'strict' | 'lax'; maxAgeMs: number },
): BindingCookie {
  return {
    set(reply, binding, secure) {
      reply.setCookie(name, binding, {
        path: options.path,
        httpOnly: true,
        sameSite: options.sameSite,
        secure,
        maxAge: Math.floor(options.maxAgeMs / 1000),
      });
    },
    clear(reply) {
      reply.clearCookie(name, { path: options.path });
    },
    of(request) {
      const value = request.cookies?.[name];
      return value && value.length <= 128 ? value : undefined;
    },
  };
}
