import { CloudRunServiceCard, ReplicaRange, TopologyCard } from "../data/catalog/types";
import { bucketName, connectorName, dualRegionLocation, gcpZoneLetters, redisInstanceName, sundayTwoAmLocal, unitOf, utcOffsetHours } from "../data/naming/gcp";
import type { DeployContext } from "../data/context";
import { GcpProfile, gcpProfiles, pgbouncerServerPools } from "../data/profiles/gcp";
import { connectionBudget, connectionBudgetFinding } from "./db-budget";
import { Finding, finding } from "../data/findings";
import { notificationEnvelopeFindings } from "./notification-envelope";

/**
 * The GCP capacity model (seed 001 §7 targets, §4 limits) and the adjustments the clouds force on
 * the document's numbers. Pure: no Pulumi imports.
 */

/** Cloud Run's ceiling on concurrent requests per instance. */
export const cloudRunMaxConcurrency = 1000;
/** Memorystore's floor for any tier, and for read replicas (Memorystore docs). */
export const redisMinimumGb = 1;
export const redisReadReplicaMinimumGb = 5;
/** Ports one NAT IP offers (65 536 minus the 1 024 well-known ones). */
export const natPortsPerIp = 64_512;

/** Seed 001 §7, prod targets (burst column) and the API's concurrency as the document writes it. */
export const targets = {
    apiBurstRps: 5_000,
    apiBurstSeconds: 60,
    webSocketConnections: 100_000,
    pgbouncerClientConnections: 800,
    documentApiConcurrency: 80,
    documentCpuTargetPercent: 70,
} as const;

function instancesOf(ctx: DeployContext, card: CloudRunServiceCard, role: CloudRunServiceCard["roles"][number]): ReplicaRange {
    return ctx.replicas[`${card.service}/${role.name}`] ?? role.instances[ctx.config.environment];
}

function cloudRunCards(cards: readonly TopologyCard[]): CloudRunServiceCard[] {
    return cards.filter((c): c is CloudRunServiceCard => c.platform === "cloud-run");
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

/** API burst: requests in flight at the latency budget (Little's law) vs the slots WebSockets leave. */
export function apiBurstFinding(card: CloudRunServiceCard, range: ReplicaRange, concurrency: number): Finding {
    const slots = range.max * concurrency;
    const restSlots = Math.max(0, slots - targets.webSocketConnections);
    const latencyS = card.slo.p95LatencyMs / 1000;
    const capacityRps = Math.floor(restSlots / latencyS);
    const margin = capacityRps - targets.apiBurstRps;
    const msg =
        `burst ${targets.apiBurstRps} rps for ${targets.apiBurstSeconds} s at the p95 budget of ${card.slo.p95LatencyMs} ms needs ` +
        `${Math.ceil(targets.apiBurstRps * latencyS)} request slots; ${range.max} instances × ${concurrency} = ${slots} slots, ` +
        `${restSlots} left after ${targets.webSocketConnections} WebSockets → ${capacityRps} rps (margin ${margin}, ${pct(margin / targets.apiBurstRps)}). ` +
        `Assumes requests hold a slot for the p95 latency and CPU scales with instances.`;
    return finding("capacity/gcp-api-burst", margin >= 0 ? "info" : "mandatory", `${card.service}/api`, msg);
}

/** WebSockets: each open connection holds one request slot of the API for its lifetime. */
export function webSocketFinding(card: CloudRunServiceCard, range: ReplicaRange, concurrency: number): Finding {
    const perInstance = Math.min(concurrency, cloudRunMaxConcurrency);
    const capacity = range.max * perInstance;
    const margin = capacity - targets.webSocketConnections;
    return finding(
        "capacity/gcp-websockets",
        margin >= 0 ? "info" : "mandatory",
        `${card.service}/api`,
        `${targets.webSocketConnections} WebSocket connections vs ${range.max} instances × ${perInstance} per instance = ${capacity} ` +
            `(margin ${margin}, ${pct(margin / targets.webSocketConnections)}; Cloud Run caps concurrency at ${cloudRunMaxConcurrency})`,
    );
}

/**
 * Σ over DB-using services of max instances × pool (case study §15) against what the PgBouncer VMs
 * accept: `max_client_conn` × instances, which the document fixes at 800 (seed 001 §4.1).
 */
export function pgbouncerClientFinding(ctx: DeployContext, card: CloudRunServiceCard, profile: GcpProfile): Finding {
    const clients = card.roles
        .filter((r) => r.dbPoolPerInstance > 0)
        .map((r) => ({ name: `${card.service}/${r.name}`, maxReplicas: instancesOf(ctx, card, r).max, poolPerReplica: r.dbPoolPerInstance }));
    const p = profile.pgbouncer;
    const perVm = Math.floor(p.maxClientConnections / Math.max(1, p.instances));
    const accepted = perVm * p.instances;
    const result = connectionBudget({ database: `${unitOf(card.service)}-pgbouncer`, maxConnections: accepted, reserved: 0, clients });
    const base = connectionBudgetFinding(result, "capacity/gcp-pgbouncer-clients");
    const biggest = [...clients].sort((a, b) => b.maxReplicas - a.maxReplicas)[0];
    const note = biggest ? ` Tight: one more connection per instance on ${biggest.name} adds ${biggest.maxReplicas} (→ ${result.demand + biggest.maxReplicas}).` : "";
    const shortOfDocument = accepted < targets.pgbouncerClientConnections;
    return {
        ...base,
        severity: shortOfDocument ? "mandatory" : base.severity,
        message:
            `PgBouncer client connections: max_client_conn ${perVm} × ${p.instances} VM(s) = ${accepted} ` +
            `(document: ${targets.pgbouncerClientConnections}${shortOfDocument ? ", not reached" : ""}); ${base.message}.${note}`,
    };
}

/**
 * PgBouncer's server pool against max_connections minus the reserved connections, at its peak: a
 * rolling replace of the regional instance group runs one surge VM per zone beside the old ones.
 */
export function pgbouncerServerFinding(card: CloudRunServiceCard, profile: GcpProfile): Finding {
    const p = profile.pgbouncer;
    const pools = pgbouncerServerPools(p);
    const budget = profile.sql.maxConnections - profile.sql.reservedConnections;
    const margin = budget - pools.rollout;
    return finding(
        "capacity/gcp-pgbouncer-server",
        margin >= 0 ? "info" : "mandatory",
        `${unitOf(card.service)}-pgbouncer`,
        `server pool ${p.instances} × ${p.serverPoolPerInstance} = ${pools.steady}, during a rolling replace (${p.instances} + ${p.zones} surge) × ${p.serverPoolPerInstance} = ${pools.rollout}, ` +
            `vs ${profile.sql.tier} max_connections ${profile.sql.maxConnections} − ${profile.sql.reservedConnections} reserved = ${budget} (margin ${margin})`,
    );
}

/** Sockets besides clients and servers: the listener, the admin console, DNS, the log pipe. */
export const pgbouncerFixedDescriptors = 32;

/**
 * One PgBouncer VM: every client and every server connection is a socket, so `max_client_conn` +
 * `default_pool_size` + the fixed descriptors must fit the container's open-file limit.
 */
export function pgbouncerVmFinding(ctx: DeployContext, card: CloudRunServiceCard, profile: GcpProfile): Finding[] {
    const p = profile.pgbouncer;
    // Not pgbouncerSettings(): it throws on a pool over budget, which the server finding reports instead.
    const s = { maxClientConnPerInstance: Math.floor(p.maxClientConnections / Math.max(1, p.instances)), defaultPoolSize: p.serverPoolPerInstance };
    const needed = s.maxClientConnPerInstance + s.defaultPoolSize + pgbouncerFixedDescriptors;
    const margin = p.fileDescriptorLimit - needed;
    return ctx.config.gcp.regions
        .filter((r) => r.role === "active")
        .map((r) =>
            finding(
                "capacity/gcp-pgbouncer-vm",
                margin >= 0 ? "info" : "mandatory",
                `${unitOf(card.service)}-pgbouncer-${r.region}`,
                `per VM (${p.machineType}): max_client_conn ${s.maxClientConnPerInstance} + default_pool_size ${s.defaultPoolSize} + ${pgbouncerFixedDescriptors} ` +
                    `= ${needed} descriptors vs nofile ${p.fileDescriptorLimit} (margin ${margin}); ${p.instances} VM(s) over ${Math.min(p.zones, gcpZoneLetters[r.region]?.length ?? 0)} zone(s), ` +
                    `the internal load balancer spreads new connections by 5-tuple hash (session affinity NONE)`,
            ),
        );
}

/**
 * Cloud NAT ports: the connector's VMs are what the NAT sees. Demand is the vendor-bound connections
 * (Σ max instances × concurrency of vendor-egress roles) spread over the connector's max VMs; supply
 * is the reserved IPs × 64 512. Reports the IP count needed.
 */
export function natFindings(ctx: DeployContext, card: CloudRunServiceCard, profile: GcpProfile): Finding[] {
    const vendorConnections = card.roles.filter((r) => r.vendorEgress).reduce((s, r) => s + instancesOf(ctx, card, r).max * r.concurrency, 0);
    const vms = profile.connector.maxInstances;
    const perVm = Math.ceil(vendorConnections / vms);
    const supply = profile.nat.ipsPerRegion * natPortsPerIp;
    const perVmOk = perVm <= profile.nat.minPortsPerVm;
    return ctx.config.gcp.regions.map((r) => {
        // The NAT covers every subnet: an active region's PgBouncer VMs (and a rollout's surge, one per zone) hold ports too.
        const pgbouncerVms = r.role === "active" ? profile.pgbouncer.instances + Math.min(profile.pgbouncer.zones, gcpZoneLetters[r.region]?.length ?? 0) : 0;
        const allocated = (vms + pgbouncerVms) * profile.nat.minPortsPerVm;
        const needed = Math.max(allocated, vendorConnections);
        const ipsNeeded = Math.ceil(needed / natPortsPerIp);
        return finding(
            "capacity/gcp-nat-ports",
            perVmOk && ipsNeeded <= profile.nat.ipsPerRegion ? "info" : "mandatory",
            `melmastoon-nat-${r.region}`,
            `vendor connections ${vendorConnections} over ${vms} connector VMs = ${perVm} per VM vs ${profile.nat.minPortsPerVm} ports per VM; ` +
                `(${vms} connector + ${pgbouncerVms} PgBouncer VMs) × ${profile.nat.minPortsPerVm} = ${allocated} ports vs ${profile.nat.ipsPerRegion} IP(s) × ${natPortsPerIp} = ${supply} ` +
                `(margin ${supply - needed}); IPs needed per region: ${ipsNeeded}`,
        );
    });
}

/** Documented numbers the clouds cannot take as written, and what the program does instead. */
export function adjustmentFindings(ctx: DeployContext, card: CloudRunServiceCard, profile: GcpProfile): Finding[] {
    const out: Finding[] = [];
    const { config } = ctx;
    const unit = unitOf(card.service);
    for (const r of config.gcp.regions) {
        const wanted = `notification-vpc-connector-${r.region}`;
        const chosen = connectorName(r.region);
        if (chosen !== wanted) {
            out.push(finding("adjust/vpc-connector-name", "info", chosen, `"${wanted}" is ${wanted.length} characters; connector names allow 25: using "${chosen}"`));
        }
        // Memorystore exists in active regions only (regional-platform.ts).
        const redisWanted = `melmastoon-${unit}-${config.environment}-${r.region}`;
        const redisChosen = redisInstanceName(unit, config.environment, r.region);
        if (r.role === "active" && redisChosen !== redisWanted) {
            out.push(finding("adjust/redis-instance-name", "info", redisChosen, `"${redisWanted}" is ${redisWanted.length} characters; Memorystore instance ids allow 40: using "${redisChosen}"`));
        }
        const offset = utcOffsetHours[r.region] ?? 0;
        if (!Number.isInteger(offset)) {
            const w = sundayTwoAmLocal(r.region);
            out.push(
                finding(
                    "adjust/maintenance-window",
                    "info",
                    `${unit}-${r.region}`,
                    `Sunday 02:00 local (UTC${offset >= 0 ? "+" : ""}${offset}) is not a whole UTC hour; Cloud SQL and Memorystore take whole hours: day ${w.day} ${w.hour}:00 UTC (02:30 local)`,
                ),
            );
        }
    }
    const api = card.roles.find((r) => r.ingress === "load-balancer");
    if (api && api.concurrency !== targets.documentApiConcurrency) {
        out.push(
            finding(
                "adjust/api-concurrency",
                "info",
                `${card.service}/${api.name}`,
                `concurrency ${api.concurrency}, not ${targets.documentApiConcurrency}: WebSockets hold a Cloud Run request slot each, and ` +
                    `${targets.webSocketConnections} connections over ${api.instances.prod.max} instances need ≥ ${Math.ceil(targets.webSocketConnections / api.instances.prod.max)} per instance`,
            ),
        );
    }
    out.push(
        finding(
            "adjust/cloud-run-cpu-target",
            "info",
            card.service,
            `CPU target ${targets.documentCpuTargetPercent}% is a Beta-only Cloud Run setting (scaling.cpuUtilization); GA services scale at Cloud Run's built-in 60 % CPU and the concurrency cap`,
        ),
    );
    out.push(
        finding(
            "adjust/cloud-run-readiness",
            "info",
            card.service,
            `readiness probes (${card.healthPath}?ready=true, seed 001 §3) are a Preview Cloud Run feature (docs: "Readiness probes (Preview)") and need launch stage BETA; ` +
                "the services stay GA with startup and liveness probes (both GA): an instance takes traffic once its startup probe passes",
        ),
    );
    const redisDoc = profile.redis.documentedMemoryMb;
    if (profile.redis.memoryGb * 1024 !== redisDoc) {
        out.push(
            finding(
                "adjust/redis-memory",
                "info",
                `${unit}-redis`,
                `${redisDoc} MB asked; Memorystore's minimum is ${redisMinimumGb} GB: ${profile.redis.memoryGb} GB ${profile.redis.tier}` +
                    (profile.redis.tier === "BASIC" ? " (no HA in dev: a cache that rebuilds; read replicas need STANDARD_HA ≥ 5 GB)" : ""),
            ),
        );
    }
    if (profile.redis.tier === "STANDARD_HA" && profile.redis.memoryGb < redisReadReplicaMinimumGb) {
        out.push(
            finding(
                "adjust/redis-read-replicas",
                "info",
                `${unit}-redis`,
                `read replicas need ≥ ${redisReadReplicaMinimumGb} GB; ${profile.redis.memoryGb} GB STANDARD_HA keeps its failover replica but no read replicas`,
            ),
        );
    }
    const bucket = bucketName(unit, config.environment, config.residency);
    if (config.residency !== "global") {
        out.push(
            finding(
                "adjust/bucket-name",
                "info",
                bucket,
                `bucket names are global and every prod stack is "prod": the residency zone is appended to melmastoon-${unit}s-${config.environment}`,
            ),
        );
    }
    const active = config.gcp.regions.find((r) => r.role === "active")?.region ?? "";
    const dr = config.gcp.regions.find((r) => r.role === "dr")?.region;
    if (profile.dualRegionBucket && dr && !dualRegionLocation(active, dr)) {
        out.push(
            finding(
                "adjust/bucket-dual-region",
                "info",
                bucket,
                `configurable dual-regions exist only inside US, EU and ASIA; ${active} + ${dr} is not one: a regional bucket in ${active} (object versioning; DR copy is an operations task)`,
            ),
        );
    }
    return out;
}

/** Every GCP capacity check and adjustment for one stack. */
export function gcpCapacityFindings(ctx: DeployContext): Finding[] {
    const profile = gcpProfiles[ctx.config.environment];
    const out: Finding[] = [];
    for (const card of cloudRunCards(ctx.catalog)) {
        const api = card.roles.find((r) => r.ingress === "load-balancer");
        // The §7 targets are prod's (asia-south1); dev and staging are not sized for them.
        if (api && ctx.config.environment === "prod") {
            const range = instancesOf(ctx, card, api);
            out.push(apiBurstFinding(card, range, api.concurrency), webSocketFinding(card, range, api.concurrency));
        }
        out.push(
            pgbouncerClientFinding(ctx, card, profile),
            pgbouncerServerFinding(card, profile),
            ...pgbouncerVmFinding(ctx, card, profile),
            ...natFindings(ctx, card, profile), ...adjustmentFindings(ctx, card, profile),
            ...notificationEnvelopeFindings(ctx, card, profile));
    }
    return out;
}
