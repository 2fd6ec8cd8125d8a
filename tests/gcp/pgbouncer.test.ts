import { notificationService } from "../../data/catalog/notification";
import { baseInstanceNameMaxLength, computeNamePattern, pgbouncerNames, regionZones, templatePrefixMaxLength } from "../../data/naming/gcp";
import { artifactRepositoryOf, healthCheckSourceRanges, pgbouncerCloudInit, pgbouncerIni, registryHostOf } from "../../components/gcp/pgbouncer";
import { RegisteredResource } from "../../plan/engine";
import { gcpRegionsByZone } from "../../data/regions";
import { byType, one, planOf } from "../harness";

/**
 * PgBouncer (seed 001 §4.1: transaction mode, 800 client connections) as Postgres clients reach it:
 * over TCP through an internal passthrough Network Load Balancer to a regional MIG of VMs.
 */

const T = {
    run: "gcp:cloudrunv2/service:Service",
    rule: "gcp:compute/forwardingRule:ForwardingRule",
    backend: "gcp:compute/regionBackendService:RegionBackendService",
    mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    template: "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
    hc: "gcp:compute/regionHealthCheck:RegionHealthCheck",
    firewall: "gcp:compute/firewall:Firewall",
    connector: "gcp:vpcaccess/connector:Connector",
    account: "gcp:serviceaccount/account:Account",
} as const;

/** Seed 001 §4.1. */
const documentClientConnections = 800;
/** Google's documented health-check source ranges. */
const googleHealthCheckRanges = ["35.191.0.0/16", "130.211.0.0/22"];

type P = Record<string, unknown>;
const props = (r: RegisteredResource): P => r.inputs as P;
const o = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const a = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const userData = (t: RegisteredResource) => String(o(props(t).metadata)["user-data"]);
const iniValue = (ud: string, key: string) => new RegExp(`^\\s*${key} = (.*)$`, "m").exec(ud)?.[1];

const stacks = [
    ["prod-us", "us-east4"],
    ["dev", "asia-south1"],
] as const;

describe.each(stacks)("%s: PgBouncer behind an internal passthrough NLB in %s", (stack, region) => {
    const prefix = `notification-${region}-pgbouncer`;

    it("forwards TCP 6432 on an internal address in the region's subnet, to an INTERNAL TCP backend", async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const rule = props(one(run, T.rule, `${prefix}-rule`));
        expect(rule).toMatchObject({ loadBalancingScheme: "INTERNAL", ipProtocol: "TCP", ports: ["6432"], allowGlobalAccess: false, region });
        expect(String(rule.subnetwork)).toMatch(new RegExp(`/subnetworks/melmastoon-${region}$`));
        expect(String(rule.ipAddress)).toMatch(/^10\.\d+\.\d+\.\d+$/);
        const backend = props(one(run, T.backend, `${prefix}-backend`));
        expect(backend).toMatchObject({ loadBalancingScheme: "INTERNAL", protocol: "TCP", sessionAffinity: "NONE" });
        expect(Number(backend.connectionDrainingTimeoutSec)).toBeGreaterThan(0);
        expect(rule.backendService).toMatch(/\/backendServices\/notification-pgbouncer-/);
        const mig = props(one(run, T.mig, `${prefix}-mig`));
        expect(a(backend.backends).map((b) => o(b).group)).toEqual([`https://www.googleapis.com/compute/v1/projects/${String(rule.network).split("/")[1]}/regions/${region}/instanceGroups/${String(mig.name)}`]);
        expect(props(one(run, T.hc, `${prefix}-hc`))).toMatchObject({ tcpHealthCheck: { port: 6432 } });
        expect(backend.healthChecks).toMatch(/\/healthChecks\/notification-pgbouncer-.*-hc$/);
    });

    it("runs a fixed-size group whose max_client_conn × size is the document's 800, in transaction mode", async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const mig = props(one(run, T.mig, `${prefix}-mig`));
        const size = Number(mig.targetSize);
        expect(size).toBeGreaterThanOrEqual(1);
        const ud = userData(one(run, T.template, `${prefix}-template`));
        expect(Number(iniValue(ud, "max_client_conn")) * size).toBe(documentClientConnections);
        expect(iniValue(ud, "pool_mode")).toBe("transaction");
        expect(iniValue(ud, "listen_port")).toBe("6432");
        expect(iniValue(ud, "auth_type")).toBe("scram-sha-256");
        expect(iniValue(ud, "server_tls_sslmode")).toBe("verify-ca");
        expect(ud).toContain("-----BEGIN CERTIFICATE-----");
        // One VM per zone (prod: two zones), healed on the TCP check, never below size during a rollout,
        // whose surge (one VM per zone) keeps the server pools inside max_connections − reserved
        // (ours, README: prod 600 − 50, dev 400 − 30).
        const zones = a(mig.distributionPolicyZones).map(String);
        expect(zones).toHaveLength(({ dev: 1, "prod-us": 2 } as Record<string, number>)[stack]);
        expect(zones.every((z) => z.startsWith(`${region}-`))).toBe(true);
        expect(o(mig.updatePolicy)).toMatchObject({ type: "PROACTIVE", maxUnavailableFixed: 0, maxSurgeFixed: zones.length });
        expect((size + zones.length) * Number(iniValue(ud, "default_pool_size"))).toBeLessThanOrEqual(({ dev: 400 - 30, "prod-us": 600 - 50 } as Record<string, number>)[stack]);
        expect(String(o(mig.autoHealingPolicies).healthCheck)).toMatch(/\/healthChecks\/notification-pgbouncer-.*-hc$/);
        expect(Number(o(mig.autoHealingPolicies).initialDelaySec)).toBeGreaterThan(0);
    });

    it("boots the pinned image on shielded COS VMs with no external IP, a CMEK disk, its own identity", async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const t = one(run, T.template, `${prefix}-template`);
        const p = props(t);
        const disks = a(p.disks).map(o);
        expect(disks).toHaveLength(1);
        expect(disks[0]).toMatchObject({ boot: true, sourceImage: "projects/cos-cloud/global/images/family/cos-stable" });
        expect(String(o(disks[0].diskEncryptionKey).kmsKeySelfLink)).toContain(`/cryptoKeys/notification-data-${region}`);
        const nics = a(p.networkInterfaces).map(o);
        expect(nics).toHaveLength(1);
        expect(nics[0].accessConfigs ?? []).toEqual([]);
        expect(p.shieldedInstanceConfig).toEqual({ enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true });
        expect(String(o(p.serviceAccount).email)).toMatch(/^notif-pgbouncer@/);
        const ud = userData(t);
        expect(ud).toMatch(/docker run .*--network host .*pgbouncer@sha256:[a-f0-9]{64} /);
        expect(ud).toContain("secretmanager.googleapis.com/v1/projects/");
        // The password is read at boot, never written into the template.
        expect(t.secretPaths).toEqual([]);
        expect(ud).not.toContain("[secret]");
    });

    it("admits 6432 from exactly the VPC connector range and Google's health checkers", async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const connector = props(byType(run, T.connector).find((c) => props(c).region === region) as RegisteredResource);
        const pgbouncerSa = `${String(props(one(run, T.account, "notification-identities-pgbouncer")).accountId)}@`;
        const targeting = byType(run, T.firewall).filter((f) => a(props(f).targetServiceAccounts).some((s) => String(s).startsWith(pgbouncerSa)));
        expect(targeting.map((f) => f.name).sort()).toEqual([`${prefix}-fw-clients`, `${prefix}-fw-health`]);
        const clients = props(one(run, T.firewall, `${prefix}-fw-clients`));
        const health = props(one(run, T.firewall, `${prefix}-fw-health`));
        expect(clients.sourceRanges).toEqual([connector.ipCidrRange]);
        expect(health.sourceRanges).toEqual(googleHealthCheckRanges);
        for (const f of [clients, health]) {
            expect(f).toMatchObject({ direction: "INGRESS", allows: [{ protocol: "tcp", ports: ["6432"] }] });
        }
    });

    it("points DATABASE_HOST of every DB-using Cloud Run service at the load balancer's IP, port 6432", async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const ip = props(one(run, T.rule, `${prefix}-rule`)).ipAddress;
        const dbRoles = notificationService.roles.filter((r) => r.dbPoolPerInstance > 0).map((r) => `notification-${r.name}`);
        expect(dbRoles.length).toBeGreaterThan(0);
        const envOf = (name: string) => {
            const svc = byType(run, T.run).find((s) => props(s).name === name);
            const c = o(a(o(props(svc as RegisteredResource).template).containers)[0]);
            return Object.fromEntries(a(c.envs).map(o).map((e) => [String(e.name), e.value]));
        };
        for (const name of dbRoles) {
            const env = envOf(name);
            expect({ name, host: env.DATABASE_HOST, port: env.DATABASE_PORT, sslmode: env.DATABASE_SSLMODE }).toEqual({ name, host: ip, port: "6432", sslmode: "disable" });
            expect(String(env.DATABASE_HOST)).not.toMatch(/^https?:/);
        }
        const others = notificationService.roles.filter((r) => r.dbPoolPerInstance === 0).map((r) => `notification-${r.name}`);
        expect(others.length).toBeGreaterThan(0);
        for (const name of others) {
            expect({ name, host: envOf(name).DATABASE_HOST }).toEqual({ name, host: undefined });
        }
    });

    it("keeps no PgBouncer on Cloud Run and no readiness probe on any Cloud Run container", async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const services = byType(run, T.run);
        expect(services).toHaveLength(notificationService.roles.length);
        expect(services.filter((s) => /pgbouncer/.test(String(props(s).name)) || /pgbouncer/.test(s.name))).toEqual([]);
        const containers = services.flatMap((s) => a(o(props(s).template).containers).map(o));
        expect(containers).toHaveLength(notificationService.roles.length);
        expect(containers.filter((c) => c.readinessProbe !== undefined)).toEqual([]);
        expect(services.every((s) => props(s).launchStage === "GA")).toBe(true);
    });
});

describe("PgBouncer's pure pieces", () => {
    it("names every piece within Compute Engine's limits for every region the program knows", () => {
        for (const region of Object.values(gcpRegionsByZone).flat()) {
            const n = pgbouncerNames("notification", region);
            expect(n.templatePrefix.length).toBeLessThanOrEqual(templatePrefixMaxLength);
            expect(n.baseInstanceName.length).toBeLessThanOrEqual(baseInstanceNameMaxLength);
            for (const name of [n.mig, n.healthCheck, n.backend, n.address, n.forwardingRule, n.firewallClients, n.firewallHealth]) {
                expect(name).toMatch(computeNamePattern);
            }
            expect(regionZones(region)).toHaveLength(3);
        }
        expect(pgbouncerNames("notification", "europe-west1").forwardingRule).toBe("notification-pgbouncer-europe-west1");
        expect(pgbouncerNames("notification", "australia-southeast1").templatePrefix).toBe("notif-pgb-australia-southeast1-");
        // europe-west1 has no zone a.
        expect(regionZones("europe-west1")).toEqual(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
        expect(() => regionZones("mars-north1")).toThrow(/no zone list/);
    });
    it("refuses a name the API would refuse", () => {
        expect(() => pgbouncerNames("notification", "europe-southwest1-with-a-made-up-very-long-name")).toThrow(/prefix/);
        expect(() => pgbouncerNames("Notification", "us-east4")).toThrow();
    });
    it("writes transaction pooling with the split client limit and verify-ca only when the CA is known", () => {
        const settings = { maxClientConnPerInstance: 400, defaultPoolSize: 135, serverConnections: 270, rolloutServerConnections: 540 };
        const base = { databaseHost: "10.80.0.5", databaseName: "notification", databaseUser: "notification_app", settings };
        const withCa = pgbouncerIni({ ...base, serverCaCert: "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----" });
        expect(iniValue(withCa, "pool_mode")).toBe("transaction");
        expect(iniValue(withCa, "max_client_conn")).toBe("400");
        expect(iniValue(withCa, "default_pool_size")).toBe("135");
        expect(iniValue(withCa, "server_tls_sslmode")).toBe("verify-ca");
        expect(iniValue(withCa, "notification")).toBe("host=10.80.0.5 port=5432 dbname=notification");
        expect(iniValue(pgbouncerIni(base), "server_tls_sslmode")).toBe("require");
        expect(pgbouncerIni(base)).not.toContain("server_tls_ca_file");
    });
    it("logs Docker in to Artifact Registry only, and grants the reader role on the image's repository", () => {
        const image = `europe-docker.pkg.dev/melmastoon-prod-eu/mirror/pgbouncer@sha256:${"a".repeat(64)}`;
        expect(registryHostOf(image)).toBe("europe-docker.pkg.dev");
        expect(artifactRepositoryOf(image)).toEqual({ location: "europe", project: "melmastoon-prod-eu", repository: "mirror" });
        expect(registryHostOf(`docker.io/edoburu/pgbouncer@sha256:${"a".repeat(64)}`)).toBeUndefined();
        expect(artifactRepositoryOf(`docker.io/edoburu/pgbouncer@sha256:${"a".repeat(64)}`)).toBeUndefined();
        const ud = pgbouncerCloudInit({ ini: "x = 1", image, passwordSecret: "projects/p/secrets/s", databaseUser: "u", fileDescriptorLimit: 4096 });
        expect(ud.startsWith("#cloud-config\n")).toBe(true);
        expect(ud).toContain("configure-docker --registries=europe-docker.pkg.dev");
        expect(ud).toContain("--ulimit nofile=4096:4096");
        expect(ud).not.toContain("server-ca.pem");
        expect(healthCheckSourceRanges).toEqual(googleHealthCheckRanges);
    });
});
