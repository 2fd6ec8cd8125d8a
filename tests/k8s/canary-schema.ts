import Ajv from "ajv";

/**
 * Flagger publishes no model package: the part of its Canary (flagger.app/v1beta1) the workloads use,
 * transcribed from the CRD of the release the platform pins (charts/flagger/crds/crd.yaml, v1.42:
 * CanarySpec, CanaryService, CanaryAnalysis, CanaryMetric, CanaryWebhook), strict about unknown fields.
 */
const ref = { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", minLength: 1 }, namespace: { type: "string" } } } as const;
const canarySchema = {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
        apiVersion: { const: "flagger.app/v1beta1" },
        kind: { const: "Canary" },
        metadata: { type: "object", required: ["name", "namespace"] },
        spec: {
            type: "object",
            additionalProperties: false,
            required: ["targetRef", "service", "analysis"],
            properties: {
                provider: { type: "string" },
                progressDeadlineSeconds: { type: "integer", minimum: 1 },
                targetRef: {
                    type: "object",
                    additionalProperties: false,
                    required: ["apiVersion", "kind", "name"],
                    properties: { apiVersion: { type: "string" }, kind: { enum: ["Deployment", "DaemonSet", "Service"] }, name: { type: "string", minLength: 1 } },
                },
                autoscalerRef: {
                    type: "object",
                    additionalProperties: false,
                    required: ["apiVersion", "kind", "name"],
                    properties: { apiVersion: { type: "string" }, kind: { enum: ["HorizontalPodAutoscaler", "ScaledObject"] }, name: { type: "string", minLength: 1 } },
                },
                service: {
                    type: "object",
                    additionalProperties: false,
                    required: ["port"],
                    properties: {
                        name: { type: "string" },
                        port: { type: "integer", minimum: 1, maximum: 65535 },
                        portName: { type: "string" },
                        targetPort: { type: ["string", "integer"] },
                        timeout: { type: "string" },
                        gatewayRefs: { type: "array", items: ref },
                        match: { type: "array", items: { type: "object" } },
                    },
                },
                analysis: {
                    type: "object",
                    additionalProperties: false,
                    required: ["interval", "threshold"],
                    properties: {
                        interval: { type: "string", pattern: "^[0-9]+(m|s|h)$" },
                        threshold: { type: "integer", minimum: 1 },
                        iterations: { type: "integer", minimum: 1 },
                        stepWeights: { type: "array", items: { type: "number", minimum: 0, maximum: 100 } },
                        metrics: {
                            type: "array",
                            items: {
                                type: "object",
                                additionalProperties: false,
                                required: ["name"],
                                properties: {
                                    name: { type: "string" },
                                    interval: { type: "string" },
                                    templateRef: ref,
                                    thresholdRange: { type: "object", additionalProperties: false, properties: { min: { type: "number" }, max: { type: "number" } } },
                                },
                            },
                        },
                        webhooks: {
                            type: "array",
                            items: {
                                type: "object",
                                additionalProperties: false,
                                required: ["name", "url"],
                                properties: {
                                    name: { type: "string" },
                                    type: { enum: ["confirm-rollout", "pre-rollout", "rollout", "confirm-traffic-increase", "confirm-promotion", "post-rollout", "rollback", "event"] },
                                    url: { type: "string", pattern: "^https?://" },
                                    timeout: { type: "string" },
                                    metadata: { type: "object", additionalProperties: { type: "string" } },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(canarySchema);

export function validateCanary(m: unknown): string | null {
    return validate(m) ? null : ajv.errorsText(validate.errors);
}
