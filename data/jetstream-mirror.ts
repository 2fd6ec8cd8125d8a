import { PerEnv } from "./catalog/types";
import { NatsPermissions, inboxPrefixOf } from "./broker";
import { RegionRole, homesOf } from "./residency";

/**
 * Cross-region JetStream replication (seed 000 §9: the 5-min RPO counts JetStream replication).
 * A passive region's NATS joins its home's active region as a leaf node (over inter-region VPC
 * peering, to an internal NLB in the active region), and mirrors every stream of the active region
 * into a local stream. Pure data and functions.
 */

/** NATS's leaf-node listener port (the server's default). */
export const leafnodePort = 7422;

/**
 * Recovery point of a mirror: the mirror consumer is push-based with flow control, so a mirror
 * trails its origin by the inter-region round trip plus batching (well under a second in steady
 * state); 5 s is the figure we plan with, against the documents' 5 min.
 */
export const mirrorLagSeconds = 5;

/** One leaf link: the passive region `leaf` mirrors the streams of its home's active region `hub`. */
export interface JetStreamLink {
    readonly hub: string;
    readonly leaf: string;
}

/** The links of a stack: each home's passive regions to its active region. Dev has no passive region, so none. */
export function jetStreamLinksOf(regions: readonly RegionRole[]): JetStreamLink[] {
    return homesOf(regions).flatMap((h) => h.passives.map((leaf) => ({ hub: h.active, leaf })));
}

/** A region's JetStream domain: names the region's JetStream API across the leaf link (`$JS.<domain>.API`). */
export function jetStreamDomainOf(region: string): string {
    return region.replace(/[^A-Za-z0-9]+/g, "_");
}

/** The broker principal the leaf region logs in as at the hub. */
export function leafPrincipalOf(leafRegion: string): string {
    return `jetstream-leaf-${leafRegion}`;
}

/** The local mirror of a hub stream: `ASSIGNMENT` → `ASSIGNMENT_MIRROR` (the local stream keeps its name and subjects). */
export function mirrorStreamNameOf(stream: string): string {
    return `${stream}_MIRROR`;
}

/** The subject prefix the hub delivers mirrored messages under (the mirrors' external deliver prefix). */
export function mirrorDeliverPrefixOf(leafRegion: string): string {
    return `mirror.${jetStreamDomainOf(leafRegion)}`;
}

/**
 * What the leaf principal may do at the hub, least privilege: per mirrored stream, the hub domain's
 * stream info and consumer create/delete (the mirror's own consumer), flow-control replies; it
 * receives only its mirrors' deliveries and its own inbox. Nothing else crosses the link: the hub's
 * events do not flow to the passive region's local streams, and no stream is managed from the leaf.
 */
export function leafPermissions(hubDomain: string, leafRegion: string, streamNames: readonly string[]): NatsPermissions {
    const api = `$JS.${hubDomain}.API`;
    return {
        publish: streamNames.flatMap((s) => [`${api}.STREAM.INFO.${s}`, `${api}.CONSUMER.CREATE.${s}`, `${api}.CONSUMER.CREATE.${s}.>`, `${api}.CONSUMER.DELETE.${s}.>`, `$JS.FC.${s}.>`]),
        subscribe: [`${mirrorDeliverPrefixOf(leafRegion)}.>`, `${inboxPrefixOf(leafPrincipalOf(leafRegion))}.>`],
    };
}

/** The stream-admin's permissions in a passive region: also create, update and read its mirrors (never delete). */
export function withMirrorAdmin(admin: NatsPermissions, mirrorNames: readonly string[]): NatsPermissions {
    return { ...admin, publish: [...admin.publish, ...mirrorNames.flatMap((s) => [`$JS.API.STREAM.CREATE.${s}`, `$JS.API.STREAM.UPDATE.${s}`, `$JS.API.STREAM.INFO.${s}`])] };
}

const MiB = 1024 ** 2;

/**
 * Size cap of each mirror (discard old: a mirror keeps the newest events). A mirror must hold what the
 * hub's consumers had not yet consumed when the region was lost, not the hub's 7-day history; the cap
 * is what the passive region's JetStream volume holds beside its own (empty until promotion) streams
 * (capacity/jetstream.ts counts both).
 */
export const mirrorMaxBytes: PerEnv<number> = { dev: 256 * MiB, staging: 512 * MiB, prod: 1024 * MiB };
