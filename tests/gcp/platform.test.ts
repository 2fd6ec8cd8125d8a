import { RegisteredResource } from "../../plan/engine";
import { byType, childrenOf, nonEmpty, one, planOf, readStackFile, runProgram } from "../harness";

/** The GCP platform the real program registers for each stack (seed 001, issue 5). */

const T = {
    platform: "learning-platform:gcp:RegionalPlatform",
    edge: "learning-platform:gcp:Edge",
    network: "gcp:compute/network:Network",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    connector: "gcp:vpcaccess/connector:Connector",
    nat: "gcp:compute/routerNat:RouterNat",
    address: "gcp:compute/address:Address",
    key: "gcp:kms/cryptoKey:CryptoKey",
    keyBinding: "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding",
    sql: "gcp:sql/databaseInstance:DatabaseInstance",
    redis: "gcp:redis/instance:Instance",
    bucket: "gcp:storage/bucket:Bucket",
    topic: "gcp:pubsub/topic:Topic",
    subscription: "gcp:pubsub/subscription:Subscription",
    secret: "gcp:secretmanager/secret:Secret",
    secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
    secretBinding: "gcp:secretmanager/secretIamBinding:SecretIamBinding",
    run: "gcp:cloudrunv2/service:Service",
    account: "gcp:serviceaccount/account:Account",
    urlMap: "gcp:compute/uRLMap:URLMap",
    armor: "gcp:compute/securityPolicy:SecurityPolicy",
    sslPolicy: "gcp:compute/sSLPolicy:SSLPolicy",
    budget: "gcp:billing/budget:Budget",
    record: "gcp:dns/recordSet:RecordSet",
    zone: "gcp:dns/managedZone:ManagedZone",
} as const;

type P = Record<string, unknown>;
const props = (r: RegisteredResource): P => r.inputs as P;
const o = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const a = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const byName = (rs: RegisteredResource[], name: string) => rs.find((r) => props(r).name === name);
const runNamed = (rs: RegisteredResource[], name: string): P => {
    const r = byName(rs, name);
    if (!r) {
        throw new Error(`no Cloud Run service ${name}; have ${rs.map((x) => String(props(x).name)).join(", ")}`);
    }
    return props(r);
};
const container = (svc: P): P => o(a(o(svc.template).containers)[0]);

describe("prod-eu: one regional platform per region, one edge", () => {
    it("composes a RegionalPlatform per GCP region and the edge once", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        expect(byType(run, T.platform).map((r) => r.name).sort()).toEqual(["notification-europe-west1", "notification-europe-west4"]);
        expect(byType(run, T.edge)).toHaveLength(1);
        expect(byType(run, T.network)).toHaveLength(1);
        expect(props(byType(run, T.network)[0])).toMatchObject({ name: "melmastoon-prod", autoCreateSubnetworks: false });
    });

    it("gives every region a /22 subnet with private Google access and flow logs, a connector and a NAT on reserved IPs", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        for (const [region, index] of [["europe-west1", 0], ["europe-west4", 1]] as const) {
            const subnet = props(one(run, T.subnet, `notification-${region}-net-subnet`));
            expect(subnet).toMatchObject({ region, ipCidrRange: `10.64.${index * 4}.0/22`, privateIpGoogleAccess: true });
            expect(o(subnet.logConfig).aggregationInterval).toBeDefined();
            expect(props(one(run, T.connector, `notification-${region}-net-connector`)).name).toBe(`notif-conn-${region}`);
            const nat = props(one(run, T.nat, `notification-${region}-net-nat`));
            expect(nat).toMatchObject({ name: `melmastoon-nat-${region}`, natIpAllocateOption: "MANUAL_ONLY", logConfig: { enable: true, filter: "ERRORS_ONLY" } });
            expect(a(nat.natIps)).toHaveLength(1);
            const ip = one(run, T.address, `notification-${region}-net-nat-ip-1`);
            expect(ip.protect).toBe(true);
            expect(props(ip)).toMatchObject({ addressType: "EXTERNAL", name: `melmastoon-nat-${region}-1` });
        }
    });

    it("keys every region with notification-data-{region}, 90-day rotation, protected, and grants the seven service agents", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        for (const region of ["europe-west1", "europe-west4"]) {
            const key = one(run, T.key, `notification-kms-${region}-key`);
            expect(props(key)).toMatchObject({ name: `notification-data-${region}`, rotationPeriod: "7776000s" });
            expect(key.protect).toBe(true);
            const members = a(props(one(run, T.keyBinding, `notification-kms-${region}-encrypters`)).members).map(String);
            for (const agent of ["gcp-sa-cloud-sql", "gcp-sa-pubsub", "gcp-sa-secretmanager", "cloud-redis", "serverless-robot-prod", "gs-project-accounts", "compute-system"]) {
                expect(members.some((m) => m.includes(`@${agent}.iam.gserviceaccount.com`))).toBe(true);
            }
        }
    });

    it("runs Cloud SQL PG 16 regional HA with backups in the DR region, two read replicas and a DR replica under the DR key", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const primary = one(run, T.sql, "notification-europe-west1-sql-primary");
        const p = props(primary);
        const settings = o(p.settings);
        expect(p).toMatchObject({ name: "melmastoon-notification-prod-europe-west1-pg", databaseVersion: "POSTGRES_16", deletionProtection: true });
        expect(String(p.encryptionKeyName)).toContain("/cryptoKeys/notification-data-europe-west1");
        expect(settings).toMatchObject({ tier: "db-custom-8-32768", availabilityType: "REGIONAL", diskType: "PD_SSD", diskSize: 500, diskAutoresize: true, deletionProtectionEnabled: true });
        expect(o(settings.backupConfiguration)).toMatchObject({ enabled: true, pointInTimeRecoveryEnabled: true, transactionLogRetentionDays: 7, location: "europe-west4" });
        expect(o(settings.ipConfiguration)).toMatchObject({ ipv4Enabled: false, sslMode: "ENCRYPTED_ONLY" });
        // Sunday 02:00 in Belgium (UTC+1) is Sunday 01:00 UTC.
        expect(o(settings.maintenanceWindow)).toMatchObject({ day: 7, hour: 1 });
        const flags = Object.fromEntries(a(settings.databaseFlags).map((f) => [String(o(f).name), String(o(f).value)]));
        expect(flags).toMatchObject({ "cloudsql.iam_authentication": "on", log_connections: "on", log_disconnections: "on", log_lock_waits: "on", log_checkpoints: "on", max_connections: "600" });
        expect(primary.protect).toBe(true);

        const replicas = byType(run, T.sql).filter((r) => props(r).masterInstanceName !== undefined);
        expect(replicas.map((r) => String(props(r).name)).sort()).toEqual([
            "melmastoon-notification-prod-europe-west1-pg-read-1",
            "melmastoon-notification-prod-europe-west1-pg-read-2",
            "melmastoon-notification-prod-europe-west4-pg",
        ]);
        const dr = one(run, T.sql, "notification-europe-west1-sql-dr");
        expect(props(dr).region).toBe("europe-west4");
        expect(dr.provider).toBe("gcp-europe-west4");
        expect(String(props(dr).encryptionKeyName)).toContain("/cryptoKeys/notification-data-europe-west4");
    });

    it("runs Memorystore STANDARD_HA 6 GB with read replicas, TLS, AUTH, allkeys-lru and CMEK; its AUTH string is stored as a secret", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const redis = props(one(run, T.redis, "notification-europe-west1-redis-instance"));
        expect(redis).toMatchObject({
            tier: "STANDARD_HA",
            memorySizeGb: 6,
            readReplicasMode: "READ_REPLICAS_ENABLED",
            replicaCount: 2,
            transitEncryptionMode: "SERVER_AUTHENTICATION",
            authEnabled: true,
            connectMode: "PRIVATE_SERVICE_ACCESS",
            redisConfigs: { "maxmemory-policy": "allkeys-lru" },
        });
        expect(String(redis.customerManagedKey)).toContain("notification-data-europe-west1");
        const version = one(run, T.secretVersion, "notification-europe-west1-redis-auth-v1");
        expect(version.secretPaths).toContain("secretData");
        expect(byType(run, T.redis)).toHaveLength(1);
    });

    it("keeps the bucket dual-region in the EU, CMEK, uniform, public access prevented, versioned, never force-destroyed", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const bucket = one(run, T.bucket, "notification-assets-bucket");
        expect(props(bucket)).toMatchObject({
            name: "melmastoon-notifications-prod-eu",
            location: "EU",
            customPlacementConfig: { dataLocations: ["EUROPE-WEST1", "EUROPE-WEST4"] },
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            versioning: { enabled: true },
            forceDestroy: false,
        });
        expect(String(o(props(bucket).encryption).defaultKmsKeyName)).toContain("/locations/europe/");
        expect(a(props(bucket).lifecycleRules).length).toBeGreaterThan(0);
        expect(bucket.protect).toBe(true);
    });

    it("declares a CMEK topic per subject with 7/30-day retention, and a dead-letter topic with a holding subscription per consumer", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const topics = byType(run, T.topic).map(props);
        const requested = byName(byType(run, T.topic), "melmastoon.notification.requested.v1");
        expect(requested && props(requested)).toMatchObject({ messageRetentionDuration: "604800s", messageStoragePolicy: { allowedPersistenceRegions: ["europe-west1", "europe-west4"] } });
        expect(props(byName(byType(run, T.topic), "melmastoon.notification.status.v1") as RegisteredResource).messageRetentionDuration).toBe("2592000s");
        for (const t of nonEmpty(topics)) {
            expect(String(t.kmsKeyName)).toContain("cryptoKeys/notification-data-");
        }
        const consumers = ["router", "worker-email", "worker-sms", "worker-whatsapp", "worker-push", "worker-inapp", "worker-voice", "webhook-correlator", "cache-warmer"];
        const subs = byType(run, T.subscription).map(props);
        for (const c of consumers) {
            expect(topics.some((t) => t.name === `melmastoon.dlq.notif.${c}`)).toBe(true);
            expect(subs.some((s) => s.name === `melmastoon.dlq.notif.${c}.hold` && String(s.topic).endsWith(`/melmastoon.dlq.notif.${c}`))).toBe(true);
        }
    });

    it("subscribes each consumer to its subjects: push to its own service, ordered, ack 600 s, 5 attempts then its dead-letter topic", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const sub = props(one(run, T.subscription, "notification-europe-west1-subs-worker-sms-melmastoon.notification.dispatch.sms.v1"));
        expect(sub).toMatchObject({
            name: "melmastoon.notification.dispatch.sms.v1.worker-sms.europe-west1",
            ackDeadlineSeconds: 600,
            enableMessageOrdering: true,
            deadLetterPolicy: { maxDeliveryAttempts: 5 },
        });
        expect(String(o(sub.deadLetterPolicy).deadLetterTopic)).toMatch(/\/melmastoon\.dlq\.notif\.worker-sms$/);
        expect(String(o(sub.pushConfig).pushEndpoint)).toMatch(/^https:\/\/notification-worker-sms-.*\.europe-west1\.run\.app\/api\/v1\/internal\/pubsub$/);
        expect(o(sub.retryPolicy)).toMatchObject({ minimumBackoff: "10s", maximumBackoff: "600s" });
        // One active region: no tenant-region filter.
        expect(sub.filter).toBeUndefined();
    });

    it("names secrets notification--{env}--platform--{purpose}, replicates them with CMEK in both regions, and versions only generated ones", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const hmac = props(one(run, T.secret, "notification-secrets-hmac-signing-key"));
        expect(hmac.secretId).toBe("notification--prod--platform--hmac-signing-key");
        const replicas = a(o(o(hmac.replication).userManaged).replicas).map(o);
        expect(replicas.map((r) => r.location)).toEqual(["europe-west1", "europe-west4"]);
        for (const r of nonEmpty(replicas)) {
            expect(String(o(r.customerManagedEncryption).kmsKeyName)).toContain(`notification-data-${String(r.location)}`);
        }
        expect(props(one(run, T.secret, "notification-secrets-vendor-sms")).secretId).toBe("notification--prod--vendor--twilio--platform--credentials");
        const versioned = byType(run, T.secretVersion).map((v) => v.name);
        expect(versioned).toContain("notification-secrets-hmac-signing-key-v1");
        expect(versioned.some((n) => n.includes("vendor-"))).toBe(false);
        for (const v of nonEmpty(byType(run, T.secretVersion))) {
            expect(v.secretPaths).toContain("secretData");
        }
    });

    it("lets each identity read only the secrets its role lists", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const readers = (purpose: string) => a(props(one(run, T.secretBinding, `notification-identities-reads-${purpose}`)).members).map(String);
        const sms = readers("vendor-sms");
        expect(sms.some((m) => m.includes("notif-worker-sms@"))).toBe(true);
        expect(sms.some((m) => m.includes("notif-worker-email@"))).toBe(false);
        const db = readers("db-app-password");
        expect(db.some((m) => m.includes("notif-pgbouncer@"))).toBe(true);
        expect(db.some((m) => m.includes("notif-channel-prober@"))).toBe(false);
    });

    it("deploys the 13 services (+ the peers' entry, issue 15) and PgBouncer in the active region only, each with its own service account", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const services = byType(run, T.run);
        // seeds/001 §3's 13 services and notification-api-internal, the peers' entry with IAM invocation on.
        expect(services).toHaveLength(13 + 1);
        expect(nonEmpty(services).every((s) => props(s).location === "europe-west1")).toBe(true);
        const accounts = services.map((s) => String(o(props(s).template).serviceAccount));
        expect(new Set(accounts).size).toBe(13 + 1);
        // Each service runs as its role's own account (not a shared one): the correlator as notif-webhook-correlator.
        expect(String(o(runNamed(services, "notification-webhook-correlator").template).serviceAccount)).toMatch(/^notif-webhook-correlator@[a-z0-9-]+\.iam\.gserviceaccount\.com$/);
        expect(String(o(runNamed(services, "notification-api").template).serviceAccount)).toMatch(/^notif-api@/);
        const pgbouncer = byType(run, "learning-platform:gcp:PgBouncer").map((r) => r.name);
        expect(pgbouncer).toEqual(["notification-europe-west1-pgbouncer"]);
        expect(childrenOf(run, "notification-europe-west4").map((r) => r.type)).toEqual(["learning-platform:gcp:RegionalNetwork"]);
    });

    it("configures the API for the load balancer: ingress, WebSocket affinity, boost, 60 s timeout, prod bounds 3..200", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const api = runNamed(byType(run, T.run), "notification-api");
        const tpl = o(api.template);
        expect(api).toMatchObject({ ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", invokerIamDisabled: true, deletionProtection: true });
        expect(tpl).toMatchObject({ sessionAffinity: true, timeout: "60s", maxInstanceRequestConcurrency: 600, scaling: { minInstanceCount: 3, maxInstanceCount: 200 } });
        expect(tpl.vpcAccess).toMatchObject({ egress: "ALL_TRAFFIC" });
        expect(String(o(tpl.vpcAccess).connector)).toContain("/connectors/notif-conn-europe-west1");
        expect(String(tpl.encryptionKey)).toContain("notification-data-europe-west1");
        const c = container(api);
        expect(String(c.image)).toMatch(/notification-service@sha256:[a-f0-9]{64}$/);
        expect(o(c.resources).startupCpuBoost).toBe(true);
        expect(o(o(c.livenessProbe).httpGet).path).toBe("/api/v1/internal/health");
        // Readiness probes are Preview on Cloud Run; the service is GA (adjust/cloud-run-readiness).
        expect(c.readinessProbe).toBeUndefined();
        expect(o(o(c.startupProbe).httpGet).path).toBe("/api/v1/internal/health");
        const secretEnvs = a(c.envs).map(o).filter((e) => e.valueSource !== undefined);
        expect(secretEnvs.map((e) => e.name)).toContain("HMAC_SIGNING_KEY");
        expect(nonEmpty(a(c.envs).map(o)).filter((e) => e.value !== undefined && /PASSWORD|SECRET|TOKEN|KEY/.test(String(e.name)))).toEqual([]);
    });

    it("configures workers per the document's table: internal only, 540 s, concurrency 50 / 1 for the relay, voice at min 0", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const services = byType(run, T.run);
        const table: Record<string, [number, number]> = {
            "notification-router": [2, 100],
            "notification-worker-email": [2, 80],
            "notification-worker-sms": [2, 80],
            "notification-worker-whatsapp": [2, 60],
            "notification-worker-push": [1, 40],
            "notification-worker-inapp": [2, 40],
            "notification-worker-voice": [0, 20],
            "notification-scheduler": [1, 10],
            "notification-outbox-relay": [2, 10],
            "notification-webhook-correlator": [1, 10],
            "notification-channel-prober": [1, 4],
            "notification-cache-warmer": [1, 4],
        };
        for (const [name, [min, max]] of Object.entries(table)) {
            const svc = runNamed(services, name);
            const tpl = o(svc.template);
            expect({ name, ...o(tpl.scaling) }).toEqual({ name, minInstanceCount: min, maxInstanceCount: max });
            expect(svc.ingress).toBe("INGRESS_TRAFFIC_INTERNAL_ONLY");
            expect(svc.invokerIamDisabled).toBe(false);
            expect(tpl.timeout).toBe("540s");
            expect(tpl.maxInstanceRequestConcurrency).toBe(name === "notification-outbox-relay" ? 1 : 50);
            expect(o(container(svc).resources).startupCpuBoost).toBe(name === "notification-router");
        }
    });

    it("runs PgBouncer in transaction mode, 2 × 400 clients (the document's 800), a server pool inside max_connections", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const mig = props(one(run, "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "notification-europe-west1-pgbouncer-mig"));
        const ud = String(o(props(one(run, "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate", "notification-europe-west1-pgbouncer-template")).metadata)["user-data"]);
        expect(mig.targetSize).toBe(2);
        expect(ud).toContain("pool_mode = transaction");
        expect(ud).toContain("max_client_conn = 400");
        expect(ud).toContain("default_pool_size = 135");
        expect(ud).toMatch(/europe-docker\.pkg\.dev\/melmastoon-prod-eu\/mirror\/pgbouncer@sha256:/);
    });

    it("fronts the API with the global ALB: TLS 1.3 (seed 001 §2) RESTRICTED, WAF, per-vendor caps and a 451 residency route", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        expect(props(byType(run, T.sslPolicy)[0])).toMatchObject({ profile: "RESTRICTED", minTlsVersion: "TLS_1_3" });
        const rules = a(props(byType(run, T.armor)[0]).rules).map(o);
        const exprs = rules.map((r) => String(o(o(r.match).expr).expression));
        expect(exprs.some((e) => e.includes("sqli-v33-stable"))).toBe(true);
        expect(exprs.some((e) => e.includes("xss-v33-stable"))).toBe(true);
        const twilio = rules.find((r) => String(o(o(r.match).expr).expression).includes("/api/v1/webhooks/twilio"));
        expect(twilio).toMatchObject({ action: "throttle", rateLimitOptions: { rateLimitThreshold: { count: 100000, intervalSec: 10 }, exceedAction: "deny(429)" } });
        const edge = props(one(run, T.urlMap, "notification-edge-urlmap"));
        const routes = a(o(a(edge.pathMatchers)[0]).routeRules).map(o);
        const residency = routes.find((r) => o(o(r.routeAction).faultInjectionPolicy).abort !== undefined);
        expect(o(o(o(residency?.routeAction).faultInjectionPolicy).abort)).toEqual({ httpStatus: 451, percentage: 100 });
        const header = o(a(o(a(residency?.matchRules)[0]).headerMatches)[0]);
        expect(header).toMatchObject({ headerName: "X-Tenant-Region", invertMatch: true });
        expect(new RegExp(String(header.regexMatch)).test("europe-west1")).toBe(true);
        expect(new RegExp(String(header.regexMatch)).test("asia-south1")).toBe(false);
        const redirect = props(one(run, T.urlMap, "notification-edge-redirect"));
        expect(o(redirect.defaultUrlRedirect).httpsRedirect).toBe(true);
    });

    it("publishes notify.{domain} and the private notification-internal.{domain}", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const zones = byType(run, T.zone).map(props);
        expect(zones.map((z) => [z.dnsName, z.visibility])).toEqual([
            ["notify.eu.melmastoon.com.", "public"],
            ["notification-internal.eu.melmastoon.com.", "private"],
        ]);
        expect(props(one(run, T.record, "notification-edge-public-a"))).toMatchObject({ name: "notify.eu.melmastoon.com.", type: "A" });
    });

    it("sets a budget on the billing account with 50/80/100 % alerts", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const budget = props(byType(run, T.budget)[0]);
        expect(budget.billingAccount).toBe("01A2B3-C4D5E6-F7A8B9");
        expect(a(budget.thresholdRules).map((r) => o(r).thresholdPercent)).toEqual([0.5, 0.8, 1]);
    });
});

describe("environment differences", () => {
    it("dev: no protection, no replicas, BASIC 1 GB Redis, non-API services at min 0, backups kept in region", async () => {
        const { run } = await planOf("dev");
        expect(run.error).toBeNull();
        const primary = one(run, T.sql, "notification-asia-south1-sql-primary");
        expect(primary.protect).toBe(false);
        expect(props(primary)).toMatchObject({ deletionProtection: false });
        expect(o(o(props(primary).settings).backupConfiguration).location).toBe("asia-south1");
        // Sunday 02:30 IST = Saturday 21:00 UTC.
        expect(o(o(props(primary).settings).maintenanceWindow)).toMatchObject({ day: 6, hour: 21 });
        expect(byType(run, T.sql)).toHaveLength(1);
        expect(props(byType(run, T.redis)[0])).toMatchObject({ tier: "BASIC", memorySizeGb: 1 });
        expect(props(byType(run, T.redis)[0]).readReplicasMode).toBeUndefined();
        // The 13 services of seeds/001 §3 and the peers' entry (PgBouncer runs on VMs, not Cloud Run).
        const services = byType(run, T.run);
        expect(services).toHaveLength(13 + 1);
        for (const s of services) {
            const min = o(o(props(s).template).scaling).minInstanceCount;
            expect([props(s).name, min]).toEqual([props(s).name, props(s).name === "notification-api" ? 1 : 0]);
        }
        expect(one(run, T.key, "notification-kms-asia-south1-key").protect).toBe(false);
        expect(one(run, T.address, "notification-asia-south1-net-nat-ip-1").protect).toBe(false);
        expect(props(one(run, T.bucket, "notification-assets-bucket"))).toMatchObject({ name: "melmastoon-notifications-dev", location: "ASIA-SOUTH1" });
    });

    it("staging: STANDARD_HA 1 GB without read replicas, a DR replica in me-central1, protected state", async () => {
        const { run } = await planOf("staging");
        expect(run.error).toBeNull();
        expect(props(byType(run, T.redis)[0])).toMatchObject({ tier: "STANDARD_HA", memorySizeGb: 1 });
        const sql = byType(run, T.sql);
        expect(sql.map((s) => String(props(s).name)).sort()).toEqual(["melmastoon-notification-staging-asia-south1-pg", "melmastoon-notification-staging-me-central1-pg"]);
        expect(sql.every((s) => s.protect)).toBe(true);
        expect(sql.map((s) => o(props(s).settings).tier)).toEqual(["db-custom-4-16384", "db-custom-4-16384"]);
    });

    it("prod-me: no configurable dual-region in the Middle East, so the bucket stays regional in me-central1", async () => {
        const { run } = await planOf("prod-me");
        expect(run.error).toBeNull();
        expect(props(one(run, T.bucket, "notification-assets-bucket"))).toMatchObject({ name: "melmastoon-notifications-prod-me", location: "ME-CENTRAL1" });
        expect(props(one(run, T.bucket, "notification-assets-bucket")).customPlacementConfig).toBeUndefined();
    });

    it("prod-us: dual-region US bucket over us-east4 and us-central1", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        expect(props(one(run, T.bucket, "notification-assets-bucket"))).toMatchObject({ location: "US", customPlacementConfig: { dataLocations: ["US-EAST4", "US-CENTRAL1"] } });
    });

    it("every stack plans without a GCP policy violation", async () => {
        for (const stack of ["dev", "staging", "prod-us", "prod-eu", "prod-me", "prod-ap"]) {
            const { run, findings } = await planOf(stack);
            expect(run.error).toBeNull();
            const gcpViolations = findings.filter((f) => f.ruleId.startsWith("gcp-") && f.severity === "mandatory");
            expect({ stack, gcpViolations }).toEqual({ stack, gcpViolations: [] });
        }
    });
});

describe("two active regions", () => {
    it("gives each its services, a backend and a route, filters subscriptions by tenant region, and keeps no DR replica", async () => {
        const raw = readStackFile("prod-eu");
        const gcpConfig = raw.gcp as Record<string, unknown>;
        const config = { ...raw, gcp: { ...gcpConfig, regions: [{ region: "europe-west1", role: "active" }, { region: "europe-west4", role: "active" }] } };
        const run = await runProgram("prod-eu", { config });
        expect(run.error).toBeNull();
        expect(byType(run, T.run).filter((s) => props(s).name === "notification-api").map((s) => props(s).location).sort()).toEqual(["europe-west1", "europe-west4"]);
        expect(byType(run, "gcp:compute/backendService:BackendService").map((b) => props(b).name).sort()).toEqual(["notification-api-europe-west1", "notification-api-europe-west4"]);
        const routes = a(o(a(props(one(run, T.urlMap, "notification-edge-urlmap")).pathMatchers)[0]).routeRules).map(o);
        expect(routes.map((r) => o(a(o(a(r.matchRules)[0]).headerMatches)[0]).exactMatch).filter(Boolean)).toEqual(["europe-west1", "europe-west4"]);
        const sub = props(one(run, T.subscription, "notification-europe-west4-subs-router-melmastoon.notification.requested.v1"));
        expect(sub.filter).toBe('attributes.tenant_region = "europe-west4"');
        expect(byType(run, T.sql).some((r) => String(r.name).endsWith("-sql-dr"))).toBe(false);
        // Without a DR region, backups stay in the primary's region.
        expect(o(o(props(one(run, T.sql, "notification-europe-west4-sql-primary")).settings).backupConfiguration).location).toBe("europe-west4");
    });
});
