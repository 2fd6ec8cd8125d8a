import * as fs from "fs";
import * as path from "path";
import { redisInstanceName, redisInstanceNamePattern } from "../../data/naming/gcp";
import { listStacks, ROOT } from "../../plan/engine";
import { cloudLimits, entryFor } from "../../policy/cloud-limits/table";
import { cloudLimitPolicies } from "../../policy/rules/cloud-limits";
import { runPolicies } from "../../plan/policy-runner";
import { fixture, planOf, providerFixture } from "../harness";

/**
 * The clouds' own limits (issue 9): the table covers every type the stacks register, each family
 * fails on a value the cloud refuses and passes on one it takes, and no stack's plan breaks a limit.
 * The numbers below are the clouds' documented limits (the table's sources), not our own settings.
 */

type Props = Record<string, unknown>;

async function findings(type: string, props: Props, name = "fixture") {
    return runPolicies(cloudLimitPolicies, [fixture(type, props, { name })]);
}

async function ids(type: string, props: Props, name = "fixture"): Promise<string[]> {
    return (await findings(type, props, name)).map((f) => f.ruleId);
}

const REDIS = "gcp:redis/instance:Instance";
const ROLE = "aws:iam/role:Role";

describe("coverage", () => {
    it("has a table entry for every type any stack registers", async () => {
        const types = new Set<string>();
        for (const stack of listStacks()) {
            const { run } = await planOf(stack);
            expect(run.error).toBeNull();
            run.resources.forEach((r) => types.add(r.type));
        }
        expect(types.size).toBeGreaterThan(100);
        const missing = [...types].filter((t) => entryFor(t) === undefined).sort();
        expect(missing).toEqual([]);
    });

    it("knows no type it was not told about, and exempts only this program's components", () => {
        expect(entryFor("aws:ec2/instance:Instance")).toBeUndefined();
        expect(entryFor("learning-platform:gcp:Redis")?.none).toContain("ComponentResource");
        expect(entryFor("pulumi:providers:kubernetes")?.constraints).toEqual([]);
    });
    it("gives every entry without constraints a reason", () => {
        const silent = [...cloudLimits].filter(([, e]) => e.constraints.length === 0 && !e.none).map(([t]) => t);
        expect(cloudLimits.size).toBeGreaterThan(100);
        expect(silent).toEqual([]);
    });

    it("names only properties the provider's SDK declares (first path segment, and auto-naming alternatives)", () => {
        const unknown: string[] = [];
        let checked = 0;
        for (const [type, e] of cloudLimits) {
            const m = /^(aws|gcp|random):([^:]+):(\w+)$/.exec(type);
            if (!m) {
                continue;
            }
            const [dir, base] = m[2].includes("/") ? m[2].split("/") : ["", m[2]];
            const folder = path.join(ROOT, "node_modules", "@pulumi", m[1], dir === "index" ? "" : dir);
            const file = fs.readdirSync(folder).find((f) => f.toLowerCase() === `${base.toLowerCase()}.d.ts`);
            expect([type, file !== undefined]).toEqual([type, true]);
            const src = fs.readFileSync(path.join(folder, file ?? ""), "utf8");
            const block = new RegExp(`export interface ${m[3]}Args \\{([\\s\\S]*?)\\n\\}`).exec(src)?.[1] ?? "";
            const props = new Set([...block.matchAll(/^ {4}(\w+)\??:/gm)].map((x) => x[1]));
            for (const c of e.constraints) {
                const names = [c.path.segments[0]?.key ?? "", ...(c.autoName?.unless ?? [])];
                names.filter((n) => !props.has(n)).forEach((n) => unknown.push(`${type}: ${n}`));
                checked++;
            }
        }
        expect(checked).toBeGreaterThan(300);
        expect(unknown).toEqual([]);
    });
});

describe("cloud-limits/name", () => {
    it("fails a 43-character Memorystore instance id (the API allows 1–40) with resource, property, value, limit and source", async () => {
        const f = await findings(REDIS, { name: "melmastoon-notification-staging-asia-south1", tier: "STANDARD_HA" }, "redis");
        expect(f).toEqual([
            {
                ruleId: "cloud-limits/name",
                severity: "mandatory",
                resource: "redis",
                message:
                    'gcp:redis/instance:Instance "redis": name = "melmastoon-notification-staging-asia-south1" (43 characters) breaks the limit: 1–40 characters ' +
                    "(source: https://cloud.google.com/memorystore/docs/redis/reference/rest/v1/projects.locations.instances)",
            },
        ]);
    });
    it("passes a 40-character id and fails one ending with '-'", async () => {
        expect(await ids(REDIS, { name: "a".repeat(40) })).toEqual([]);
        expect(await ids(REDIS, { name: "notification-" })).toEqual(["cloud-limits/name"]);
    });
    it("checks Pulumi's auto-name `<logical>-<7 random>` when the name is absent: IAM role names allow 64", async () => {
        const tooLong = "r".repeat(57); // 57 + 8 = 65
        const f = await findings(ROLE, { assumeRolePolicy: "{}" }, tooLong);
        expect(f.map((x) => x.ruleId)).toEqual(["cloud-limits/name"]);
        expect(f[0].message).toContain(`name = auto-named "${tooLong}-<7 random>" (65 characters) breaks the limit: 1–64 characters`);
        expect(await ids(ROLE, { assumeRolePolicy: "{}" }, "r".repeat(56))).toEqual([]);
    });
    it("skips the auto-name when a prefix is set, and limits the prefix to 64 − 26 = 38 characters", async () => {
        expect(await ids(ROLE, { namePrefix: "p".repeat(38) }, "r".repeat(80))).toEqual([]);
        expect(await ids(ROLE, { namePrefix: "p".repeat(39) }, "r")).toEqual(["cloud-limits/name"]);
    });
    it("fails a Cloud Run service name of 50 characters or with capitals (the v2 API allows < 50, lowercase)", async () => {
        const run = "gcp:cloudrunv2/service:Service";
        expect(await ids(run, { name: "a".repeat(50) })).toEqual(["cloud-limits/name"]);
        expect(await ids(run, { name: "Notification-api" })).toEqual(["cloud-limits/name"]);
        expect(await ids(run, { name: "a".repeat(49) })).toEqual([]);
    });
    it("applies each Kubernetes kind's name rule: Namespace ≤ 63, StatefulSet ≤ 52 (revision-hash label), CronJob ≤ 52", async () => {
        expect(await ids("kubernetes:core/v1:Namespace", { metadata: { name: "n".repeat(64) } })).toEqual(["cloud-limits/name"]);
        expect(await ids("kubernetes:core/v1:Namespace", { metadata: { name: "n".repeat(63) } })).toEqual([]);
        expect(await ids("kubernetes:apps/v1:StatefulSet", { metadata: { name: "s".repeat(53) } })).toEqual(["cloud-limits/name"]);
        expect(await ids("kubernetes:apps/v1:StatefulSet", { metadata: { name: "s".repeat(52) } })).toEqual([]);
        expect(await ids("kubernetes:batch/v1:CronJob", { metadata: { name: "c".repeat(53) } })).toEqual(["cloud-limits/name"]);
        expect(await ids("kubernetes:core/v1:Service", { metadata: { name: "1svc" } })).toEqual(["cloud-limits/name"]);
    });
});

describe("cloud-limits/enum", () => {
    it("fails a Memorystore tier outside BASIC, STANDARD_HA and passes STANDARD_HA", async () => {
        const f = await findings(REDIS, { name: "r", tier: "PREMIUM" });
        expect(f.map((x) => x.ruleId)).toEqual(["cloud-limits/enum"]);
        expect(f[0].message).toContain('tier = "PREMIUM" (7 characters) breaks the limit: one of BASIC, STANDARD_HA');
        expect(await ids(REDIS, { name: "r", tier: "STANDARD_HA" })).toEqual([]);
    });
    it("fails a CloudWatch retention CloudWatch does not offer (400 and 365 exist, 360 does not)", async () => {
        expect(await ids("aws:cloudwatch/logGroup:LogGroup", { name: "/a", retentionInDays: 360 })).toEqual(["cloud-limits/enum"]);
        expect(await ids("aws:cloudwatch/logGroup:LogGroup", { name: "/a", retentionInDays: 365 })).toEqual([]);
    });
});

describe("cloud-limits/range", () => {
    it("fails a Pub/Sub ack deadline over 600 s and a subscription retention over 7 days", async () => {
        const sub = "gcp:pubsub/subscription:Subscription";
        expect(await ids(sub, { name: "sub", ackDeadlineSeconds: 601 })).toEqual(["cloud-limits/range"]);
        expect(await ids(sub, { name: "sub", messageRetentionDuration: "691200s" })).toEqual(["cloud-limits/range"]);
        expect(await ids(sub, { name: "sub", ackDeadlineSeconds: 600, messageRetentionDuration: "604800s" })).toEqual([]);
    });
    it("takes Cloud Router ASNs 64512–65534 and 4200000000–4294967294 only", async () => {
        const router = "gcp:compute/router:Router";
        expect(await ids(router, { name: "r", bgp: { asn: 64511 } })).toEqual(["cloud-limits/range"]);
        expect(await ids(router, { name: "r", bgp: { asn: 64512 } })).toEqual([]);
        expect(await ids(router, { name: "r", bgp: { asn: 4200000000 } })).toEqual([]);
        expect(await ids("aws:ec2/vpnGateway:VpnGateway", { amazonSideAsn: "65535" })).toEqual(["cloud-limits/range"]);
        expect(await ids("aws:ec2/vpnGateway:VpnGateway", { amazonSideAsn: "64512" })).toEqual([]);
    });
    it("takes Cloud Run CPU 0.08–1, 2, 4, 6, 8 with the memory each needs", async () => {
        const run = (cpu: string, memory: string) => ({ name: "svc", template: { executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2", containers: [{ name: "api", resources: { limits: { cpu, memory } } }] } });
        const svc = "gcp:cloudrunv2/service:Service";
        expect(await ids(svc, run("3", "4Gi"))).toEqual(["cloud-limits/range"]);
        expect(await ids(svc, run("4", "1Gi"))).toEqual(["cloud-limits/range"]);
        expect(await ids(svc, run("1", "8Gi"))).toEqual(["cloud-limits/range"]);
        expect(await ids(svc, run("1", "256Mi"))).toEqual(["cloud-limits/range"]);
        expect(await ids(svc, run("4", "2Gi"))).toEqual([]);
        expect(await ids(svc, run("500m", "512Mi"))).toEqual([]);
    });
    it("fails a random password shorter than its required minimums", async () => {
        const pw = "random:index/randomPassword:RandomPassword";
        expect(await ids(pw, { length: 10, minLower: 4, minUpper: 4, minNumeric: 4 })).toEqual(["cloud-limits/range"]);
        expect(await ids(pw, { length: 12, minLower: 4, minUpper: 4, minNumeric: 4 })).toEqual([]);
    });
});

describe("cloud-limits/value", () => {
    const vpn = "aws:ec2/vpnConnection:VpnConnection";
    it("fails a VPN pre-shared key starting with 0, without printing it", async () => {
        const f = await findings(vpn, { tunnel1PresharedKey: "0abcdefgh" });
        expect(f.map((x) => x.ruleId)).toEqual(["cloud-limits/value"]);
        expect(f[0].message).toContain("tunnel1PresharedKey = [secret, 9 characters]");
        expect(f[0].message).not.toContain("0abcdefgh");
        expect(await ids(vpn, { tunnel1PresharedKey: "abc.def_123" })).toEqual([]);
        expect(await ids(vpn, { tunnel1PresharedKey: "short" })).toEqual(["cloud-limits/value"]);
    });
    it("fails a Kubernetes resource quantity the API cannot parse", async () => {
        const pod = (cpu: string) => ({ metadata: { name: "d" }, spec: { template: { spec: { containers: [{ name: "app", resources: { limits: { cpu, memory: "512Mi" } } }] } } } });
        expect(await ids("kubernetes:apps/v1:Deployment", pod("2 cores"))).toEqual(["cloud-limits/value"]);
        expect(await ids("kubernetes:apps/v1:Deployment", pod("500m"))).toEqual([]);
    });
    it("takes only ! & # $ ^ < > - as specials in an ElastiCache AUTH token of 16–128", async () => {
        const rg = "aws:elasticache/replicationGroup:ReplicationGroup";
        expect(await ids(rg, { replicationGroupId: "platform", authToken: "abcdefghijklmnop@" })).toEqual(["cloud-limits/value"]);
        expect(await ids(rg, { replicationGroupId: "platform", authToken: "abcdefghijklmno" })).toEqual(["cloud-limits/value"]);
        expect(await ids(rg, { replicationGroupId: "platform", authToken: "abcdefgh!&#$^<>-" })).toEqual([]);
    });
    it("fails a tunnel inside CIDR AWS reserves (169.254.169.252/30) or not a /30 of 169.254.0.0/16", async () => {
        expect(await ids(vpn, { tunnel1InsideCidr: "169.254.169.252/30" })).toEqual(["cloud-limits/value"]);
        expect(await ids(vpn, { tunnel2InsideCidr: "169.254.10.0/29" })).toEqual(["cloud-limits/value"]);
        expect(await ids(vpn, { tunnel1InsideCidr: "169.254.10.0/30", tunnel2InsideCidr: "169.254.10.4/30" })).toEqual([]);
    });
});

describe("cloud-limits/aws-tags", () => {
    const vpc = "aws:ec2/vpc:Vpc";
    it("fails a tag key with the reserved aws: prefix, a 257-character value and 51 tags; passes 50", async () => {
        expect(await ids(vpc, { tags: { "aws:owner": "x" } })).toEqual(["cloud-limits/aws-tags"]);
        expect(await ids(vpc, { tags: { owner: "v".repeat(257) } })).toEqual(["cloud-limits/aws-tags"]);
        const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
        expect(await ids(vpc, { tags: many(51) })).toEqual(["cloud-limits/aws-tags"]);
        expect(await ids(vpc, { tags: many(50) })).toEqual([]);
    });
    it("checks the provider's default tags (JSON-encoded, as the SDK sends them)", async () => {
        const bad = providerFixture("aws", "aws-bad", { region: "eu-west-1", defaultTags: { tags: { "AWS:team": "x" } } });
        const good = providerFixture("aws", "aws-good", { region: "eu-west-1", defaultTags: { tags: { team: "x" } } });
        expect((await runPolicies(cloudLimitPolicies, [bad, good])).map((f) => [f.ruleId, f.resource])).toEqual([["cloud-limits/aws-tags", "aws-bad"]]);
    });
});

describe("limits counted with the provider's defaults", () => {
    const many = (n: number, prefix = "k") => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, "v"]));
    it("counts AWS default tags towards the 50 (tagsAll)", async () => {
        const provider = providerFixture("aws", "aws-p", { region: "eu-west-1", defaultTags: { tags: many(6, "d") } });
        const vpc = (n: number) => fixture("aws:ec2/vpc:Vpc", { tags: many(n) }, { name: `vpc-${n}`, provider: provider.name });
        const f = await runPolicies(cloudLimitPolicies, [provider, vpc(45), vpc(44)]);
        expect(f.map((x) => x.resource)).toEqual(["vpc-45"]);
        expect(f[0].message).toContain("at most 50 tags (has 51, 6 from the provider)");
    });
    it("counts GCP default labels and goog-pulumi-provisioned towards the 64", async () => {
        const provider = providerFixture("gcp", "gcp-p", { region: "asia-south1", defaultLabels: many(2, "d") });
        const topic = (n: number) => fixture("gcp:pubsub/topic:Topic", { name: `topic-${n}`, labels: many(n) }, { name: `topic-${n}`, provider: provider.name });
        const f = await runPolicies(cloudLimitPolicies, [provider, topic(62), topic(61)]);
        expect(f.map((x) => x.resource)).toEqual(["topic-62"]);
        expect(f[0].message).toContain("at most 64 labels (has 65, 3 from the provider)");
    });
});

describe("cloud-limits/gcp-labels", () => {
    it("fails an uppercase label key or value and 65 labels; passes 64 lowercase labels", async () => {
        const topic = "gcp:pubsub/topic:Topic";
        expect(await ids(topic, { name: "topic", labels: { App: "x" } })).toEqual(["cloud-limits/gcp-labels"]);
        expect(await ids(topic, { name: "topic", labels: { app: "Notification" } })).toEqual(["cloud-limits/gcp-labels"]);
        expect(await ids(topic, { name: "topic", labels: { "1app": "x" } })).toEqual(["cloud-limits/gcp-labels"]);
        const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
        expect(await ids(topic, { name: "topic", labels: many(65) })).toEqual(["cloud-limits/gcp-labels"]);
        expect(await ids(topic, { name: "topic", labels: many(64) })).toEqual([]);
    });
});

describe("cloud-limits/k8s-labels", () => {
    const ns = "kubernetes:core/v1:Namespace";
    it("fails a 64-character label value, a bad prefix and an empty name part; passes a prefixed key", async () => {
        expect(await ids(ns, { metadata: { name: "a", labels: { app: "v".repeat(64) } } })).toEqual(["cloud-limits/k8s-labels"]);
        expect(await ids(ns, { metadata: { name: "a", labels: { "Example.com/app": "v" } } })).toEqual(["cloud-limits/k8s-labels"]);
        expect(await ids(ns, { metadata: { name: "a", labels: { "example.com/": "v" } } })).toEqual(["cloud-limits/k8s-labels"]);
        expect(await ids(ns, { metadata: { name: "a", labels: { "app.kubernetes.io/name": "v".repeat(63) } } })).toEqual([]);
    });
    it("checks pod-template and selector labels of workloads and EKS node-group labels", async () => {
        const dep = { metadata: { name: "d" }, spec: { selector: { matchLabels: { app: "-x" } }, template: { metadata: { labels: { app: "x" } }, spec: { containers: [] } } } };
        expect(await ids("kubernetes:apps/v1:Deployment", dep)).toEqual(["cloud-limits/k8s-labels"]);
        expect(await ids("aws:eks/nodeGroup:NodeGroup", { nodeGroupNamePrefix: "p-", labels: { "platform.melmastoon.com/pool": "platform" } })).toEqual([]);
    });
});

describe("cloud-limits/k8s-container and k8s-port", () => {
    const pod = (container: Props) => ({ metadata: { name: "d" }, spec: { template: { spec: { containers: [container] } } } });
    const dep = "kubernetes:apps/v1:Deployment";
    it("fails a container name that is not a DNS-1123 label", async () => {
        expect(await ids(dep, pod({ name: "App" }))).toEqual(["cloud-limits/k8s-container"]);
        expect(await ids(dep, pod({ name: "app" }))).toEqual([]);
    });
    it("fails a 16-character container port name (IANA_SVC_NAME allows 15), '--', and no letter", async () => {
        const f = await findings(dep, pod({ name: "app", ports: [{ name: "metrics-exporter", containerPort: 9464 }] }));
        expect(f.map((x) => x.ruleId)).toEqual(["cloud-limits/k8s-port"]);
        expect(f[0].message).toContain('spec.template.spec.containers[0].ports[0].name = "metrics-exporter" (16 characters) breaks the limit: an IANA_SVC_NAME of 1–15 characters');
        expect(await ids(dep, pod({ name: "app", ports: [{ name: "http--a", containerPort: 80 }] }))).toEqual(["cloud-limits/k8s-port"]);
        expect(await ids(dep, pod({ name: "app", ports: [{ name: "8080", containerPort: 8080 }] }))).toEqual(["cloud-limits/k8s-port"]);
        expect(await ids(dep, pod({ name: "app", ports: [{ name: "metrics", containerPort: 9464 }], readinessProbe: { httpGet: { port: "metrics" } } }))).toEqual([]);
    });
    it("allows a Service port name up to 63 (a DNS label, not an IANA name) and fails port 0", async () => {
        const svc = (port: Props) => ({ metadata: { name: "svc" }, spec: { ports: [port] } });
        expect(await ids("kubernetes:core/v1:Service", svc({ name: "metrics-exporter", port: 9464 }))).toEqual([]);
        expect(await ids("kubernetes:core/v1:Service", svc({ name: "metrics", port: 0 }))).toEqual(["cloud-limits/range"]);
    });
    it("takes only http1 or h2c as a Cloud Run port name", async () => {
        const run = (name: string) => ({ name: "svc", template: { containers: [{ name: "api", ports: { name, containerPort: 8080 } }] } });
        expect(await ids("gcp:cloudrunv2/service:Service", run("http"))).toEqual(["cloud-limits/k8s-port"]);
        expect(await ids("gcp:cloudrunv2/service:Service", run("h2c"))).toEqual([]);
    });
});

describe("Memorystore instance ids", () => {
    it("keeps melmastoon-{unit}-{env}-{region} where it fits 40 and drops the org prefix where it does not", () => {
        expect(redisInstanceName("notification", "prod", "us-central1")).toBe("melmastoon-notification-prod-us-central1");
        expect(redisInstanceName("notification", "staging", "asia-south1")).toBe("notification-staging-asia-south1");
        expect(redisInstanceName("notification", "prod", "europe-west1")).toBe("notification-prod-europe-west1");
        expect(redisInstanceName("notification", "staging", "northamerica-northeast1")).toBe("notification-northamerica-northeast1");
        expect(() => redisInstanceName("n".repeat(40), "dev", "us-east1")).toThrow("no valid Memorystore instance id");
    });
    it("reports each shortened id as an adjustment and registers ids within 40 on every stack", async () => {
        const { run, findings: f } = await planOf("staging");
        expect(run.error).toBeNull();
        expect(f.filter((x) => x.ruleId === "adjust/redis-instance-name")).toEqual([
            {
                ruleId: "adjust/redis-instance-name",
                severity: "info",
                resource: "notification-staging-asia-south1",
                message: '"melmastoon-notification-staging-asia-south1" is 43 characters; Memorystore instance ids allow 40: using "notification-staging-asia-south1"',
            },
        ]);
        const names: string[] = [];
        for (const stack of listStacks()) {
            const planned = await planOf(stack);
            expect(planned.run.error).toBeNull();
            planned.run.resources.filter((r) => r.type === REDIS).forEach((r) => names.push(String(r.props.name)));
        }
        expect(names.length).toBe(listStacks().length);
        expect(names.filter((n) => !redisInstanceNamePattern.test(n))).toEqual([]);
    });
});

describe("the plan", () => {
    it.each(listStacks())("%s breaks no cloud limit", async (stack) => {
        const { run, findings: f } = await planOf(stack);
        expect(run.error).toBeNull();
        expect(run.resources.length).toBeGreaterThan(0);
        expect(f.filter((x) => x.ruleId.startsWith("cloud-limits/")).map((x) => x.message)).toEqual([]);
    });
});
