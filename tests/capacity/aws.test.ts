import { catalog } from "../../data/catalog";
import { K8sServiceCard } from "../../data/catalog/types";
import {
    auroraDefaultMaxConnections,
    auroraMaxConnectionsFinding,
    awsCapacityFindings,
    dbClients,
    fitClaimFindings,
    nodeGroupSize,
    poolWorkloads,
} from "../../capacity/aws";
import { readStackFile } from "../../plan/engine";
import { parseStackConfig } from "../../data/config";
import { DeployContext } from "../../data/context";
import { catalogRequirements } from "../../data/config";
import { environmentProfiles } from "../../data/profiles";
import { AwsProfile, awsProfiles } from "../../data/profiles/aws";
import { resolveReplicas } from "../../data/replicas";

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
    it("capacity/aurora-max-connections: info within the class's ceiling, mandatory above it", () => {
        // ours (README departures): dev 200 on db.t4g.medium, staging 1000 on db.r7g.large, prod 2000 on db.r7g.xlarge.
        expect(
            (["dev", "staging", "prod"] as const).map((env) => auroraMaxConnectionsFinding(`assignment-service-db@${env}`, awsProfiles[env].aurora)).map((f) => [f.severity, f.message]),
        ).toEqual([
            ["info", "max_connections 200 within db.t4g.medium's ceiling 450"],
            ["info", "max_connections 1000 within db.r7g.large's ceiling 1802"],
            ["info", "max_connections 2000 within db.r7g.xlarge's ceiling 3604"],
        ]);
        expect(auroraMaxConnectionsFinding("assignment-service-db@us-east-1", { instanceClass: "db.t4g.medium", maxConnections: 451 })).toEqual({
            ruleId: "capacity/aurora-max-connections",
            severity: "mandatory",
            resource: "assignment-service-db@us-east-1",
            message: "max_connections 451 exceeds db.t4g.medium's ceiling 450 (LEAST(DBInstanceClassMemory/9531392, 5000))",
        });
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
    /*
     * The sizes the documents' numbers imply, worked by hand. Requests and ranges: seeds/000 §3, §5
     * (assignment), seeds/002 §2–3 (authoring), seeds/003 §2–3 (progress); staging/dev ranges,
     * instance types, headroom and floors are ours (README departures). max = ceil(Σ max replicas ×
     * request / (1 − headroom) / allocatable per node), at least the floor; min = the same at min
     * replicas with no headroom, at least the floor. Every node first gives Istio ambient's DaemonSets
     * their requests (ztunnel 200m / 512Mi + istio-cni 100m / 100Mi, the 1.28 charts' defaults): 300m
     * less CPU per node below.
     *
     * prod core (c7i.2xlarge: 7660m / 14419Mi allocatable, headroom 25 %, floor 3):
     *   api 24 + authoring-api 30 + collab 20 + progress-api 50 = 124 pods × 500m = 62000m
     *   / 0.75 = 82667m / (7660 − 300) = 11.2 → 12 (memory 104 × 512 + 20 × 1024 = 73728Mi / 0.75 / (14419 − 612) = 7.1 → 8)
     *   min: (4 + 3 + 2 + 5) × 500m = 7000m → 1 node, floor 3 → 3.
     * prod worker (c7i.2xlarge, 25 %, floor 3):
     *   worker 12×500 + scheduler 2×250 + ai-suggest 4×250 + authoring-worker 10×200 + ai-worker 15×300
     *   + ingest 100×1000 + projector 20×500 + outbox-relay 8×250 + partition-manager 1×100 = 126100m
     *   / 0.75 = 168133m / 7360 = 22.8 → 23; min 10600m → 2, floor 3 → 3.
     * staging core (c7i.xlarge: 3670m / 6227Mi, 25 %, floor 3): (8 + 8 + 6 + 10) × 500m = 16000m
     *   / 0.75 / (3670 − 300) = 6.3 → 7; min (3 + 2 + 2 + 3) × 500m = 5000m → 2, floor 3 → 3.
     * staging worker (c7i.xlarge, 25 %, floor 2): 3000 + 500 + 500 + 800 + 1200 + 20000 + 3000 + 1000
     *   + 100 = 30100m / 0.75 / 3370 = 11.9 → 12; min 7350m / 3370 = 2.2 → 3.
     * dev core (t3.large: 1680m / 6227Mi, 20 %, floor 1): 8 × 500m = 4000m / 0.8 / (1680 − 300) = 3.6 → 4;
     *   min 4 × 500m = 2000m / 1380 = 1.4 → 2.
     * dev worker (t3.large, 20 %, floor 1): 1000 + 250 + 250 + 400 + 600 + 2000 + 1000 + 500 + 100
     *   = 6100m / 0.8 / 1380 = 5.5 → 6; min 3350m / 1380 = 2.4 → 3.
     */
    it("core and worker pools: the sizes the documents' numbers imply in every environment", () => {
        const sizes = (["dev", "staging", "prod"] as const).map((env) => {
            const r = resolveReplicas(catalog, env);
            return [env, ...(["core", "worker"] as const).map((pool) => nodeGroupSize(pool, catalog, r, awsProfiles[env]))];
        });
        expect(sizes).toEqual([
            ["dev", { instanceType: "t3.large", minSize: 2, desiredSize: 2, maxSize: 4 }, { instanceType: "t3.large", minSize: 3, desiredSize: 3, maxSize: 6 }],
            ["staging", { instanceType: "c7i.xlarge", minSize: 3, desiredSize: 3, maxSize: 7 }, { instanceType: "c7i.xlarge", minSize: 3, desiredSize: 3, maxSize: 12 }],
            ["prod", { instanceType: "c7i.2xlarge", minSize: 3, desiredSize: 3, maxSize: 12 }, { instanceType: "c7i.2xlarge", minSize: 3, desiredSize: 3, maxSize: 23 }],
        ]);
    });
    it("counts NATS and the platform components on the platform pool only, each role on its documented pool", () => {
        expect(poolWorkloads("platform", catalog, replicas, prod).map((w) => w.name)).toEqual([
            "nats",
            "flagd",
            "kube-prometheus-stack/prometheus",
            "kube-prometheus-stack/operator",
            "kube-prometheus-stack/kube-state-metrics",
            "kube-prometheus-stack/grafana",
            "opentelemetry-collector",
            "envoy-gateway/controller",
            "envoy-gateway/proxy",
            "aws-load-balancer-controller",
            "external-secrets",
            "keda",
            "coredns",
            "metrics-server",
            "ebs-csi-controller",
            "istiod",
            "cert-manager/controller",
            "cert-manager/webhook",
            "cert-manager/cainjector",
            "nack/jetstream-controller",
        ]);
        expect(poolWorkloads("core", catalog, replicas, prod).map((w) => w.name)).toEqual(["assignment-service/api", "authoring-service/api", "authoring-service/collab", "progress-service/api"]);
        expect(poolWorkloads("worker", catalog, replicas, prod).map((w) => w.name)).toEqual([
            "assignment-service/worker",
            "assignment-service/scheduler",
            "assignment-service/ai-suggest",
            "authoring-service/worker",
            "authoring-service/ai-worker",
            "progress-service/ingest",
            "progress-service/projector",
            "progress-service/outbox-relay",
            "progress-service/partition-manager",
        ]);
    });
    it("grows the pool when a role's max replicas grow", () => {
        // api 24 → 240: (240 + 30 + 20 + 50) × 500m = 170000m / 0.75 / (7660 − 300) = 30.8 → 31 nodes.
        const bigger = resolveReplicas(catalog, "prod", { "assignment-service/api": { min: 4, max: 240 } });
        expect(nodeGroupSize("core", catalog, bigger, prod).maxSize).toBe(31);
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
        expect(findings.filter((f) => f.ruleId === "capacity/db-connection-budget").map((f) => f.resource)).toEqual([
            "assignment-service-db@eu-west-1",
            "authoring-service-db@eu-west-1",
            "progress-service-db@eu-west-1",
        ]);
        expect(findings.filter((f) => f.ruleId === "adjust/aurora-global-master-password").map((f) => [f.severity, f.resource])).toEqual([
            ["info", "assignment-service-db@eu-west-1"],
            ["info", "authoring-service-db@eu-west-1"],
            ["info", "progress-service-db@eu-west-1"],
        ]);
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
        // dev's 20 000 per 5 min is ours (README departures): the documents name the limit, not its number.
        expect(waf?.message).toContain("20000 requests / 5 min per x-tenant-id");
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
