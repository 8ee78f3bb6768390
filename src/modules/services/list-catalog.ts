import { SERVICE_CATALOG, type ServiceAvailability, type ServiceDefinition } from './catalog.ts';
import type { CatalogEntry } from './schemas.ts';

export function catalogEntry(service: ServiceDefinition, availability: ServiceAvailability): CatalogEntry {
  const { available, reason } = availability(service.id);
  return { ...service, available, unavailableReason: available ? null : (reason ?? 'Not offered here.') };
}

/** The catalog as this instance offers it (`GET /api/services`). */
export function listCatalog(deps: { availability: ServiceAvailability }): { items: CatalogEntry[] } {
  return { items: SERVICE_CATALOG.map((s) => catalogEntry(s, deps.availability)) };
}
