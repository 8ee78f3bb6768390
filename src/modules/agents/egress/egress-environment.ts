/** Where the socket relay listens for the egress proxy inside a sandbox (the LLM bridge's ports start at 41 000). */
export const EGRESS_PORT = 40_999;

/** What a sandbox reaches directly, without the proxy: its own loopback (the LLM relay, servers a command starts). */
const DIRECT = '127.0.0.1,localhost,::1';

/**
 * The variables that send a sandbox's tools through the egress proxy. curl reads `http_proxy`
 * only in lower case (HTTPS_PROXY in either case) and git goes through curl; pip, Go, Python and
 * most others read either case; npm and pnpm take `npm_config_*` before anything else; Yarn 2+
 * reads only YARN_*; Node's own fetch reads them from Node 24 on, when NODE_USE_ENV_PROXY is set.
 */
export function egressEnvironment(port = EGRESS_PORT): Record<string, string> {
  const proxy = `http://127.0.0.1:${port}`;
  return {
    HTTPS_PROXY: proxy,
    https_proxy: proxy,
    HTTP_PROXY: proxy,
    http_proxy: proxy,
    npm_config_proxy: proxy,
    npm_config_https_proxy: proxy,
    YARN_HTTP_PROXY: proxy,
    YARN_HTTPS_PROXY: proxy,
    NODE_USE_ENV_PROXY: '1',
    NO_PROXY: DIRECT,
    no_proxy: DIRECT,
    npm_config_noproxy: DIRECT,
  };
}
