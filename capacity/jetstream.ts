import type { K8sServiceCard } from "../data/catalog/types";
import type { DeployContext } from "../data/context";
import { Finding, finding } from "../data/findings";
import { AwsProfile } from "../data/profiles/aws";
import { jetStreamStorageShare, streamProfiles, streamsOf } from "../data/streams";
import { memoryMiB } from "./quantities";

/**
 * JetStream storage and replication (seed 000 §9: RPO 5 min counts NATS JetStream replication).
 * Pure: no Pulumi.
 */

/**
 * Per server: Σ maxBytes × replicas / servers (a stream's replicas sit on distinct servers), against
 * the share of each server's file-store volume the streams may fill.
 */
export function jetStreamStorageFinding(cards: readonly K8sServiceCard[], profile: AwsProfile, region: string): Finding {
    const streams = streamsOf(cards);
    const p = streamProfiles[profile.environment];
    const servers = profile.nats.replicas;
    const replicas = Math.min(p.replicas, servers);
    const perServerMiB = Math.ceil((streams.length * (p.maxBytes / 1024 ** 2) * replicas) / servers);
    const volumeMiB = memoryMiB(profile.nats.storageSize);
    const allowedMiB = Math.floor(volumeMiB * jetStreamStorageShare);
    const margin = allowedMiB - perServerMiB;
    return finding(
        "capacity/jetstream-storage",
        margin >= 0 && p.replicas <= servers ? "info" : "mandatory",
        `nats@${region}`,
        `${streams.length} streams (${streams.map((s) => s.name).join(", ")}) × ${p.maxBytes / 1024 ** 3} GiB × R${p.replicas} over ${servers} server(s) = ${perServerMiB} MiB per server ` +
            `vs ${jetStreamStorageShare * 100}% of ${profile.nats.storageSize} = ${allowedMiB} MiB (margin ${margin} MiB)` +
            (p.replicas > servers ? `; R${p.replicas} needs ${p.replicas} servers` : ""),
    );
}

/**
 * Cross-region: the stack's VPCs are not connected (components/aws/network.ts creates no peering or
 * transit gateway), so no NATS gateway or leaf node can carry a mirror to the passive region. Reported
 * in stacks with a passive region, with what covers the RPO meanwhile.
 */
export function jetStreamCrossRegionFinding(ctx: DeployContext): Finding | undefined {
    const active = ctx.config.aws.regions.find((r) => r.role === "active")?.region;
    const passive = ctx.config.aws.regions.filter((r) => r.role === "passive").map((r) => r.region);
    if (!active || passive.length === 0) {
        return undefined;
    }
    return finding(
        "adjust/jetstream-cross-region",
        "advisory",
        `nats@${passive.join(",")}`,
        `seed 000 §9 counts JetStream replication in the 5-min RPO: streams are R${streamProfiles[ctx.config.environment].replicas} across ${active}'s zones, but ${active} and ${passive.join(", ")} ` +
            "have no network path (no VPC peering or transit gateway), so no stream mirror over a NATS gateway or leaf node is declared; on a regional loss, " +
            "events still in the services' outboxes survive in the Aurora global databases (typical lag < 1 s) and are relayed after promotion, but events already " +
            "published to JetStream and not yet consumed are lost: the RPO holds for the databases, not for in-flight stream messages. " +
            "Closing the gap: inter-region VPC peering, a leaf-node listener behind an internal NLB, and mirror streams in the passive region",
    );
}

export function jetStreamFindings(ctx: DeployContext, cards: readonly K8sServiceCard[], profile: AwsProfile): Finding[] {
    const cross = jetStreamCrossRegionFinding(ctx);
    return [...ctx.config.aws.regions.map((r) => jetStreamStorageFinding(cards, profile, r.region)), ...(cross ? [cross] : [])];
}
