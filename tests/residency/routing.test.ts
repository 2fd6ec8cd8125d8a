import { dnsSpansUnsharedData, recordRegion } from "../../policy/rules/residency";
import { runPolicies } from "../../plan/policy-runner";
import { dnsPlan, homesOf } from "../../data/residency";
import { RegisteredResource } from "../../plan/engine";
import { byType, fixture, nonEmpty, planOf, providerFixture } from "../harness";

/**
 * seeds/000 §4: "Traffic pinned per tenant to home region via tenant-service metadata"; prod-us is
 * active/active (us-east-1 + us-west-2), prod-eu / prod-me active/passive. A tenant's hostname must
 * resolve only to regions holding its data.
 */

/** The edge's public records (not the certificate validation records). */
function edgeRecords(resources: readonly RegisteredResource[]): RegisteredResource[] {
    return resources.filter((r) => r.type === "aws:route53/record:Record" && /-edge-dns(-\d+)?$/.test(r.name));
}

describe("dnsPlan (pure)", () => {
    it("gives each home of an active/active stack its own hostname, and no stack-wide wildcard", () => {
        const regions = [
            { region: "us-east-1", role: "active" as const },
            { region: "us-west-2", role: "active" as const },
        ];
        expect(homesOf(regions)).toEqual([
            { active: "us-east-1", passives: [] },
            { active: "us-west-2", passives: [] },
        ]);
        expect(dnsPlan(regions, "us.melmastoon.com")).toEqual([
            { region: "us-east-1", name: "us-east-1.us.melmastoon.com", routing: "simple" },
            { region: "us-west-2", name: "us-west-2.us.melmastoon.com", routing: "simple" },
        ]);
    });
    it("fails an active/passive pair over inside its home (same data), under the stack's wildcard", () => {
        expect(dnsPlan([{ region: "eu-west-1", role: "active" }, { region: "eu-central-1", role: "passive" }], "eu.melmastoon.com")).toEqual([
            { region: "eu-west-1", name: "*.eu.melmastoon.com", routing: "primary" },
            { region: "eu-central-1", name: "*.eu.melmastoon.com", routing: "secondary" },
        ]);
    });
});

describe("home-region routing in the plans", () => {
    it("prod-us: one plain record per home (us-east-1, us-west-2), none shared, no latency routing", async () => {
        const { run, findings } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const records = edgeRecords(run.resources);
        expect(records.map((r) => [r.region, r.props.name]).sort()).toEqual([
            ["us-east-1", "us-east-1.us.melmastoon.com"],
            ["us-west-2", "us-west-2.us.melmastoon.com"],
        ]);
        for (const r of records) {
            expect(r.props.latencyRoutingPolicies).toBeUndefined();
            expect(r.props.setIdentifier).toBeUndefined();
        }
        expect(findings.filter((f) => f.ruleId === "residency-dns-spans-unshared-data")).toEqual([]);
    });

    it("prod-us: the tenant → home directory is a DynamoDB global table replicated to the other home, CMK, PITR, protected", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        const tables = byType(run, "aws:dynamodb/table:Table");
        expect(tables).toHaveLength(1);
        const t = tables[0];
        expect(t.region).toBe("us-east-1");
        expect(t.props).toMatchObject({ name: "tenant-home-prod", hashKey: "tenantId", pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true, streamEnabled: true });
        expect((t.props.replicas as { regionName: string; kmsKeyArn: string }[]).map((r) => r.regionName)).toEqual(["us-west-2"]);
        expect(t.protect).toBe(true);
    });

    it.each(["prod-eu", "prod-me", "prod-ap"])("%s: *.<domain> fails over from the active region to its passive one (a global secondary), nothing else", async (stack) => {
        const { run, findings } = await planOf(stack);
        expect(run.error).toBeNull();
        const records = edgeRecords(run.resources);
        expect(records).toHaveLength(2);
        const byRole = Object.fromEntries(records.map((r) => [String((r.props.failoverRoutingPolicies as { type: string }[])[0].type), r]));
        expect(byRole.PRIMARY.props.name).toBe(byRole.SECONDARY.props.name);
        expect(String(byRole.PRIMARY.props.name)).toMatch(/^\*\.(eu|me|ap)\.melmastoon\.com$/);
        expect(byRole.PRIMARY.region).not.toBe(byRole.SECONDARY.region);
        expect(byType(run, "aws:dynamodb/table:Table")).toEqual([]);
        expect(findings.filter((f) => f.ruleId === "residency-dns-spans-unshared-data")).toEqual([]);
    });
});

describe("policy residency-dns-spans-unshared-data", () => {
    const east = providerFixture("aws", "aws-us-east-1", { region: "us-east-1" });
    const west = providerFixture("aws", "aws-us-west-2", { region: "us-west-2" });
    const record = (name: string, region: string, provider: string) =>
        fixture(
            "aws:route53/record:Record",
            { zoneId: "Z1", name: "*.us.melmastoon.com", type: "A", setIdentifier: region, latencyRoutingPolicies: [{ region }], aliases: [{ name: `edge-prod-1.${region}.elb.amazonaws.com`, zoneId: "Z2", evaluateTargetHealth: true }] },
            { name, provider },
        );
    const cluster = (name: string, provider: string, id: string, global?: string) =>
        fixture("aws:rds/cluster:Cluster", { clusterIdentifier: id, globalClusterIdentifier: global }, { name, provider });
    const instance = (name: string, provider: string, clusterId: string) => fixture("aws:rds/clusterInstance:ClusterInstance", { clusterIdentifier: clusterId }, { name, provider });

    it("fails a latency record spanning two regions with their own, unreplicated clusters (the former prod-us)", async () => {
        const resources = [east, west, record("dns-east", "us-east-1", east.name), record("dns-west", "us-west-2", west.name), cluster("c-east", east.name, "assignment-prod"), instance("i-east", east.name, "assignment-prod"), cluster("c-west", west.name, "assignment-prod"), instance("i-west", west.name, "assignment-prod")];
        const findings = await runPolicies([dnsSpansUnsharedData], resources);
        expect(findings).toHaveLength(1);
        expect(findings[0]).toMatchObject({ ruleId: "residency-dns-spans-unshared-data", severity: "mandatory", resource: "dns-east" });
        expect(findings[0].message).toContain("us-east-1 and us-west-2");
    });

    it("fails when the other region holds the data only as a headless secondary (no instance serves it)", async () => {
        const resources = [east, west, record("dns-east", "us-east-1", east.name), record("dns-west", "us-west-2", west.name), cluster("c-east", east.name, "assignment-prod", "assignment-prod"), instance("i-east", east.name, "assignment-prod"), cluster("c-west", west.name, "assignment-prod-from-us-east-1", "assignment-prod")];
        expect(await runPolicies([dnsSpansUnsharedData], resources)).toHaveLength(1);
    });

    it("passes when both regions serve the same global database (primary and a secondary with readers)", async () => {
        const resources = [east, west, record("dns-east", "us-east-1", east.name), record("dns-west", "us-west-2", west.name), cluster("c-east", east.name, "assignment-prod", "assignment-prod"), instance("i-east", east.name, "assignment-prod"), cluster("c-west", west.name, "assignment-prod", "assignment-prod"), instance("i-west", west.name, "assignment-prod")];
        expect(await runPolicies([dnsSpansUnsharedData], resources)).toEqual([]);
    });

    it("passes plain per-home records (no routing policy), and reads a record's region from its alias target", async () => {
        const plain = (name: string, host: string, region: string, provider: string) =>
            fixture("aws:route53/record:Record", { zoneId: "Z1", name: host, type: "A", aliases: [{ name: `edge-prod-1.${region}.elb.amazonaws.com` }] }, { name, provider });
        const resources = [east, west, plain("a", "us-east-1.us.melmastoon.com", "us-east-1", east.name), plain("b", "us-west-2.us.melmastoon.com", "us-west-2", west.name), cluster("c-east", east.name, "x"), instance("i-east", east.name, "x"), cluster("c-west", west.name, "x"), instance("i-west", west.name, "x")];
        expect(await runPolicies([dnsSpansUnsharedData], resources)).toEqual([]);
        expect(recordRegion({ type: "aws:route53/record:Record", name: "r", urn: "urn:r", props: { aliases: [{ name: "edge.eu-west-1.elb.amazonaws.com" }] } })).toBe("eu-west-1");
    });

    it("every stack's plan passes it", async () => {
        for (const stack of ["dev", "staging", "prod-us", "prod-eu", "prod-me", "prod-ap"]) {
            const { run, findings } = await planOf(stack);
            expect(run.error).toBeNull();
            nonEmpty(edgeRecords(run.resources));
            expect(findings.filter((f) => f.ruleId === "residency-dns-spans-unshared-data")).toEqual([]);
        }
    });
});
