/** A JSON-RPC request as the POST body carries it (one, or a batch), read only for routing. */
export interface RpcRequest {
  method?: unknown;
  params?: { name?: unknown; requestId?: unknown };
}

/** The JSON-RPC ids of the calls a body's `notifications/cancelled` cancel. */
export function cancelledRequestIds(body: unknown): Array<string | number> {
  return rpcRequests(body)
    .filter((m) => m.method === 'notifications/cancelled')
    .map((m) => m.params?.requestId)
    .filter((id): id is string | number => typeof id === 'string' || typeof id === 'number');
}

export function rpcRequests(body: unknown): RpcRequest[] {
  return (Array.isArray(body) ? body : [body]).filter(
    (m): m is RpcRequest => typeof m === 'object' && m !== null,
  );
}
