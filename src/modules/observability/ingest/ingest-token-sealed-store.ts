import type { SealedStore } from '../../secrets/index.ts';
import {
  countIngestTokensByKey,
  ingestTokenAad,
  lockIngestTokensNotUnder,
  replaceIngestTokenSeal,
  sealedToken,
} from './ingest-token-store.ts';

/** Environments' OTLP ingest tokens (`ingest_tokens.token_*`), sealed with AAD `ingest-token/<environment id>`. */
export const ingestTokensStore: SealedStore = {
  name: 'ingest_tokens.token',
  table: 'ingest_tokens',
  countByKey: countIngestTokensByKey,
  async lockBatch(tx, query) {
    return (await lockIngestTokensNotUnder(tx, query)).map((row) => ({
      id: row.environment_id,
      sealed: sealedToken(row),
      aad: ingestTokenAad(row.environment_id),
    }));
  },
  replace: replaceIngestTokenSeal,
};
