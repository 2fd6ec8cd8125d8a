import { memorystoreOpsFinding, notificationEnvelopeFindings, outboundSendsFinding, postgresTpsFinding, pubsubFanInFindings, pubsubPublishQuotaMBps } from "../../capacity/notification-envelope";
import { gcpCapacityFindings } from "../../capacity/gcp";
import { catalog } from "../../data/catalog";
import { notificationService } from "../../data/catalog/notification";
import { CloudRunServiceCard } from "../../data/catalog/types";
import { catalogRequirements, parseStackConfig } from "../../data/config";
import { deployContext } from "../../data/context";
import { gcpProfiles } from "../../data/profiles/gcp";
import { migrationToken, validateExtensions } from "../../components/gcp/migration";
import { RegisteredResource } from "../../plan/engine";
import { byType, nonEmpty, planOf, readStackFile } from "../harness";

/** Seed 001 §7 (prod), §4.1 extensions, §4.3 staff-download signed URLs. */
const doc = {
    fanIn: { target: 5_000, burst: 20_000 },
    sends: { target: 3_000, burst: 12_000 },
    tps: { target: 4_000, burst: 12_000 },
    redisOps: { target: 50_000, burst: 200_000 },
    extensions: ["pg_partman", "pgcrypto", "pg_stat_statements", "uuid-ossp"],
};

const ctxOf = (stack: string) => deployContext(parseStackConfig(stack, readStackFile(stack), catalogRequirements(catalog)), catalog);
type P = Record<string, unknown>;
const o = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const a = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const envOf = (job: RegisteredResource): Record<string, unknown> =>
    Object.fromEntries(a(o(a(o(o(o(job.inputs).template).template).containers)[0]).envs).map((e) => [String(o(e).name), o(e).value ?? o(e).valueSource]));

describe("seed 001 §7: the four envelope rows as capacity findings", () => {
    it("reports each row in prod with the document's target and burst, and none in dev (the table is prod's)", () => {
        const fs = notificationEnvelopeFindings(ctxOf("prod-ap"), notificationService, gcpProfiles.prod);
        expect(fs.map((f) => [f.ruleId, f.severity])).toEqual([
            ["capacity/gcp-pubsub-fan-in", "info"],
            ["capacity/gcp-pubsub-fan-in", "info"],
            ["capacity/gcp-outbound-sends", "info"],
            ["capacity/gcp-postgres-tps", "info"],
            ["capacity/gcp-memorystore-ops", "info"],
        ]);
        expect(fs[1].message).toContain(`push deliveries of ${doc.fanIn.burst} msg/s (target ${doc.fanIn.target})`);
        expect(fs[2].message).toContain(`${doc.sends.burst} sends/s burst (target ${doc.sends.target})`);
        expect(fs[3].message).toContain(`${doc.tps.burst} TPS burst (target ${doc.tps.target})`);
        expect(fs[4].message).toContain(`${doc.redisOps.burst} ops/s burst (target ${doc.redisOps.target})`);
        expect(notificationEnvelopeFindings(ctxOf("dev"), notificationService, gcpProfiles.dev)).toEqual([]);
        // Part of the GCP model's findings.
        expect(gcpCapacityFindings(ctxOf("prod-ap")).filter((f) => f.ruleId === "capacity/gcp-postgres-tps")).toHaveLength(1);
    });

    it("Pub/Sub fan-in: 20 000 + 2 × 12 000 msg/s of 1 kB = 44 MB/s fits asia-south1's 50 MB/s small-region quota; 2 kB messages do not", () => {
        expect(pubsubPublishQuotaMBps("asia-south1")).toBe(50);
        expect(pubsubPublishQuotaMBps("europe-west1")).toBe(200);
        const [quota] = pubsubFanInFindings(ctxOf("prod-ap"), notificationService, "asia-south1");
        expect(quota).toMatchObject({ severity: "info", resource: "notification-pubsub-asia-south1" });
        expect(quota.message).toContain("= 44000 msg/s × 1 kB (estimate) = 44 MB/s vs asia-south1's publisher throughput quota 50 MB/s (small region; margin 6 MB/s");
        const [heavy] = pubsubFanInFindings(ctxOf("prod-ap"), notificationService, "asia-south1", 2);
        expect(heavy.severity).toBe("mandatory");
        expect(heavy.message).toContain("= 88 MB/s vs asia-south1's publisher throughput quota 50 MB/s (small region; margin -38 MB/s");
    });

    it("Pub/Sub fan-in: routers take 20 000 msg/s at 100 × 50 slots held 250 ms; 80 routers do not", () => {
        const [, router] = pubsubFanInFindings(ctxOf("prod-ap"), notificationService, "asia-south1");
        expect(router.severity).toBe("info");
        expect(router.message).toContain("100 instances × 50 concurrency = 5000 slots held 250 ms (the card's p95 budget) = 20000 msg/s (margin 0");
        const fewer: CloudRunServiceCard = {
            ...notificationService,
            roles: notificationService.roles.map((r) => (r.name === "router" ? { ...r, instances: { ...r.instances, prod: { min: 2, max: 80 } } } : r)),
        };
        const ctx = deployContext(parseStackConfig("prod-ap", readStackFile("prod-ap"), catalogRequirements(catalog)), catalog.map((c) => (c.service === fewer.service ? fewer : c)));
        const [, short] = pubsubFanInFindings(ctx, fewer, "asia-south1");
        expect(short.severity).toBe("mandatory");
        expect(short.message).toContain("= 16000 msg/s (margin -4000");
    });

    it("outbound sends: 12 000/s burst against the six channel workers' 16 000 slots over 500 ms; a card without workers fails", () => {
        const f = outboundSendsFinding(ctxOf("prod-ap"), notificationService);
        expect(f.severity).toBe("info");
        expect(f.message).toContain("6 channel workers' 16000 slots");
        expect(f.message).toContain("= 32000 sends/s (margin 20000");
        const none: CloudRunServiceCard = { ...notificationService, roles: notificationService.roles.filter((r) => !r.name.startsWith("worker-")) };
        expect(outboundSendsFinding(ctxOf("prod-ap"), none).severity).toBe("mandatory");
    });

    it("Postgres TPS: 12 000 burst on db-custom-8-32768 (8 vCPU × 2 000 = 16 000); the staging tier's 4 vCPU would not carry it", () => {
        const f = postgresTpsFinding(notificationService, gcpProfiles.prod);
        expect(f.severity).toBe("info");
        expect(f.message).toContain("8 vCPU × 2000 TPS per vCPU (estimate) = 16000; PgBouncer server pool 270 / 10 ms per transaction (estimate) = 27000; capacity 16000 (margin 4000");
        const small = postgresTpsFinding(notificationService, { ...gcpProfiles.prod, sql: { ...gcpProfiles.prod.sql, tier: "db-custom-4-16384" } });
        expect(small.severity).toBe("mandatory");
        expect(small.message).toContain("capacity 8000 (margin -4000");
    });

    it("Memorystore ops: 200 000 burst spread over the primary and 2 read replicas leaves the primary at 93 333 of 100 000; without replicas it fails", () => {
        const f = memorystoreOpsFinding(notificationService, gcpProfiles.prod);
        expect(f.severity).toBe("info");
        expect(f.message).toContain("= 40000 on the primary + reads 160000 over 3 node(s) (primary + 2 read replicas) = 53333 each → primary 93333 vs 100000");
        const single = memorystoreOpsFinding(notificationService, { ...gcpProfiles.prod, redis: { ...gcpProfiles.prod.redis, readReplicas: 0 } });
        expect(single.severity).toBe("mandatory");
        expect(single.message).toContain("primary 200000 vs 100000");
    });
});

describe("seed 001 §4.1: the migration job creates the extensions", () => {
    it("accepts the document's four extensions; rejects an unknown or repeated one", () => {
        expect(validateExtensions(doc.extensions)).toEqual([]);
        expect(validateExtensions(["pgcrypto", "timescaledb", "pgcrypto"])).toEqual([
            "extension timescaledb is not one this program knows Cloud SQL for PostgreSQL 16 offers",
            "extension pgcrypto listed twice",
        ]);
    });
    it("derives the execution token from the image digest and the extension list; refuses an unpinned image", () => {
        const image = `asia-docker.pkg.dev/p/services/notification-service@sha256:${"ab".repeat(32)}`;
        const t = migrationToken("notification-migrate", image, doc.extensions);
        expect(t).toMatch(/^abababababab-[0-9a-f]{8}$/);
        expect(migrationToken("notification-migrate", image, [...doc.extensions].reverse())).toBe(t);
        expect(migrationToken("notification-migrate", image, ["pgcrypto"])).not.toBe(t);
        expect(() => migrationToken("notification-migrate", "asia-docker.pkg.dev/p/services/notification-service:latest", doc.extensions)).toThrow("not pinned by digest");
        expect(() => migrationToken("x".repeat(50), image, doc.extensions)).toThrow("under 63");
    });
    it.each(["prod-ap", "dev"])("%s: one Cloud Run job per active region, as the migrator, straight to the primary, creating §4.1's extensions", async (stack) => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const jobs = nonEmpty(byType(run, "gcp:cloudrunv2/job:Job"));
        const active = ctxOf(stack).config.gcp.regions.filter((r) => r.role === "active");
        expect(jobs).toHaveLength(active.length);
        for (const job of jobs) {
            const p = o(job.inputs);
            expect(p.name).toBe("notification-migrate");
            expect(String(p.runExecutionToken)).toMatch(/^[0-9a-f]{12}-[0-9a-f]{8}$/);
            const env = envOf(job);
            expect(env.APP_ROLE).toBe("migrate");
            expect(String(env.DATABASE_EXTENSIONS).split(",")).toEqual(doc.extensions);
            expect(env.DATABASE_USER).toBe("notification_migrator");
            expect(env.DATABASE_PORT).toBe("5432");
            expect(env.DATABASE_SSLMODE).toBe("verify-ca");
            expect(JSON.stringify(env.DB_MIGRATOR_PASSWORD)).toContain("db-migrator-password");
        }
    });
});

describe("seed 001 §4.3: the signing identity may sign as itself", () => {
    it("grants roles/iam.serviceAccountTokenCreator to the API's account on that account only", async () => {
        const { run } = await planOf("prod-ap");
        expect(run.error).toBeNull();
        const grants = byType(run, "gcp:serviceaccount/iAMMember:IAMMember").filter((g) => o(g.inputs).role === "roles/iam.serviceAccountTokenCreator");
        expect(grants).toHaveLength(1);
        const g = o(grants[0].inputs);
        expect(String(g.member)).toBe("serviceAccount:notif-api@melmastoon-prod-ap.iam.gserviceaccount.com");
        expect(String(g.serviceAccountId)).toContain("notif-api@melmastoon-prod-ap.iam.gserviceaccount.com");
    });
});
