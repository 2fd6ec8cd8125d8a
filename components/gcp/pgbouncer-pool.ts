import { GcpProfile } from "../../data/profiles/gcp";

/** PgBouncer's pool arithmetic: pure (no Pulumi), shared by the component and the capacity model. */

export interface PgBouncerSettings {
    /** `max_client_conn` per instance. */
    readonly maxClientConnPerInstance: number;
    /** `default_pool_size` per instance (server connections to Cloud SQL). */
    readonly defaultPoolSize: number;
    /** Σ server connections over all instances. */
    readonly serverConnections: number;
}

/**
 * PgBouncer's pool arithmetic (seed 001 §4.1): 800 client connections split over the fixed
 * instances, and a server pool that fits inside `max_connections` minus the reserved connections.
 */
export function pgbouncerSettings(p: GcpProfile["pgbouncer"], sql: GcpProfile["sql"]): PgBouncerSettings {
    if (p.instances < 1) {
        throw new Error("PgBouncer needs at least one instance");
    }
    const serverConnections = p.instances * p.serverPoolPerInstance;
    const budget = sql.maxConnections - sql.reservedConnections;
    if (serverConnections > budget) {
        throw new Error(`PgBouncer server pool ${p.instances} × ${p.serverPoolPerInstance} = ${serverConnections} exceeds max_connections ${sql.maxConnections} − reserved ${sql.reservedConnections} = ${budget}`);
    }
    return { maxClientConnPerInstance: Math.floor(p.maxClientConnections / p.instances), defaultPoolSize: p.serverPoolPerInstance, serverConnections };
}
