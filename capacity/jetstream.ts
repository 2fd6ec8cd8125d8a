import type { K8sServiceCard } from "../data/catalog/types";
import type { DeployContext } from "../data/context";
import { Finding, finding } from "../data/findings";
import { AwsProfile } from "../data/profiles/aws";
import { jetStreamStorageShare, streamProfiles, streamsOf } from "../data/streams";
import { memoryMiB } from "./quantities";
import { jetStreamDomainOf, jetStreamLinksOf, leafnodePort, mirrorLagSeconds, mirrorMaxBytes, mirrorStreamNameOf } from "../data/jetstream-mirror";

/**
 * JetStream storage and replication (seed 000 §9: RPO 5 min counts NATS JetStream replication).
 * Pure: no Pulumi.
 */

/**
 * Per server: Σ maxBytes × replicas / servers (a stream's replicas sit on distinct servers), against
 * the share of each server's file-store volume the streams may fill.
 */
export function jetStreamStorageFinding(cards: readonly K8sServiceCard[], profile: AwsProfile, region: string, mirrors = false): Finding {
    const streams = streamsOf(cards);
    const p = streamProfiles[profile.environment];
    const servers = profile.nats.replicas;
    const replicas = Math.min(p.replicas, servers);
    // A passive region also holds a mirror of every hub stream (data/jetstream-mirror.ts), at its own size cap.
    const mirrorMiB = mirrors ? streams.length * (mirrorMaxBytes[profile.environment] / 1024 ** 2) : 0;
    const perServerMiB = Math.ceil(((streams.length * (p.maxBytes / 1024 ** 2) + mirrorMiB) * replicas) / servers);
    const volumeMiB = memoryMiB(profile.nats.storageSize);
    const allowedMiB = Math.floor(volumeMiB * jetStreamStorageShare);
    const margin = allowedMiB - perServerMiB;
    return finding(
        "capacity/jetstream-storage",
        margin >= 0 && p.replicas <= servers ? "info" : "mandatory",
        `nats@${region}`,
        `${streams.length} streams (${streams.map((s) => s.name).join(", ")}) × ${p.maxBytes / 1024 ** 3} GiB` +
            (mirrors ? ` + ${streams.length} mirrors × ${mirrorMaxBytes[profile.environment] / 1024 ** 2} MiB` : "") +
            ` × R${p.replicas} over ${servers} server(s) = ${perServerMiB} MiB per server ` +
            `vs ${jetStreamStorageShare * 100}% of ${profile.nats.storageSize} = ${allowedMiB} MiB (margin ${margin} MiB)` +
            (p.replicas > servers ? `; R${p.replicas} needs ${p.replicas} servers` : ""),
    );
}

/**
 * Cross-region: each passive region's NATS is a leaf node of its home's active region (inter-region
 * VPC peering, an internal NLB in front of the leaf-node listener) and mirrors every stream there
 * (data/jetstream-mirror.ts). Reported in stacks with a passive region, with the recovery point the
 * mirrors give against seed 000 §9's 5 min.
 */
export function jetStreamCrossRegionFinding(ctx: DeployContext, cards: readonly K8sServiceCard[] = []): Finding | undefined {
    const links = jetStreamLinksOf(ctx.config.aws.regions);
    if (links.length === 0) {
        return undefined;
    }
    const names = streamsOf(cards).map((s) => s.name);
    const rpoSeconds = 5 * 60;
    return finding(
        "capacity/jetstream-cross-region",
        mirrorLagSeconds <= rpoSeconds ? "info" : "mandatory",
        `nats@${links.map((l) => l.leaf).join(",")}`,
        links
            .map(
                (l) =>
                    `${l.leaf} mirrors ${l.hub}'s streams${names.length > 0 ? ` (${names.map(mirrorStreamNameOf).join(", ")})` : ""} at R${streamProfiles[ctx.config.environment].replicas} ` +
                    `over a NATS leaf node (TLS to ${l.hub}'s internal NLB on port ${leafnodePort}, inter-region VPC peering inside the residency zone, JetStream domains ${jetStreamDomainOf(l.hub)} → ${jetStreamDomainOf(l.leaf)})`,
            )
            .join("; ") +
            `: mirror lag of seconds (planned ${mirrorLagSeconds} s) against seed 000 §9's 5-min RPO (margin ${rpoSeconds - mirrorLagSeconds} s); ` +
            "on a regional loss, the mirrors hold the events published before it, and the promoted region's consumers read what they had not consumed from them",
    );
}

export function jetStreamFindings(ctx: DeployContext, cards: readonly K8sServiceCard[], profile: AwsProfile): Finding[] {
    const cross = jetStreamCrossRegionFinding(ctx, cards);
    const leaves = new Set(jetStreamLinksOf(ctx.config.aws.regions).map((l) => l.leaf));
    return [...ctx.config.aws.regions.map((r) => jetStreamStorageFinding(cards, profile, r.region, leaves.has(r.region))), ...(cross ? [cross] : [])];
}
