import YAML from "yaml";
import { Dependency, TopologyCard } from "../../data/catalog/types";
import { Placement, RoleView } from "./model";
import { dependencyNames } from "../../data/catalog/failure-policies";

/**
 * The topology card (case study §22) of one service as the plan deployed it: the template's sections
 * in its order, the runtime, container, network and security fields filled from the registered
 * resources (replicas from the ScaledObjects, node pool from the nodeSelector, namespace, exposure
 * and identity from the objects), the rest (owner, data, reliability, observability) from the card.
 * One runtime/container block per role and per place it runs.
 */

export function dependencyName(d: Dependency): string {
    switch (d.kind) {
        case "service":
            return d.name;
        case "cross-cloud":
            return `${d.service} (${d.cloud}, cross-cloud)`;
        default:
            return d.kind;
    }
}

/** The card's failure policy for a dependency name (`postgres`, `ai-gateway-service`, …), if any. */
export function failurePolicyFor(card: TopologyCard, dependency: string): string | undefined {
    const bare = dependency.replace(/ \(.*\)$/, "");
    return card.failurePolicy.find((f) => f.dependency === bare || bare.startsWith(f.dependency) || f.dependency.startsWith(bare))?.behavior;
}

/** The card's outbound dependencies by name (Cloud Run cards: the stores and topics they use). */
export function outboundOf(card: TopologyCard): string[] {
    if (card.platform === "eks") {
        return card.outbound.map(dependencyName);
    }
    // The names the card's failure policies use (data/catalog/failure-policies.ts): Cloud SQL, Memorystore, Pub/Sub, Cloud Storage, each vendor.
    return dependencyNames(card);
}

function roleBlock(r: RoleView): Record<string, unknown> {
    return {
        role: r.role,
        runtime: {
            type: r.kind,
            name: r.objectName,
            minReplicas: r.minReplicas,
            maxReplicas: r.maxReplicas,
            scaling: r.scaling,
            zoneSpread: r.zoneSpread,
            nodePool: r.nodePool ?? "n/a (serverless)",
            ...(r.pdbMinAvailable !== null ? { pdbMinAvailable: r.pdbMinAvailable } : {}),
        },
        container: {
            imagePolicy: r.image?.includes("@sha256:") ? "digest-only" : `tag (${r.image ?? "none"})`,
            cpuRequest: r.cpuRequest,
            memoryRequest: r.memoryRequest,
            memoryLimit: r.memoryLimit,
        },
        exposure: r.exposure,
        serviceAccount: r.serviceAccount,
    };
}

/** The §22 card as a plain object in the template's key order. */
export function cardObject(card: TopologyCard, placements: readonly Placement[]): Record<string, unknown> {
    const inbound = card.platform === "eks" ? ["gateway (edge)", ...card.inbound.map((p) => `${p.name} (${p.namespace}, sa ${p.serviceAccount})`)] : ["global load balancer (edge)", "pubsub push"];
    return {
        service: card.service,
        namespace: [...new Set(placements.map((p) => p.namespace ?? `n/a (Cloud Run, ${p.region})`))].join(", ") || "not deployed in this stack",
        owner: card.owner,
        criticality: card.criticality,
        deployed: placements.map((p) => ({
            region: p.region,
            cluster: p.cluster,
            roles: p.roles.map(roleBlock),
        })),
        network: {
            exposure: [...new Set(placements.flatMap((p) => p.roles.map((r) => `${r.role}: ${r.exposure}`)))],
            inbound,
            outbound: outboundOf(card),
        },
        security: {
            identity: placements.flatMap((p) => p.identity.map((i) => `${p.region}: ${i}`)),
            databaseRole: card.platform === "eks" && card.database ? `${card.database.name} (IAM database authentication)` : card.platform === "cloud-run" ? "notification_app (through PgBouncer)" : "none",
            meshMtls: [...new Set(placements.map((p) => p.meshMtls))].join("; "),
        },
        data: {
            owns: card.data.owns,
            database: placements.map((p) => `${p.region}: ${p.database ?? "none"}`),
            publishes: card.data.publishes,
            consumes: card.data.consumes,
        },
        reliability: {
            failurePolicy: Object.fromEntries(card.failurePolicy.map((f) => [f.dependency, f.behavior])),
            dr: `RPO ${card.dr.rpoMinutes} min, RTO ${card.dr.rtoMinutes} min`,
        },
        observability: {
            slo: { availability: card.slo.availability, p95LatencyMs: card.slo.p95LatencyMs },
            dashboards: [...new Set(placements.flatMap((p) => p.dashboards))].length ? [...new Set(placements.flatMap((p) => p.dashboards))] : ["none registered"],
            alerts: card.alerts,
            alertsRegistered: [...new Set(placements.flatMap((p) => p.alerts))].length ? [...new Set(placements.flatMap((p) => p.alerts))] : ["none registered"],
            runbook: card.runbook,
        },
    };
}

export function renderCard(card: TopologyCard, placements: readonly Placement[]): string {
    return YAML.stringify(cardObject(card, placements), { lineWidth: 0 });
}

const range = (r: RoleView) => (r.minReplicas === r.maxReplicas ? `${r.minReplicas ?? "?"}` : `${r.minReplicas ?? "?"}–${r.maxReplicas ?? "?"}`);

/** The topology decision record (case study §28) of one service in one stack. */
export function renderDecisionRecord(stack: string, card: TopologyCard, placements: readonly Placement[]): string {
    const where = placements.map((p) => `${p.region} (${p.namespace ? `namespace \`${p.namespace}\` on ${p.cluster}` : "Cloud Run"})`).join(", ") || "nowhere in this stack";
    const roles = placements[0]?.roles ?? [];
    const roleLines = roles.map((r) => `- ${r.role}: ${r.kind} \`${r.objectName}\`, ${r.kind === "CronJob" ? "one pod per scheduled run" : `${range(r)} replicas (${r.scaling})`}, ${r.nodePool ? `node pool \`${r.nodePool}\`, ` : ""}${r.zoneSpread}, ${r.exposure}, service account \`${r.serviceAccount ?? "none"}\``);
    const pool = card.platform === "eks" ? card.roles.map((r) => {
        const view = roles.find((x) => x.role === r.name);
        if (!view || view.kind === "CronJob" || view.maxReplicas === null) {
            return `- ${r.name}: DB pool per pod ${r.dbPoolPerPod}, ${view ? `${view.kind}, one pod per run` : "not registered in this stack"}`;
        }
        return `- ${r.name}: DB pool per pod ${r.dbPoolPerPod}, max replicas ${view.maxReplicas} → up to ${view.maxReplicas * r.dbPoolPerPod} connections per region`;
    }) : card.roles.map((r) => `- ${r.name}: ${r.dbPoolPerInstance} DB connections per instance, concurrency ${r.concurrency}, timeout ${r.timeoutSeconds} s, max instances ${roles.find((x) => x.role === r.name)?.maxReplicas ?? "?"}`);
    return [
        `# ADR: Runtime topology for ${card.service} (${stack})`,
        "",
        "## Context",
        `${card.service} is a ${card.criticality}-criticality service owned by ${card.owner} (${card.source}). It owns ${card.data.owns.join(", ") || "no data store"}, publishes ${card.data.publishes.join(", ") || "nothing"} and consumes ${card.data.consumes.join(", ") || "nothing"}. SLO: ${card.slo.availability}% availability, p95 ${card.slo.p95LatencyMs} ms. DR: RPO ${card.dr.rpoMinutes} min, RTO ${card.dr.rtoMinutes} min.`,
        "",
        "## Decision",
        `${card.service} runs in ${where}, as the plan registered it${placements.length > 1 ? ` (roles as in ${placements[0].region}; the cards list every region)` : ""}:`,
        ...roleLines,
        ...placements.map((p) => `- identity in ${p.region}: ${p.identity.join("; ") || "none"}; mesh mTLS ${p.meshMtls}`),
        "",
        "## Capacity constraints",
        ...pool,
        ...placements.map((p) => `- database in ${p.region}: ${p.database ?? "none"}`),
        "",
        "## Failure policy",
        ...card.failurePolicy.map((f) => `- ${f.dependency}: ${f.behavior}`),
        ...outboundOf(card)
            .filter((d) => failurePolicyFor(card, d) === undefined)
            .map((d) => `- ${d}: no failure policy in the card (see the review checklist, 26.7)`),
        "",
        "## Consequences",
        `- ${roles.reduce((n, r) => n + (r.minReplicas ?? 0), 0)} replicas at minimum per region across ${roles.length} roles: higher cost than a single replica, bought for the ${card.slo.availability}% SLO.`,
        card.platform === "eks" ? "- The DB connection budget above is checked by the capacity model on every plan (capacity/db-connection-budget)." : "- PgBouncer's client and server budgets are checked by the capacity model on every plan (capacity/gcp-pgbouncer-*).",
        card.platform === "eks" ? "- Requires topology spread, PDBs and the namespace's NetworkPolicies and mesh policies (all registered by the ServiceWorkload component)." : "- Requires the VPC connector, Cloud NAT reserved addresses and per-role service accounts (registered by the CloudRunService component).",
        "",
    ].join("\n");
}
