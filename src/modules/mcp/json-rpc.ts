/** A JSON-RPC request as the POST body carries it (one, or a batch), read only for routing. */
export interface RpcRequest {
  method?: unknown;
  params?: { name?: unknown };
}

export function rpcRequests(body: unknown): RpcRequest[] {
  return (Array.isArray(body) ? body : [body]).filter(
    (m): m is RpcRequest => typeof m === 'object' && m !== null,
  );
}
