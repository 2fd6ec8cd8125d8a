import { assignmentService } from "../../data/catalog/assignment";
import { progressService } from "../../data/catalog/progress";
import { K8sServiceCard } from "../../data/catalog/types";
import { bucketConfigKey, consistentHashBy, resolveConfig } from "../../components/k8s/service-workload";
import { WorkloadValidationInput, validateServiceWorkload } from "../../components/k8s/validation";
import { resolveReplicas } from "../../data/replicas";

const image = "410987654321.dkr.ecr.us-east-1.amazonaws.com/assignment-service@sha256:" + "a".repeat(64);

function input(card: K8sServiceCard = assignmentService, overrides: Partial<WorkloadValidationInput> = {}): WorkloadValidationInput {
    return {
        card,
        image,
        replicas: resolveReplicas([card], "prod"),
        bindings: { [card.service]: { secretKeys: [...card.secrets], serviceAccountName: card.service, namespace: card.namespace, hasDatabaseReadUrl: card.database !== undefined } },
        ...overrides,
    };
}

describe("validateServiceWorkload (runs before any resource exists)", () => {
    it("accepts the catalog's cards", () => {
        expect(validateServiceWorkload(input())).toEqual([]);
        expect(validateServiceWorkload(input(progressService))).toEqual([]);
    });

    it("refuses an image not pinned by digest", () => {
        expect(validateServiceWorkload(input(assignmentService, { image: "registry.example.com/assignment-service:1.2.3" }))).toEqual([
            'image "registry.example.com/assignment-service:1.2.3" is not pinned by digest (registry/repo@sha256:<64 hex>)',
        ]);
    });

    it("refuses a platform without the service's binding or with secrets missing", () => {
        expect(validateServiceWorkload(input(assignmentService, { bindings: {} }))).toEqual(["the platform has no binding (IRSA role, secrets) for assignment-service"]);
        const partial = { "assignment-service": { secretKeys: ["POSTGRES_URL"], serviceAccountName: "assignment-service", namespace: "assignment" } };
        expect(validateServiceWorkload(input(assignmentService, { bindings: partial }))[0]).toMatch(/^the platform binding has no Secrets Manager entry for REDIS_URL, NATS_CREDS/);
        const elsewhere = { "assignment-service": { secretKeys: [...assignmentService.secrets], serviceAccountName: "assignment-service", namespace: "default" } };
        expect(validateServiceWorkload(input(assignmentService, { bindings: elsewhere }))[0]).toMatch(/binding namespace "default" differs/);
    });

    it("refuses a liveness probe on the readiness endpoint, missing probes, and an inverted range", () => {
        const [api, worker] = assignmentService.roles;
        const probes = api.probes;
        if (!probes) {
            throw new Error("api has probes");
        }
        const card: K8sServiceCard = {
            ...assignmentService,
            roles: [{ ...api, probes: { ...probes, liveness: probes.readiness } }, { ...worker, probes: undefined }],
        };
        expect(validateServiceWorkload(input(card, { replicas: { "assignment-service/api": { min: 5, max: 4 }, "assignment-service/worker": { min: 1, max: 2 } } }))).toEqual([
            "assignment-service/api: max replicas 4 < min 5",
            "assignment-service/api: liveness shares the readiness endpoint /health/ready",
            "assignment-service/worker: a long-running role needs startup, readiness and liveness probes",
        ]);
    });

    it("refuses a cron job without a schedule and a config key that is not an environment variable name", () => {
        const cron = progressService.roles.find((r) => r.runtime === "cronjob");
        if (!cron) {
            throw new Error("progress has a cron job");
        }
        const card: K8sServiceCard = { ...progressService, roles: [{ ...cron, schedule: undefined }], config: { "bad-key": "1" } };
        expect(validateServiceWorkload(input(card))).toEqual(['"bad-key" is not an environment variable name', "progress-service/partition-manager: a cron job needs a schedule"]);
    });
});

describe("config", () => {
    it("resolves per-environment values", () => {
        expect(resolveConfig(assignmentService, "dev").FEATURE_AI_SUGGEST).toBe("off");
        expect(resolveConfig(assignmentService, "staging").FEATURE_AI_SUGGEST).toBe("on");
        expect(resolveConfig(assignmentService, "prod").RRULE_HORIZON_DAYS).toBe("90");
    });

    it("maps sticky routing to Envoy Gateway's consistent-hash inputs", () => {
        expect(consistentHashBy({ source: "cookie", name: "draftId" })).toEqual({ type: "Cookie", cookie: { name: "draftId" } });
        expect(consistentHashBy({ source: "header", name: "x-draft-id" })).toEqual({ type: "Header", header: { name: "x-draft-id" } });
        expect(consistentHashBy({ source: "query", name: "draftId" })).toEqual({ type: "QueryParams", queryParams: [{ name: "draftId" }] });
    });

    it("names bucket config keys after their purpose", () => {
        expect(bucketConfigKey("cold-archive")).toBe("S3_BUCKET_COLD_ARCHIVE");
    });
});
