import { notificationService } from "../../data/catalog/notification";
import { effectiveInstances, validateCloudRunRole } from "../../components/gcp/cloudrun";
import { databaseFlags } from "../../components/gcp/database";
import { accountIdOf, accountIdPattern } from "../../components/gcp/identities";
import { bucketName, connectorName, connectorNamePattern, dualRegionLocation, secretId, sundayTwoAmLocal, unitOf } from "../../data/naming/gcp";
import { pgbouncerSettings } from "../../components/gcp/pgbouncer";
import { avroEnvelope, dlqTopicName, retentionOf } from "../../components/gcp/pubsub";
import { validateRedisProfile } from "../../components/gcp/redis";
import { validateRegionalSettings } from "../../components/gcp/regional-platform";
import { gcpProfiles } from "../../data/profiles/gcp";
import { gcpRegionsByZone } from "../../data/regions";
import { nonEmpty, readStackFile, runProgram } from "../harness";

/** The pure rules the GCP components validate and name with, before any resource exists. */

describe("naming", () => {
    it("finds a valid connector name for every GCP region the program knows, the document's where it fits", () => {
        for (const region of nonEmpty(Object.values(gcpRegionsByZone).flat())) {
            expect(connectorName(region)).toMatch(connectorNamePattern);
        }
        expect(connectorName("asia-south1")).toBe("notif-conn-asia-south1");
        // "notif-australia-southeast1" is 26 characters, over the connector name's 25: the short prefix.
        expect(connectorName("australia-southeast1")).toBe("nc-australia-southeast1");
    });
    it("gives every role, PgBouncer and the push identity a valid, distinct service account id", () => {
        const ids = [...notificationService.roles.map((r) => r.name), "pgbouncer", "pubsub-push"].map((r) => accountIdOf("notification", r));
        nonEmpty(ids).forEach((id) => expect(id).toMatch(accountIdPattern));
        expect(new Set(ids).size).toBe(ids.length);
        expect(accountIdOf("notification-x2", "api")).toBe("notif-x2-api");
    });
    it("maps the document's secret paths to Secret Manager's alphabet", () => {
        expect(secretId(["notification", "prod", "platform", "optout-signing-key"])).toBe("notification--prod--platform--optout-signing-key");
        expect(secretId(["notification", "dev", "vendor", "twilio", "tenant/1", "auth.token"])).toBe("notification--dev--vendor--twilio--tenant-1--auth-token");
        expect(() => secretId(["x".repeat(300)])).toThrow(/longer than 255/);
    });
    it("names buckets per residency zone and finds dual-regions inside one multi-region only", () => {
        expect(unitOf("notification-service")).toBe("notification");
        expect(bucketName("notification", "prod", "eu")).toBe("melmastoon-notifications-prod-eu");
        expect(bucketName("notification", "dev", "global")).toBe("melmastoon-notifications-dev");
        expect(dualRegionLocation("europe-west1", "europe-west4")).toEqual({ location: "EU", kmsLocation: "europe" });
        expect(dualRegionLocation("me-central1", "me-central2")).toBeUndefined();
        expect(dualRegionLocation("us-east4", "europe-west4")).toBeUndefined();
    });
    it("turns Sunday 02:00 local into UTC windows", () => {
        expect(sundayTwoAmLocal("europe-west2")).toEqual({ day: 7, hour: 2 });
        expect(sundayTwoAmLocal("me-central1")).toEqual({ day: 6, hour: 23 });
        expect(sundayTwoAmLocal("us-east4")).toEqual({ day: 7, hour: 7 });
        expect(sundayTwoAmLocal("asia-south1")).toEqual({ day: 6, hour: 21 });
    });
});

describe("validation", () => {
    it("rejects Redis sizes Memorystore cannot provision", () => {
        expect(() => validateRedisProfile(gcpProfiles.prod.redis)).not.toThrow();
        expect(() => validateRedisProfile({ tier: "BASIC", memoryGb: 0.25, documentedMemoryMb: 256, readReplicas: 0 })).toThrow(/at least 1 GB/);
        expect(() => validateRedisProfile({ tier: "STANDARD_HA", memoryGb: 1, documentedMemoryMb: 1024, readReplicas: 2 })).toThrow(/at least 5 GB/);
    });
    it("keeps PgBouncer's server pool inside max_connections", () => {
        // seeds/001 §4.1: 800 client connections, split over the two VMs.
        expect(pgbouncerSettings(gcpProfiles.prod.pgbouncer, gcpProfiles.prod.sql)).toEqual({ maxClientConnPerInstance: 400, defaultPoolSize: 135, serverConnections: 270, rolloutServerConnections: 540 });
        // 250 per VM fits in steady state (500) but not while a rolling replace surges two more VMs (1000).
        expect(() => pgbouncerSettings({ ...gcpProfiles.prod.pgbouncer, serverPoolPerInstance: 250 }, gcpProfiles.prod.sql)).toThrow(/\(2 \+ 2 surge\) × 250 = 1000 exceeds max_connections 600 − reserved 50 = 550/);
    });
    it("rejects Cloud Run settings outside the service's limits and keeps flagged roles at min 0", () => {
        const api = notificationService.roles[0];
        expect(() => validateCloudRunRole({ ...api, concurrency: 1200 }, { min: 1, max: 2 })).toThrow(/outside 1..1000/);
        expect(() => validateCloudRunRole(api, { min: 3, max: 2 })).toThrow(/above max/);
        const voice = notificationService.roles.find((r) => r.featureFlag);
        expect(voice && effectiveInstances(voice, { min: 2, max: 20 })).toEqual({ min: 0, max: 20 });
    });
    it("validates an active region's settings together, before anything is created", () => {
        const prod = (r: (typeof notificationService.roles)[number]) => r.instances.prod;
        expect(() => validateRegionalSettings(notificationService, gcpProfiles.prod, prod)).not.toThrow();
        const badPool = { ...gcpProfiles.prod, pgbouncer: { ...gcpProfiles.prod.pgbouncer, instances: 3 } };
        expect(() => validateRegionalSettings(notificationService, badPool, prod)).toThrow(/\(3 \+ 2 surge\) × 135 = 675 exceeds max_connections/);
        const badRange = (r: (typeof notificationService.roles)[number]) => (r.name === "scheduler" ? { min: 4, max: 1 } : r.instances.prod);
        expect(() => validateRegionalSettings(notificationService, gcpProfiles.prod, badRange)).toThrow(/scheduler: min instances 4 above max 1/);
    });
    it("sets max_connections explicitly and the IAM/logging flags", () => {
        const flags = Object.fromEntries(databaseFlags(600).map((f) => [f.name, f.value]));
        expect(flags).toMatchObject({ max_connections: "600", "cloudsql.iam_authentication": "on", log_min_duration_statement: "-1" });
    });
    it("applies a stack's instance override to the Cloud Run service", async () => {
        const config = { ...readStackFile("dev"), replicaOverrides: { "notification-service/router": { min: 5, max: 5 } } };
        const run = await runProgram("dev", { config });
        expect(run.error).toBeNull();
        const router = run.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service" && (r.inputs as { name?: string }).name === "notification-router");
        expect((router?.inputs as { template: { scaling: unknown } }).template.scaling).toEqual({ minInstanceCount: 5, maxInstanceCount: 5 });
    });
});

describe("Pub/Sub data", () => {
    it("keeps regulated topics 30 days and operational ones 7, names dead-letter topics per consumer", () => {
        const byKind = Object.fromEntries(notificationService.topics.map((t) => [t.subject, retentionOf(t)]));
        expect(byKind["melmastoon.notification.requested.v1"]).toBe("604800s");
        expect(byKind["melmastoon.notification.consent.changed.v1"]).toBe("2592000s");
        expect(dlqTopicName("worker-email")).toBe("melmastoon.dlq.notif.worker-email");
    });
    it("gives every topic an Avro record schema naming its ordering key", () => {
        for (const t of nonEmpty(notificationService.topics)) {
            const schema = JSON.parse(avroEnvelope(t)) as { type: string; name: string; doc: string; fields: { name: string }[] };
            expect(schema.type).toBe("record");
            expect(schema.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
            expect(schema.doc).toContain(t.orderingKey);
            expect(schema.fields.map((f) => f.name)).toContain("tenant_region");
        }
    });
    it("lets every consumed or published topic key resolve to a declared topic", () => {
        const subjects = new Set(notificationService.topics.map((t) => t.subject));
        // Every role's keys, and there are some: the loops below are not vacuous.
        expect(notificationService.roles.flatMap((r) => [...r.consumes, ...r.publishes]).length).toBeGreaterThan(0);
        expect(notificationService.roles.flatMap((r) => r.secrets).length).toBeGreaterThan(0);
        for (const role of notificationService.roles) {
            for (const key of [...role.consumes, ...role.publishes]) {
                expect(subjects.has(`melmastoon.notification.${key.replace(/-/g, ".")}.v1`)).toBe(true);
            }
            for (const s of role.secrets) {
                expect(notificationService.secretPurposes.map((p) => p.purpose)).toContain(s);
            }
        }
    });
});
