import { catalog } from "../../catalog";
import { K8sServiceCard } from "../../catalog/types";
import {
    auroraDefaultMaxConnections,
    awsCapacityFindings,
    dbClients,
    fitClaimFindings,
    nodeGroupSize,
    poolWorkloads,
} from "../../capacity/aws";
import { allocatable, instanceShapes } from "../../capacity/instances";
import { readStackFile } from "../../plan/engine";
import { parseStackConfig } from "../../stacks/config";
import { DeployContext } from "../../stacks/context";
import { catalogRequirements } from "../../stacks/load";
import { environmentProfiles } from "../../stacks/profiles";
import { AwsProfile, awsProfiles } from "../../stacks/profiles/aws";
import { resolveReplicas } from "../../stacks/replicas";

function ctxOf(stack: string): DeployContext {
    const config = parseStackConfig(stack, readStackFile(stack), catalogRequirements(catalog));
    return { config, profile: environmentProfiles[config.environment], catalog, replicas: resolveReplicas(catalog, config.environment, config.replicaOverrides) };
}

const assignment = catalog.find((c) => c.service === "assignment-service") as K8sServiceCard;

describe("Aurora max_connections ceiling", () => {
    it("is LEAST(DBInstanceClassMemory / 9531392, 5000)", () => {
        expect(auroraDefaultMaxConnections("db.t4g.medium")).toBe(450);
        expect(auroraDefaultMaxConnections("db.r7g.large")).toBe(1802);
        expect(auroraDefaultMaxConnections("db.r7g.xlarge")).toBe(3604);
        expect(auroraDefaultMaxConnections("db.r7g.2xlarge")).toBe(5000);
        expect(() => auroraDefaultMaxConnections("db.x9.huge")).toThrow(/unknown RDS instance class/);
    });
    it("every profile's max_connections fits its instance class", () => {
        for (const p of Object.values(awsProfiles)) {
            expect(p.aurora.maxConnections).toBeLessThanOrEqual(auroraDefaultMaxConnections(p.aurora.instanceClass));
        }
    });
});

describe("database clients", () => {
    it("are the roles with a pool, at max replicas (prod: api 24×10, worker 12×5, scheduler 2×3, ai-suggest 4×2)", () => {
        const replicas = resolveReplicas(catalog, "prod");
        expect(dbClients(assignment, replicas, "prod")).toEqual([
            { name: "assignment-service/api", maxReplicas: 24, poolPerReplica: 10 },
            { name: "assignment-service/worker", maxReplicas: 12, poolPerReplica: 5 },
            { name: "assignment-service/scheduler", maxReplicas: 2, poolPerReplica: 3 },
            { name: "assignment-service/ai-suggest", maxReplicas: 4, poolPerReplica: 2 },
        ]);
    });
    it("follow a stack's replica overrides", () => {
        const replicas = resolveReplicas(catalog, "prod", { "assignment-service/api": { min: 4, max: 200 } });
        expect(dbClients(assignment, replicas, "prod")[0]).toEqual({ name: "assignment-service/api", maxReplicas: 200, poolPerReplica: 10 });
    });
});

describe("node group sizing", () => {
    const prod = awsProfiles.prod;
    const replicas = resolveReplicas(catalog, "prod");
    it("holds every workload at max replicas with the profile's headroom", () => {
        for (const pool of ["platform", "core", "worker"] as const) {
            const size = nodeGroupSize(pool, catalog, replicas, prod);
            const per = allocatable(instanceShapes[size.instanceType]);
            const cpu = poolWorkloads(pool, catalog, replicas, prod).reduce((s, w) => s + w.maxReplicas * w.cpuMillis, 0);
            expect(cpu / (per.cpuMillis * size.maxSize)).toBeLessThanOrEqual(1 - prod.nodePools[pool].headroom);
            // One node fewer would not keep the headroom (the max is the smallest that does, or the floor).
            if (size.maxSize > prod.nodePools[pool].minNodes) {
                const mem = poolWorkloads(pool, catalog, replicas, prod).reduce((s, w) => s + w.maxReplicas * w.memoryMiB, 0);
                const smaller = size.maxSize - 1;
                const fitsSmaller = cpu / (per.cpuMillis * smaller) <= 1 - prod.nodePools[pool].headroom && mem / (per.memoryMiB * smaller) <= 1 - prod.nodePools[pool].headroom;
                expect(fitsSmaller).toBe(false);
            }
            expect(size.minSize).toBeGreaterThanOrEqual(prod.nodePools[pool].minNodes);
            expect(size.minSize).toBeLessThanOrEqual(size.maxSize);
            expect(size.desiredSize).toBe(size.minSize);
        }
    });
    it("counts NATS and the platform components on the platform pool only", () => {
        const names = poolWorkloads("platform", catalog, replicas, prod).map((w) => w.name);
        expect(names).toContain("nats");
        expect(names).toContain("kube-prometheus-stack/prometheus");
        expect(names.some((n) => n.startsWith("assignment-service/"))).toBe(false);
        expect(poolWorkloads("core", catalog, replicas, prod).map((w) => w.name)).toContain("assignment-service/api");
        expect(poolWorkloads("worker", catalog, replicas, prod).map((w) => w.name)).toEqual(expect.arrayContaining(["assignment-service/worker", "assignment-service/scheduler", "assignment-service/ai-suggest"]));
    });
    it("grows the pool when a role's max replicas grow", () => {
        const bigger = resolveReplicas(catalog, "prod", { "assignment-service/api": { min: 4, max: 240 } });
        expect(nodeGroupSize("core", catalog, bigger, prod).maxSize).toBeGreaterThan(nodeGroupSize("core", catalog, replicas, prod).maxSize);
    });
});

describe("seeds/000 §12 claim", () => {
    it("is computed: 8 api × 2 CPU and 6 worker × 2 CPU limits against the prod pools", () => {
        const [f] = fitClaimFindings(catalog, resolveReplicas(catalog, "prod"), awsProfiles.prod, "us-east-1");
        expect(f.ruleId).toBe("capacity/documented-fit-claim");
        expect(f.severity).toBe("info");
        expect(f.resource).toBe("assignment-service@us-east-1");
        expect(f.message).toContain("8 api × 2 CPU limit (500m request) on core");
        expect(f.message).toContain("6 worker × 2 CPU limit (500m request) on worker");
        expect(f.message).toContain("limits 16000m");
        expect(f.message).toContain("limits 12000m");
        expect(f.message).toContain("holds even at limits");
    });
    it("turns advisory when the pool cannot hold the limits", () => {
        const tiny: AwsProfile = {
            ...awsProfiles.prod,
            nodePools: { ...awsProfiles.prod.nodePools, core: { instanceType: "t3.large", headroom: 0, minNodes: 1 } },
        };
        const replicas = resolveReplicas(catalog, "prod", { "assignment-service/api": { min: 1, max: 2 } });
        const [f] = fitClaimFindings([assignment], replicas, tiny, "us-east-1");
        expect(f.severity).toBe("advisory");
        expect(f.message).toContain("exceeds the pool at limits");
    });
});

describe("awsCapacityFindings", () => {
    it("prod-us: pool fit per region × pool, the §12 claim per region, a budget per active region × database", () => {
        const findings = awsCapacityFindings(ctxOf("prod-us"));
        const dbs = catalog.filter((c) => c.platform === "eks" && c.database).length;
        expect(findings.filter((f) => f.ruleId === "capacity/node-pool-fit")).toHaveLength(6);
        expect(findings.filter((f) => f.ruleId === "capacity/documented-fit-claim").map((f) => f.resource)).toEqual(["assignment-service@us-east-1", "assignment-service@us-west-2"]);
        expect(findings.filter((f) => f.ruleId === "capacity/db-connection-budget")).toHaveLength(2 * dbs);
        expect(findings.filter((f) => f.severity === "mandatory")).toEqual([]);
        const budget = findings.find((f) => f.ruleId === "capacity/db-connection-budget" && f.resource === "assignment-service-db@us-east-1");
        expect(budget?.message).toBe(
            "connection demand 314 of budget 1980 (margin 1666): assignment-service/api 240 (76.4%), assignment-service/worker 60 (19.1%), assignment-service/ai-suggest 8 (2.5%), assignment-service/scheduler 6 (1.9%)",
        );
    });
    it("prod-eu: budgets only for the active region, and the global-database password note", () => {
        const findings = awsCapacityFindings(ctxOf("prod-eu"));
        expect(findings.some((f) => f.ruleId === "capacity/db-connection-budget" && f.resource.endsWith("@eu-central-1"))).toBe(false);
        expect(findings.filter((f) => f.ruleId === "adjust/aurora-global-master-password").every((f) => f.severity === "info" && f.resource.endsWith("@eu-west-1"))).toBe(true);
        expect(findings.some((f) => f.ruleId === "adjust/aurora-global-master-password")).toBe(true);
    });
    it("dev: no §12 claim (it is about prod load) and no global database note", () => {
        const findings = awsCapacityFindings(ctxOf("dev"));
        expect(findings.some((f) => f.ruleId === "capacity/documented-fit-claim")).toBe(false);
        expect(findings.some((f) => f.ruleId === "adjust/aurora-global-master-password")).toBe(false);
    });
    it("reports the documented values AWS cannot take as written (info)", () => {
        const dev = awsCapacityFindings(ctxOf("dev"));
        const waf = dev.find((f) => f.ruleId === "adjust/waf-rate-limits");
        expect(waf?.severity).toBe("info");
        expect(waf?.message).toContain(`${awsProfiles.dev.waf.perTenantLimit} requests / 5 min per x-tenant-id`);
        const wal = (stack: string) => awsCapacityFindings(ctxOf(stack)).find((f) => f.ruleId === "adjust/aurora-wal-archive")?.message ?? "";
        expect(wal("prod-us")).toContain("no cross-region copy");
        expect(wal("prod-eu")).toContain("global database replicates storage to the passive region");
    });
    it("is mandatory when an override blows the connection budget, naming every client", () => {
        const ctx = ctxOf("prod-us");
        const replicas = resolveReplicas(catalog, "prod", { "assignment-service/api": { min: 4, max: 250 } });
        const findings = awsCapacityFindings({ ...ctx, replicas });
        const over = findings.filter((f) => f.severity === "mandatory" && f.ruleId === "capacity/db-connection-budget");
        expect(over.map((f) => f.resource)).toEqual(["assignment-service-db@us-east-1", "assignment-service-db@us-west-2"]);
        expect(over[0].message).toMatch(/^connection demand 2574 exceeds the budget 1980 by 594: assignment-service\/api 2500 \(97.1%\)/);
    });
});
