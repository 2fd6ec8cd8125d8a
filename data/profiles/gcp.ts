import { Environment } from "../catalog/types";

/**
 * GCP sizing per environment (seed 001 §4, §5, §9). Stack files never size anything: a stack picks
 * an environment and this profile decides tiers, replicas, memory, budgets.
 */
export interface GcpProfile {
    readonly environment: Environment;
    readonly sql: {
        /** Machine tier (seed 001 §4.1). */
        readonly tier: string;
        /** Starting disk in GB; auto-grows (seed 001 §4.1: 500 prod / 100 staging; dev ours). */
        readonly diskSizeGb: number;
        /** Ceiling for auto-grow, GB (0: unlimited). */
        readonly diskAutoresizeLimitGb: number;
        /**
         * `max_connections`, set explicitly: Cloud SQL's default for the tier's memory
         * (8 GB → 400, 16 GB → 500, 32 GB → 600), pinned so PgBouncer's pool can be checked against it.
         */
        readonly maxConnections: number;
        /** Connections kept for admin, replication, migrations (outside PgBouncer's pool). */
        readonly reservedConnections: number;
        /** Read replicas in the primary region (seed 001 §4.1: 2 in prod). */
        readonly readReplicas: number;
        /** Days of PITR log retention (seed 001 §4.1: 7) and number of daily backups kept. */
        readonly pitrDays: number;
        readonly retainedBackups: number;
    };
    readonly pgbouncer: {
        /** Fixed instance count: the server pool is per instance, so it must not autoscale. */
        readonly instances: number;
        /** Σ client connections over all instances (seed 001 §4.1: 800). */
        readonly maxClientConnections: number;
        /** Server connections each instance opens to Cloud SQL (`default_pool_size` = `max_db_connections`). */
        readonly serverPoolPerInstance: number;
        /**
         * Zones the instance group spreads over. A regional group surges by at least one VM per zone
         * on a rolling replace, so (instances + zones) × the server pool must fit the database.
         */
        readonly zones: number;
        /** Machine type of the PgBouncer VMs (single-threaded: one busy core, memory per connection is kB). */
        readonly machineType: string;
        /** Open-file limit given to the PgBouncer container (`--ulimit nofile`): one per client and server socket. */
        readonly fileDescriptorLimit: number;
    };
    readonly redis: {
        readonly tier: "BASIC" | "STANDARD_HA";
        readonly memoryGb: number;
        /** The document's size, for the adjustment finding. */
        readonly documentedMemoryMb: number;
        /** Read replicas (STANDARD_HA and ≥ 5 GB only). */
        readonly readReplicas: number;
    };
    readonly connector: { readonly minInstances: number; readonly maxInstances: number; readonly machineType: string };
    readonly nat: {
        /** Reserved static egress IPs per region (seed 001 §5: one); the capacity check verifies it. */
        readonly ipsPerRegion: number;
        /** Ports reserved per connector VM on the NAT. */
        readonly minPortsPerVm: number;
    };
    /** Monthly budget in USD on the billing account, alerts at 50/80/100 % (seed 001 §9; amount ours). */
    readonly monthlyBudgetUsd: number;
    /** Bucket is dual-region (active + DR) where the zone allows (seed 001 §4.3: prod). */
    readonly dualRegionBucket: boolean;
}

export const gcpProfiles: Readonly<Record<Environment, GcpProfile>> = {
    dev: {
        environment: "dev",
        sql: {
            tier: "db-custom-2-8192",
            diskSizeGb: 20,
            diskAutoresizeLimitGb: 200,
            maxConnections: 400,
            reservedConnections: 30,
            readReplicas: 0,
            pitrDays: 7,
            retainedBackups: 7,
        },
        pgbouncer: { instances: 1, maxClientConnections: 800, serverPoolPerInstance: 100, zones: 1, machineType: "e2-small", fileDescriptorLimit: 4096 },
        redis: { tier: "BASIC", memoryGb: 1, documentedMemoryMb: 256, readReplicas: 0 },
        connector: { minInstances: 2, maxInstances: 3, machineType: "e2-micro" },
        nat: { ipsPerRegion: 1, minPortsPerVm: 2048 },
        monthlyBudgetUsd: 1500,
        dualRegionBucket: false,
    },
    staging: {
        environment: "staging",
        sql: {
            tier: "db-custom-4-16384",
            diskSizeGb: 100,
            diskAutoresizeLimitGb: 1000,
            maxConnections: 500,
            reservedConnections: 50,
            readReplicas: 0,
            pitrDays: 7,
            retainedBackups: 7,
        },
        pgbouncer: { instances: 2, maxClientConnections: 800, serverPoolPerInstance: 110, zones: 2, machineType: "e2-standard-2", fileDescriptorLimit: 4096 },
        redis: { tier: "STANDARD_HA", memoryGb: 1, documentedMemoryMb: 1024, readReplicas: 0 },
        connector: { minInstances: 2, maxInstances: 5, machineType: "e2-standard-4" },
        nat: { ipsPerRegion: 1, minPortsPerVm: 2048 },
        monthlyBudgetUsd: 6000,
        dualRegionBucket: false,
    },
    prod: {
        environment: "prod",
        sql: {
            tier: "db-custom-8-32768",
            diskSizeGb: 500,
            diskAutoresizeLimitGb: 4000,
            maxConnections: 600,
            reservedConnections: 50,
            readReplicas: 2,
            pitrDays: 7,
            retainedBackups: 14,
        },
        pgbouncer: { instances: 2, maxClientConnections: 800, serverPoolPerInstance: 135, zones: 2, machineType: "e2-standard-2", fileDescriptorLimit: 4096 },
        redis: { tier: "STANDARD_HA", memoryGb: 6, documentedMemoryMb: 6144, readReplicas: 2 },
        connector: { minInstances: 2, maxInstances: 10, machineType: "e2-standard-4" },
        nat: { ipsPerRegion: 1, minPortsPerVm: 2048 },
        monthlyBudgetUsd: 40000,
        dualRegionBucket: true,
    },
};

/** Server connections in steady state and while a rolling replace surges one VM per zone. */
export function pgbouncerServerPools(p: GcpProfile["pgbouncer"]): { readonly steady: number; readonly rollout: number } {
    return { steady: p.instances * p.serverPoolPerInstance, rollout: (p.instances + p.zones) * p.serverPoolPerInstance };
}
