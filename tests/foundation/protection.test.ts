import { listStacks } from "../../plan/engine";
import { RegisteredResource } from "../../plan/engine";
import { nonEmpty, planOf } from "../harness";

/**
 * Nothing lost: every stateful resource (databases, caches with persistence, buckets, keys,
 * secrets, volumes) is protected in staging and prod — Pulumi `protect` and the provider's own
 * guard — and neither in dev, which must stay disposable.
 */

type Props = Record<string, unknown>;

/** Stateful types and the provider-side guard each must carry where state is protected. */
const stateful: Readonly<Record<string, (p: Props) => string | undefined>> = {
    "aws:rds/cluster:Cluster": (p) =>
        p.deletionProtection !== true ? "deletionProtection" : p.skipFinalSnapshot === true ? "skipFinalSnapshot" : undefined,
    "aws:rds/globalCluster:GlobalCluster": (p) => (p.deletionProtection !== true ? "deletionProtection" : undefined),
    "aws:rds/clusterInstance:ClusterInstance": () => undefined,
    "aws:elasticache/replicationGroup:ReplicationGroup": (p) => (Number(p.snapshotRetentionLimit ?? 0) < 1 ? "snapshotRetentionLimit" : undefined),
    "aws:s3/bucket:Bucket": (p) => (p.forceDestroy === true ? "forceDestroy" : undefined),
    "aws:dynamodb/table:Table": (p) => (p.deletionProtectionEnabled !== true ? "deletionProtectionEnabled" : undefined),
    "aws:backup/vault:Vault": (p) => (p.forceDestroy === true ? "forceDestroy" : undefined),
    "aws:kms/key:Key": (p) => (Number(p.deletionWindowInDays ?? 0) < 7 ? "deletionWindowInDays" : undefined),
    "aws:secretsmanager/secret:Secret": (p) => (Number(p.recoveryWindowInDays ?? 30) < 7 ? "recoveryWindowInDays" : undefined),
    "gcp:sql/databaseInstance:DatabaseInstance": (p) => (p.deletionProtection !== true ? "deletionProtection" : undefined),
    "gcp:sql/database:Database": () => undefined,
    "gcp:redis/instance:Instance": () => undefined,
    "gcp:storage/bucket:Bucket": (p) => (p.forceDestroy === true ? "forceDestroy" : undefined),
    "gcp:kms/keyRing:KeyRing": () => undefined,
    "gcp:kms/cryptoKey:CryptoKey": () => undefined,
    "gcp:secretmanager/secret:Secret": () => undefined,
    // The data path (issue 14): the firehose's brokers, and JetStream streams that outlive their resources.
    "aws:msk/cluster:Cluster": () => undefined,
    "kubernetes:jetstream.nats.io/v1beta2:Stream": (p) => ((p.spec as Props | undefined)?.preventDelete !== true ? "spec.preventDelete" : undefined),
};

function statefulOf(resources: readonly RegisteredResource[]): RegisteredResource[] {
    return resources.filter((r) => r.type in stateful);
}

describe("stateful resources", () => {
    it.each(listStacks().filter((s) => s !== "dev"))("%s: every one is protected, with its provider-side guard", async (stack) => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const state = statefulOf(run.resources);
        // Every data class is present: a stack without databases, keys or secrets would pass vacuously.
        for (const t of ["aws:rds/cluster:Cluster", "aws:kms/key:Key", "aws:secretsmanager/secret:Secret", "gcp:sql/databaseInstance:DatabaseInstance", "gcp:storage/bucket:Bucket"]) {
            expect(state.some((r) => r.type === t)).toBe(true);
        }
        expect(state.filter((r) => !r.protect).map((r) => `${r.type} ${r.name}`)).toEqual([]);
        const unguarded = state.map((r) => [r, stateful[r.type](r.props)] as const).filter(([, missing]) => missing !== undefined);
        expect(unguarded.map(([r, missing]) => `${r.name}: ${missing}`)).toEqual([]);
    });

    it.each(listStacks().filter((s) => s !== "dev"))("%s: volumes outlive their claims (Retain) and are encrypted", async (stack) => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const classes = run.resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
        expect(classes.length).toBeGreaterThan(0);
        for (const c of classes) {
            expect(c.props).toMatchObject({ reclaimPolicy: "Retain", parameters: expect.objectContaining({ encrypted: "true" }) });
        }
    });

    it("dev stays disposable: no stateful resource is protected", async () => {
        const { run } = await planOf("dev");
        expect(run.error).toBeNull();
        const state = statefulOf(run.resources);
        expect(state.length).toBeGreaterThan(10);
        expect(state.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
        const clusters = run.resources.filter((r) => r.type === "aws:rds/cluster:Cluster");
        expect(nonEmpty(clusters).every((c) => c.props.deletionProtection === false)).toBe(true);
    });
});
