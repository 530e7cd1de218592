import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

/** A `Client` whose connection is known to be a gRPC `Connection` (so `healthService` is typed, for readiness). */
export type TemporalClient = Client & { readonly connection: Connection };

export interface TemporalClientSettings {
  /** host:port, see `temporalSettingsSchema`. */
  address: string;
  namespace: string;
}

/**
 * Connects a Temporal client whose calls (start, signal, query, update, ...) each run in a span and carry the
 * active trace context in the workflow headers, so the workflow's spans continue the caller's trace.
 * Close it with `client.connection.close()` (e.g. as a `Closer` of `closeOnSignals`).
 */
export async function connectTemporalClient({ address, namespace }: TemporalClientSettings): Promise<TemporalClient> {
  const connection = await Connection.connect({ address });
  const client = new Client({
    connection,
    namespace,
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  });
  return client as TemporalClient; // its `connection` is the Connection given above
}
