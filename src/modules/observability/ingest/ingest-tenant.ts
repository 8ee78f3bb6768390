/** Whose telemetry a request carries: the environment its ingest token belongs to. */
export interface IngestTenant {
  environmentId: string;
  projectId: string;
}

/** Rows read from one export request, and how many records were refused (and why, once). */
export interface Converted<Row> {
  rows: Row[];
  rejected: number;
  /** The first reason a record was refused, for the response's partialSuccess.errorMessage. */
  errorMessage: string;
}

/** Collects rows and the first refusal. */
export class RowCollector<Row> {
  readonly rows: Row[] = [];
  rejected = 0;
  errorMessage = '';

  reject(reason: string) {
    this.rejected++;
    if (!this.errorMessage) this.errorMessage = reason;
  }

  result(): Converted<Row> {
    return { rows: this.rows, rejected: this.rejected, errorMessage: this.errorMessage };
  }
}

/** A repeated field as an array whatever the decoder gave (absent in JSON, [] in protobuf). */
export const listOf = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
