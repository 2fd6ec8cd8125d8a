import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RegisteredResource } from "../../plan/engine";
import {
    gcpBucketAccess,
    gcpCloudRunIngress,
    gcpCloudRunLaunchStage,
    gcpCloudRunNotPublic,
    cloudRunPreviewFields,
    declaredLaunchStage,
    gcpCmek,
    gcpKmsRotation,
    gcpMemorystoreTlsAuth,
    gcpPolicies,
    gcpSqlBackups,
    gcpSqlDeletionProtection,
    gcpSqlPrivate,
    gcpSqlRegional,
    gcpSqlSsl,
    gcpSubscriptionDeadLetter,
} from "../../policy/rules/gcp";
import { allPolicies } from "../../policy/rules";
import { runPolicies } from "../../plan/policy-runner";
import { byType, fixture, nonEmpty, planOf, providerFixture } from "../harness";

/** Each GCP rule: a failing and a passing case, from the real plan (mutated) or hand-built fixtures. */

type P = Record<string, unknown>;
type Policy = ResourceValidationPolicy | StackValidationPolicy;

/** A deep copy of a planned resource with its props rewritten. */
function mutated(r: RegisteredResource, edit: (p: P) => void, extra: Partial<RegisteredResource> = {}): RegisteredResource {
    const props = JSON.parse(JSON.stringify(r.props)) as P;
    edit(props);
    return { ...r, props, inputs: props, ...extra };
}

async function real(stack: string, type: string, name?: string): Promise<{ r: RegisteredResource; all: RegisteredResource[] }> {
    const { run } = await planOf(stack);
    expect(run.error).toBeNull();
    const r = byType(run, type).find((x) => !name || x.name === name);
    if (!r) {
        throw new Error(`no ${type} ${name ?? ""} in ${stack}`);
    }
    // The provider travels with the resource so environment-dependent rules see its labels.
    const provider = run.resources.find((x) => x.name === r.provider && x.type.startsWith("pulumi:providers:"));
    return { r, all: provider ? [provider, r] : [r] };
}

const rules = (findings: { ruleId: string }[]) => findings.map((f) => f.ruleId);
const check = (policy: Policy, resources: RegisteredResource[]) => runPolicies([policy], resources);

it("registers every GCP rule in the pack", () => {
    for (const p of nonEmpty(gcpPolicies)) {
        expect(allPolicies).toContain(p);
    }
});

describe("gcp-cmek", () => {
    const cases: [string, string, (p: P) => void][] = [
        ["gcp:sql/databaseInstance:DatabaseInstance", "notification-europe-west1-sql-primary", (p) => delete p.encryptionKeyName],
        ["gcp:pubsub/topic:Topic", "notification-pubsub-topic-melmastoon.notification.requested.v1", (p) => delete p.kmsKeyName],
        ["gcp:storage/bucket:Bucket", "notification-assets-bucket", (p) => delete p.encryption],
        ["gcp:redis/instance:Instance", "notification-europe-west1-redis-instance", (p) => delete p.customerManagedKey],
        ["gcp:cloudrunv2/service:Service", "notification-europe-west1-api-service", (p) => delete (p.template as P).encryptionKey],
        [
            "gcp:secretmanager/secret:Secret",
            "notification-secrets-hmac-signing-key",
            (p) => {
                const replicas = ((p.replication as P).userManaged as P).replicas as P[];
                delete replicas[1].customerManagedEncryption;
            },
        ],
    ];
    it.each(cases)("passes the planned %s and fails it without its key", async (type, name, strip) => {
        const { r } = await real("prod-eu", type, name);
        expect(await check(gcpCmek, [r])).toEqual([]);
        expect(rules(await check(gcpCmek, [mutated(r, strip)]))).toEqual(["gcp-cmek"]);
    });
    it("fails a secret on automatic replication without CMEK", async () => {
        const secret = fixture("gcp:secretmanager/secret:Secret", { secretId: "s", replication: { auto: {} } });
        expect(rules(await check(gcpCmek, [secret]))).toEqual(["gcp-cmek"]);
    });
});

describe("Cloud SQL rules", () => {
    const sql = "gcp:sql/databaseInstance:DatabaseInstance";
    const primary = "notification-europe-west1-sql-primary";
    const cases: [Policy, (p: P) => void][] = [
        [gcpSqlPrivate, (p) => (((p.settings as P).ipConfiguration as P).ipv4Enabled = true)],
        [gcpSqlSsl, (p) => (((p.settings as P).ipConfiguration as P).sslMode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED")],
        [gcpSqlBackups, (p) => (((p.settings as P).backupConfiguration as P).pointInTimeRecoveryEnabled = false)],
        [gcpSqlRegional, (p) => ((p.settings as P).availabilityType = "ZONAL")],
        [gcpSqlDeletionProtection, (p) => (p.deletionProtection = false)],
    ];
    it.each(cases.map(([policy, edit]) => [policy.name, policy, edit] as const))("%s: passes the planned primary, fails when broken", async (_name, policy, edit) => {
        const { r, all } = await real("prod-eu", sql, primary);
        expect(await check(policy, all)).toEqual([]);
        const broken = await check(policy, [all[0], mutated(r, edit)]);
        expect(rules(broken)).toEqual([policy.name]);
    });
    it("gcp-sql-deletion-protection also requires Pulumi protect in prod, and not in dev", async () => {
        const prod = await real("prod-eu", sql, primary);
        expect(rules(await check(gcpSqlDeletionProtection, [prod.all[0], { ...prod.r, protect: false }]))).toEqual(["gcp-sql-deletion-protection"]);
        const dev = await real("dev", sql, "notification-asia-south1-sql-primary");
        expect(dev.r.protect).toBe(false);
        expect(await check(gcpSqlDeletionProtection, dev.all)).toEqual([]);
    });
    it("does not ask read replicas for backups or REGIONAL availability", async () => {
        const { r } = await real("prod-eu", sql, "notification-europe-west1-sql-read-1");
        expect(await check(gcpSqlBackups, [r])).toEqual([]);
        expect(await check(gcpSqlRegional, [r])).toEqual([]);
    });
});

describe("gcp-subscription-dead-letter", () => {
    it.each(["prod-us", "prod-eu", "prod-me", "prod-ap"])("passes the planned subscriptions and dead-letter topics of %s", async (stack) => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        expect(await check(gcpSubscriptionDeadLetter, [...nonEmpty(byType(run, "gcp:pubsub/subscription:Subscription"))])).toEqual([]);
    });
    it("fails a subscription with 10 attempts or a short ack deadline", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const subs = byType(run, "gcp:pubsub/subscription:Subscription");
        const target = subs.find((s) => s.name.includes("subs-router"));
        if (!target) {
            throw new Error("no router subscription");
        }
        const others = subs.filter((s) => s !== target);
        const attempts = mutated(target, (p) => ((p.deadLetterPolicy as P).maxDeliveryAttempts = 10));
        expect(rules(await check(gcpSubscriptionDeadLetter, [...others, attempts]))).toEqual(["gcp-subscription-dead-letter"]);
        const ack = mutated(target, (p) => (p.ackDeadlineSeconds = 10));
        expect(rules(await check(gcpSubscriptionDeadLetter, [...others, ack]))).toEqual(["gcp-subscription-dead-letter"]);
        // Without its policy the router's dead-letter topic is no longer one, so its holding
        // subscription is judged as an ordinary one too.
        const none = mutated(target, (p) => delete p.deadLetterPolicy);
        const findings = await check(gcpSubscriptionDeadLetter, [...others, none]);
        expect(findings.map((f) => f.resource).sort()).toEqual([target.name, "notification-pubsub-dlq-router-hold"].sort());
    });
    it("fails when a dead-letter topic has no subscription", async () => {
        const source = fixture("gcp:pubsub/subscription:Subscription", {
            topic: "projects/p/topics/orders",
            ackDeadlineSeconds: 60,
            deadLetterPolicy: { deadLetterTopic: "projects/p/topics/orders.dlq", maxDeliveryAttempts: 5 },
        }, { name: "orders-sub" });
        const findings = await check(gcpSubscriptionDeadLetter, [source]);
        expect(findings.map((f) => f.message)).toEqual(['dead-letter topic "orders.dlq" has no subscription: its messages are dropped']);
        const hold = fixture("gcp:pubsub/subscription:Subscription", { topic: "projects/p/topics/orders.dlq", ackDeadlineSeconds: 60 }, { name: "orders-dlq-hold" });
        expect(await check(gcpSubscriptionDeadLetter, [source, hold])).toEqual([]);
    });
});

describe("Cloud Run exposure", () => {
    it("gcp-cloud-run-not-public: fails allUsers on a member, a binding or a policy; passes service accounts", async () => {
        const member = fixture("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", { role: "roles/run.invoker", member: "allUsers" }, { name: "m" });
        const binding = fixture("gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", { role: "roles/run.invoker", members: ["serviceAccount:a@p.iam.gserviceaccount.com", "allAuthenticatedUsers"] }, { name: "b" });
        const policy = fixture("gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy", { policyData: JSON.stringify({ bindings: [{ role: "roles/run.invoker", members: ["allUsers"] }] }) }, { name: "p" });
        expect((await check(gcpCloudRunNotPublic, [member, binding, policy])).map((f) => f.resource)).toEqual(["m", "b", "p"]);
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const planned = byType(run, "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding");
        expect(planned.length).toBeGreaterThan(0);
        expect(await check(gcpCloudRunNotPublic, planned)).toEqual([]);
    });
    it("gcp-cloud-run-ingress: passes the planned services; fails open ingress and IAM-less services not behind the LB", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const services = byType(run, "gcp:cloudrunv2/service:Service");
        expect(await check(gcpCloudRunIngress, services)).toEqual([]);
        const api = services.find((s) => s.name.endsWith("-api-service"));
        const worker = services.find((s) => s.name.endsWith("-worker-sms-service"));
        if (!api || !worker) {
            throw new Error("api or worker missing");
        }
        // The API has IAM invocation off, so open ingress breaks both halves of the rule.
        const open = await check(gcpCloudRunIngress, [mutated(api, (p) => (p.ingress = "INGRESS_TRAFFIC_ALL"))]);
        expect(open.map((f) => f.message)).toEqual([
            'Cloud Run "notification-europe-west1-api-service" has ingress INGRESS_TRAFFIC_ALL: reachable from the internet around the load balancer',
            'Cloud Run "notification-europe-west1-api-service" disables IAM invocation without restricting ingress to the load balancer',
        ]);
        expect(rules(await check(gcpCloudRunIngress, [mutated(worker, (p) => delete p.ingress)]))).toEqual(["gcp-cloud-run-ingress"]);
        expect(rules(await check(gcpCloudRunIngress, [mutated(worker, (p) => (p.invokerIamDisabled = true))]))).toEqual(["gcp-cloud-run-ingress"]);
    });
});

describe("gcp-cloud-run-launch-stage", () => {
    const RUN = "gcp:cloudrunv2/service:Service";
    const probe = { httpGet: { path: "/health?ready=true", port: 8080 }, periodSeconds: 5 };
    const svc = (launchStage: string | undefined, template: P) => fixture(RUN, { name: "svc", location: "europe-west1", ...(launchStage ? { launchStage } : {}), template }, { name: "svc" });

    it("passes every planned service of every stack (GA, no Preview field)", async () => {
        for (const stack of ["dev", "prod-us"]) {
            const { run } = await planOf(stack);
            expect(run.error).toBeNull();
            const services = byType(run, RUN);
            expect(services.length).toBeGreaterThan(0);
            expect(await check(gcpCloudRunLaunchStage, services)).toEqual([]);
        }
    });
    it("fails a GA service with a readiness probe, naming the field, the stage and the source", async () => {
        const f = await check(gcpCloudRunLaunchStage, [svc("GA", { containers: [{ image: "i", readinessProbe: probe }] })]);
        expect(f.map((x) => [x.ruleId, x.severity])).toEqual([["gcp-cloud-run-launch-stage", "mandatory"]]);
        expect(f[0].message).toContain("declares launch stage GA but sets template.containers[0].readinessProbe, which needs BETA");
        expect(f[0].message).toContain("run/docs/configuring/healthchecks");
    });
    it("treats an absent launch stage as GA (the API's default) and checks the Beta scaling targets", async () => {
        expect(declaredLaunchStage(undefined)).toBe("GA");
        expect(declaredLaunchStage("LAUNCH_STAGE_UNSPECIFIED")).toBe("GA");
        const f = await check(gcpCloudRunLaunchStage, [svc(undefined, { scaling: { cpuUtilization: 0.7, concurrencyUtilization: 0.6 }, containers: [{ image: "i" }] })]);
        expect(f.map((x) => x.message.split(", which")[0])).toEqual([
            'Cloud Run "svc" declares launch stage GA but sets template.scaling.cpuUtilization',
            'Cloud Run "svc" declares launch stage GA but sets template.scaling.concurrencyUtilization',
        ]);
    });
    it("passes the same fields under launch stage BETA (or ALPHA), and a GA service without them", async () => {
        const beta = { scaling: { cpuUtilization: 0.7 }, containers: [{ image: "i", readinessProbe: probe }] };
        expect(await check(gcpCloudRunLaunchStage, [svc("BETA", beta), svc("ALPHA", beta)])).toEqual([]);
        expect(await check(gcpCloudRunLaunchStage, [svc("GA", { scaling: { minInstanceCount: 1, maxInstanceCount: 4 }, containers: [{ image: "i", livenessProbe: probe, startupProbe: probe }] })])).toEqual([]);
        expect(await check(gcpCloudRunLaunchStage, [fixture("gcp:cloudrunv2/job:Job", { launchStage: "GA", template: { template: { containers: [{ image: "i" }] } } })])).toEqual([]);
    });
    it("lists every Preview field with its stage and a source", () => {
        expect(cloudRunPreviewFields.map((f) => f.field)).toEqual(expect.arrayContaining(["template.containers[].readinessProbe", "template.scaling.cpuUtilization"]));
        for (const f of cloudRunPreviewFields) {
            expect({ field: f.field, stage: f.stage, sourced: f.source.length > 10 }).toEqual({ field: f.field, stage: "BETA", sourced: true });
        }
    });
});

describe("bucket, key and cache rules", () => {
    it("gcp-bucket-access", async () => {
        const { r } = await real("prod-eu", "gcp:storage/bucket:Bucket");
        expect(await check(gcpBucketAccess, [r])).toEqual([]);
        expect(rules(await check(gcpBucketAccess, [mutated(r, (p) => (p.publicAccessPrevention = "inherited"))]))).toEqual(["gcp-bucket-access"]);
        expect(rules(await check(gcpBucketAccess, [mutated(r, (p) => (p.uniformBucketLevelAccess = false))]))).toEqual(["gcp-bucket-access"]);
    });
    it("gcp-kms-rotation", async () => {
        const { r } = await real("prod-eu", "gcp:kms/cryptoKey:CryptoKey");
        expect(await check(gcpKmsRotation, [r])).toEqual([]);
        expect(rules(await check(gcpKmsRotation, [mutated(r, (p) => (p.rotationPeriod = "31536000s"))]))).toEqual(["gcp-kms-rotation"]);
        expect(rules(await check(gcpKmsRotation, [mutated(r, (p) => delete p.rotationPeriod)]))).toEqual(["gcp-kms-rotation"]);
    });
    it("gcp-memorystore-tls-auth", async () => {
        const { r } = await real("staging", "gcp:redis/instance:Instance");
        expect(await check(gcpMemorystoreTlsAuth, [r])).toEqual([]);
        expect(rules(await check(gcpMemorystoreTlsAuth, [mutated(r, (p) => (p.transitEncryptionMode = "DISABLED"))]))).toEqual(["gcp-memorystore-tls-auth"]);
        expect(rules(await check(gcpMemorystoreTlsAuth, [mutated(r, (p) => (p.authEnabled = false))]))).toEqual(["gcp-memorystore-tls-auth"]);
    });
});

describe("residency (foundation rule) over the GCP resources", () => {
    it("passes prod-eu and fails a GCP resource moved outside the EU", async () => {
        const { dataResidency } = await import("../../policy/rules/common");
        const provider = providerFixture("gcp", "gcp-europe-west1", { region: "europe-west1", defaultLabels: { environment: "prod", residency: "eu" } });
        const ok = fixture("gcp:redis/instance:Instance", { region: "europe-west1" }, { provider: provider.name, name: "ok" });
        const moved = fixture("gcp:redis/instance:Instance", { region: "us-east4" }, { provider: provider.name, name: "moved" });
        expect(await check(dataResidency, [provider, ok])).toEqual([]);
        expect((await check(dataResidency, [provider, moved])).map((f) => f.resource)).toEqual(["moved"]);
    });
});
