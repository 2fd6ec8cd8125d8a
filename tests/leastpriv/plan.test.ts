import { StackRun } from "../../plan/engine";
import { byType, nonEmpty, one } from "../harness";
import { requestRun } from "../run-server";
import { catalog } from "../../data/catalog";

/**
 * prod-us and prod-eu against the documents (issue 11 item 4): a broker principal per publisher /
 * consumer and DB/broker permissions scoped per service (seed 004 §19), TLS in transit (seed 001
 * §4.2 "TLS in transit"), the events each service consumes (seed 002 §5: authoring-worker consumes
 * `content.play_package.built.v1` + `catalog.course_version.published.v1`), and rotation of the
 * global primary's master password.
 */

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const a = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const eks = catalog.filter((c) => c.platform === "eks");
const natsServices = eks.flatMap((c) => (c.platform === "eks" && c.outbound.some((d) => d.kind === "nats") ? [c] : []));
const redisServices = eks.flatMap((c) => (c.platform === "eks" && c.outbound.some((d) => d.kind === "redis") ? [c] : []));

let run: StackRun;
beforeAll(async () => {
    // Secrets (the NATS values, the secret strings) in plaintext, as the policies see them.
    run = await requestRun<StackRun>({ stack: "prod-us", keepProps: true });
}, 120_000);

describe("prod-us: NATS", () => {
    it("runs", () => {
        expect(run.error).toBeNull();
    });

    it("has a user pair per publisher/consumer plus the stream-admin, none with $JS.API.> or stream management", () => {
        const values = o(one(run, "kubernetes:helm.sh/v3:Release", "us-east-1-nats-release").props.values);
        const users = a(o(o(o(o(values.config).merge).accounts).APP).users).map(o);
        const names = users.map((u) => String(u.user)).sort();
        expect(names).toEqual([...nonEmpty(natsServices).map((c) => c.service), "stream-admin"].flatMap((s) => [`${s}-a`, `${s}-b`]).sort());
        for (const u of nonEmpty(users)) {
            const publish = a(o(o(u.permissions).publish).allow).map(String);
            expect(publish.length).toBeGreaterThan(0);
            expect(publish).not.toContain("$JS.API.>");
            expect(publish).not.toContain(">");
            expect(publish.filter((s) => /^\$JS\.API\.STREAM\.(DELETE|PURGE)/.test(s))).toEqual([]);
        }
        const managing = users.filter((u) => a(o(o(u.permissions).publish).allow).some((s) => /^\$JS\.API\.STREAM\.(CREATE|UPDATE)/.test(String(s))));
        expect(managing.map((u) => u.user).sort()).toEqual(["stream-admin-a", "stream-admin-b"]);
        const authoring = users.find((u) => u.user === "authoring-service-a");
        expect(a(o(o(authoring?.permissions).subscribe).allow)).toEqual(["content.play_package.built.v1", "catalog.course_version.published.v1", "_INBOX_authoring.>"]);
    });

    it("takes clients over TLS with verified certificates and routes over TLS, trusting the cluster CA", () => {
        const values = o(one(run, "kubernetes:helm.sh/v3:Release", "us-east-1-nats-release").props.values);
        const config = o(values.config);
        expect(o(values.tlsCA)).toEqual({ enabled: true, secretName: "nats-server-tls", key: "ca.crt" });
        expect(o(o(config.nats).tls)).toEqual({ enabled: true, secretName: "nats-server-tls", merge: { verify: true, timeout: 2 } });
        expect(o(config.cluster)).toMatchObject({ enabled: true, replicas: 3, tls: { enabled: true, secretName: "nats-server-tls" } });
        const server = one(run, "kubernetes:cert-manager.io/v1:Certificate", "us-east-1-nats-server-tls");
        expect(o(server.props.spec)).toMatchObject({ secretName: "nats-server-tls", usages: ["digital signature", "key encipherment", "server auth", "client auth"], issuerRef: { name: "platform-ca", kind: "ClusterIssuer" } });
        expect(a(o(server.props.spec).dnsNames)).toEqual(expect.arrayContaining(["nats.nats.svc.cluster.local", "*.nats-headless.nats.svc.cluster.local"]));
    });

    it("installs cert-manager from the jetstack chart, pinned, with its CRDs, and a self-signed root behind the CA issuer", () => {
        const cm = one(run, "kubernetes:helm.sh/v3:Release", "us-east-1-cert-manager-release");
        expect(cm.props).toMatchObject({ chart: "cert-manager", repositoryOpts: { repo: "https://charts.jetstack.io" }, namespace: "cert-manager" });
        expect(cm.props.version).toMatch(/^v\d+\.\d+\.\d+$/);
        expect(o(o(cm.props.values).crds)).toEqual({ enabled: true, keep: true });
        const root = one(run, "kubernetes:cert-manager.io/v1:Certificate", "us-east-1-cert-manager-root-ca");
        expect(o(root.props.spec)).toMatchObject({ isCA: true, secretName: "platform-root-ca", issuerRef: { name: "platform-selfsigned", kind: "ClusterIssuer" } });
        const issuer = one(run, "kubernetes:cert-manager.io/v1:ClusterIssuer", "us-east-1-cert-manager-ca-issuer");
        expect(o(issuer.props.spec)).toEqual({ ca: { secretName: "platform-root-ca" } });
    });

    it("gives every NATS client namespace its certificate, mounted read-only in every pod, and its credentials as tls:// with its own user", () => {
        for (const card of nonEmpty(natsServices)) {
            const cert = one(run, "kubernetes:cert-manager.io/v1:Certificate", `${card.service}-us-east-1-nats-client-tls`);
            expect(o(cert.props.metadata).namespace).toBe(card.namespace);
            expect(o(cert.props.spec)).toMatchObject({ secretName: "nats-client-tls", commonName: card.service, issuerRef: { name: "platform-ca", kind: "ClusterIssuer" } });
            const workloads = [...byType(run, "kubernetes:apps/v1:Deployment"), ...byType(run, "kubernetes:apps/v1:StatefulSet")].filter(
                (w) => o(w.props.metadata).namespace === card.namespace && w.name.startsWith(`${card.service}-us-east-1`),
            );
            for (const w of nonEmpty(workloads)) {
                const pod = o(o(o(w.props.spec).template).spec);
                expect(a(pod.volumes)).toContainEqual({ name: "nats-tls", secret: { secretName: "nats-client-tls", defaultMode: 0o440 } });
                expect(a(o(a(pod.containers)[0]).volumeMounts)).toContainEqual({ name: "nats-tls", mountPath: "/etc/nats-tls", readOnly: true });
            }
            const cm = one(run, "kubernetes:core/v1:ConfigMap", `${card.service}-us-east-1-config`);
            expect(o(cm.props.data)).toMatchObject({ NATS_CA_FILE: "/etc/nats-tls/ca.crt", NATS_CERT_FILE: "/etc/nats-tls/tls.crt", NATS_KEY_FILE: "/etc/nats-tls/tls.key" });
            const creds = byType(run, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name === `us-east-1-${card.service}-nats-creds-value`);
            expect(String(creds?.props.secretString)).toMatch(new RegExp(`^tls://${card.service}-[ab]:[A-Za-z0-9]{32}@nats\\.nats\\.svc\\.cluster\\.local:4222$`));
        }
    });
});

describe("prod-us: ElastiCache RBAC", () => {
    it("has a user per Redis client on its own key prefix, the default user off, and the group on the replication group", () => {
        const users = byType(run, "aws:elasticache/user:User").filter((u) => u.region === "us-east-1");
        const byName = Object.fromEntries(users.map((u) => [String(u.props.userName), u]));
        expect(Object.keys(byName).sort()).toEqual(["default", ...nonEmpty(redisServices).map((c) => c.service)].sort());
        expect(String(byName.default.props.accessString)).toMatch(/^off /);
        for (const card of redisServices) {
            const prefix = card.service.replace(/-service$/, "");
            expect(String(byName[card.service].props.accessString)).toMatch(new RegExp(`^on ~${prefix}:\\* &${prefix}:\\* -@all `));
            expect(String(byName[card.service].props.accessString)).not.toMatch(/~\*|\+@all/);
            expect(a(o(byName[card.service].props.authenticationMode).passwords)).toHaveLength(2);
        }
        const group = one(run, "aws:elasticache/userGroup:UserGroup", "us-east-1-redis-user-group");
        expect(a(group.props.userIds).sort()).toEqual(users.map((u) => String(u.props.userId)).sort());
        const rg = one(run, "aws:elasticache/replicationGroup:ReplicationGroup", "us-east-1-redis-rg");
        expect(rg.props).toMatchObject({ userGroupIds: [group.props.userGroupId], transitEncryptionEnabled: true, transitEncryptionMode: "required" });
        expect(rg.props.authToken).toBeUndefined();
    });

    it("hands each service a REDIS_URL with its own user and names the user in its ConfigMap", () => {
        for (const card of nonEmpty(redisServices)) {
            const url = byType(run, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name === `us-east-1-${card.service}-redis-url-value`);
            expect(String(url?.props.secretString)).toMatch(new RegExp(`^rediss://${card.service}:[A-Za-z0-9]{64}@clustercfg\\.`));
            expect(o(one(run, "kubernetes:core/v1:ConfigMap", `${card.service}-us-east-1-config`).props.data).REDIS_USER).toBe(card.service);
        }
    });

    it("renews the signing keys each rotation period; a new period re-syncs the ExternalSecrets and rolls the pods", () => {
        const keys = byType(run, "random:index/randomPassword:RandomPassword").filter((r) => r.name.endsWith("-jwt-signing-key") && r.name.startsWith("us-east-1-"));
        for (const k of nonEmpty(keys)) {
            const service = k.name.replace(/^us-east-1-/, "").replace(/-jwt-signing-key$/, "");
            const period = String(o(k.props.keepers).rotation);
            expect(period).toMatch(/^\d+$/);
            expect(o(one(run, "kubernetes:core/v1:ConfigMap", `${service}-us-east-1-config`).props.data).ROTATION_PERIOD).toBe(period);
            const es = one(run, "kubernetes:external-secrets.io/v1:ExternalSecret", `${service}-us-east-1-secrets`);
            expect(o(o(es.props.metadata).annotations)["force-sync"]).toBe(period);
        }
    });
});

describe("prod-eu: the global primary's master password rotates by Secrets Manager", () => {
    let eu: StackRun;
    beforeAll(async () => {
        eu = await requestRun<StackRun>({ stack: "prod-eu", keepProps: true });
    }, 120_000);

    it("schedules every global primary's master secret through AWS's single-user PostgreSQL function in the data subnets", () => {
        expect(eu.error).toBeNull();
        const globals = byType(eu, "aws:rds/globalCluster:GlobalCluster");
        const rotations = byType(eu, "aws:secretsmanager/secretRotation:SecretRotation");
        expect(rotations).toHaveLength(nonEmpty(globals).length);
        for (const r of rotations) {
            expect(o(r.props.rotationRules).automaticallyAfterDays).toBe(30);
            expect(String(r.props.rotationLambdaArn)).toMatch(/^arn:aws:lambda:.*:function:.*-master-rotation$/);
        }
        for (const s of nonEmpty(byType(eu, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack"))) {
            expect(s.props).toMatchObject({ applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser", capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"] });
            expect(String(s.props.semanticVersion)).toMatch(/^\d+\.\d+\.\d+$/);
        }
        // The function reaches the database: the database's group admits the function's.
        const dbSgs = byType(eu, "aws:ec2/securityGroup:SecurityGroup").filter((g) => /-db-sg$/.test(g.name) && a(g.props.ingress).some((r) => o(r).description === "master password rotation function"));
        expect(dbSgs).toHaveLength(rotations.length);
    });
});
