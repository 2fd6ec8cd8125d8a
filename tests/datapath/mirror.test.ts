import { jetStreamStorageFinding } from "../../capacity/jetstream";
import { catalog, k8sServices } from "../../data/catalog";
import { leafPermissions, leafnodePort, mirrorLagSeconds, mirrorMaxBytes } from "../../data/jetstream-mirror";
import { awsProfiles, vpcCidrFor } from "../../data/profiles/aws";
import { streamsOf } from "../../data/streams";
import { cidrRange, validateRegionPeering } from "../../components/aws/region-peering";
import { runPolicies } from "../../plan/policy-runner";
import { brokerUserProblems } from "../../policy/rules/least-privilege";
import { noExternalServices } from "../../policy/rules/k8s";
import { byType, fixture, nonEmpty, planOf } from "../harness";

/** Seed 000 §9: "RPO: 5 min (PITR + NATS JetStream replication)"; prod-eu: eu-west-1 active, eu-central-1 passive. */

type P = Record<string, unknown>;
const o = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const eks = k8sServices(catalog);
const hub = "eu-west-1";
const leaf = "eu-central-1";

describe("region peering validation (pure)", () => {
    it("accepts two regions of one residency zone with distinct ranges", () => {
        expect(validateRegionPeering({ region: hub, cidr: "10.8.0.0/16" }, { region: leaf, cidr: "10.16.0.0/16" })).toEqual([]);
    });
    it("refuses a peering that leaves the residency zone (eu → us)", () => {
        const problems = validateRegionPeering({ region: hub, cidr: "10.8.0.0/16" }, { region: "us-east-1", cidr: "10.16.0.0/16" });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain('leaves residency zone "eu"');
    });
    it("refuses overlapping ranges (AWS fails such a peering at once)", () => {
        expect(validateRegionPeering({ region: hub, cidr: "10.8.0.0/16" }, { region: leaf, cidr: "10.8.128.0/17" })).toEqual([
            `peering ${hub} ↔ ${leaf}: VPC ranges 10.8.0.0/16 and 10.8.128.0/17 overlap`,
        ]);
        expect(cidrRange("10.8.0.0/16")).toEqual([0x0a080000, 0x0a08ffff]);
    });
});

describe("the leaf principal and the leaf-node Service under the policy rules", () => {
    it("the leaf user holds only the hub domain's API subjects of its mirrors: least-privilege/broker-scoped finds nothing", () => {
        const perms = leafPermissions("eu_west_1", leaf, ["ASSIGNMENT"]);
        expect(perms.publish).toEqual([
            "$JS.eu_west_1.API.STREAM.INFO.ASSIGNMENT",
            "$JS.eu_west_1.API.CONSUMER.CREATE.ASSIGNMENT",
            "$JS.eu_west_1.API.CONSUMER.CREATE.ASSIGNMENT.>",
            "$JS.eu_west_1.API.CONSUMER.DELETE.ASSIGNMENT.>",
            "$JS.FC.ASSIGNMENT.>",
        ]);
        expect(brokerUserProblems({ user: `jetstream-leaf-${leaf}-a`, permissions: { publish: { allow: perms.publish }, subscribe: { allow: perms.subscribe } } })).toEqual([]);
        expect(brokerUserProblems({ user: `jetstream-leaf-${leaf}-a`, permissions: { publish: { allow: ["$JS.API.>"] }, subscribe: { allow: perms.subscribe } } })).toEqual([
            `user jetstream-leaf-${leaf}-a may publish $JS.API.>`,
        ]);
    });
    const svc = (annotations: P) => fixture("kubernetes:core/v1:Service", { metadata: { name: "nats-leafnode", namespace: "nats", annotations }, spec: { type: "LoadBalancer" } });
    it("k8s-no-external-service passes an internal NLB outside the edge namespace and fails an internet-facing one", async () => {
        expect(await runPolicies([noExternalServices], [svc({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" })])).toEqual([]);
        const fs = await runPolicies([noExternalServices], [svc({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" })]);
        expect(fs.map((f) => [f.ruleId, f.severity])).toEqual([["k8s-no-external-service", "mandatory"]]);
    });
});

describe("prod-eu: the cross-region JetStream path", () => {
    it("peers eu-west-1 (requester) with eu-central-1 (accepter) and routes each side's private tables to the other's range", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const [conn] = nonEmpty(byType(run, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"));
        expect(conn.region).toBe(hub);
        expect(o(conn.inputs).peerRegion).toBe(leaf);
        const [acc] = nonEmpty(byType(run, "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"));
        expect([acc.region, o(acc.inputs).autoAccept]).toEqual([leaf, true]);
        const peeringRoutes = byType(run, "aws:ec2/route:Route").filter((r) => o(r.inputs).vpcPeeringConnectionId !== undefined);
        // Three private route tables (one per zone) on each side.
        expect(peeringRoutes.filter((r) => r.region === hub).map((r) => o(r.inputs).destinationCidrBlock)).toEqual(Array(3).fill(vpcCidrFor(leaf)));
        expect(peeringRoutes.filter((r) => r.region === leaf).map((r) => o(r.inputs).destinationCidrBlock)).toEqual(Array(3).fill(vpcCidrFor(hub)));
    });
    it("exposes the hub's leaf-node port 7422 on an internal NLB with access logs, open to the peer range only", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const [svc] = nonEmpty(byType(run, "kubernetes:core/v1:Service").filter((s) => o(o(s.inputs).metadata).name === "nats-leafnode"));
        const a = o(o(o(svc.inputs).metadata).annotations);
        expect(a["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internal");
        expect(String(a["service.beta.kubernetes.io/aws-load-balancer-attributes"])).toContain("access_logs.s3.enabled=true");
        const spec = o(o(svc.inputs).spec);
        expect(spec.loadBalancerSourceRanges).toEqual([vpcCidrFor(leaf)]);
        expect(spec.ports).toEqual([expect.objectContaining({ port: 7422 })]);
        expect(leafnodePort).toBe(7422);
        expect(byType(run, "kubernetes:core/v1:Service").filter((s) => o(o(s.inputs).metadata).name === "nats-leafnode")).toHaveLength(1);
    });
    it("mirrors every stream of the hub in eu-central-1 (R3, protected), naming the hub's stream through its JetStream domain", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const mirrors = byType(run, "kubernetes:jetstream.nats.io/v1beta2:Stream").filter((s) => o(o(s.inputs).spec).mirror !== undefined);
        const names = streamsOf(eks).map((s) => s.name);
        expect(mirrors.map((m) => o(o(m.inputs).spec).mirror)).toEqual(
            nonEmpty(names).map((name) => ({ name, externalApiPrefix: "$JS.eu_west_1.API", externalDeliverPrefix: "mirror.eu_central_1" })),
        );
        for (const m of nonEmpty(mirrors)) {
            expect(o(o(m.inputs).spec)).toMatchObject({ replicas: 3, storage: "file", preventDelete: true, maxBytes: mirrorMaxBytes.prod });
            expect(o(o(m.inputs).spec).subjects).toBeUndefined();
            expect(m.protect).toBe(true);
            expect(m.name.startsWith(`${leaf}-`)).toBe(true);
        }
    });
    it("has no jetstream-cross-region advisory; the finding states the mechanism and a lag within the 5-min RPO", async () => {
        const { run, findings } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        expect(findings.filter((f) => f.ruleId === "adjust/jetstream-cross-region")).toEqual([]);
        const [f] = nonEmpty(findings.filter((x) => x.ruleId === "capacity/jetstream-cross-region"));
        expect(f.severity).toBe("info");
        expect(mirrorLagSeconds).toBeLessThan(5 * 60);
        expect(findings.filter((x) => x.severity === "mandatory")).toEqual([]);
    });
    it("the passive region's volume holds its streams and the mirrors (prod: 50Gi, 75 %); 8 GiB mirrors would not fit", () => {
        expect(jetStreamStorageFinding(eks, awsProfiles.prod, leaf, true).message).toContain("= 36864 MiB per server vs 75% of 50Gi = 38400 MiB (margin 1536 MiB)");
        const big = jetStreamStorageFinding(eks, { ...awsProfiles.prod, nats: { ...awsProfiles.prod.nats, storageSize: "45Gi" } }, leaf, true);
        expect(big.severity).toBe("mandatory");
    });
});
