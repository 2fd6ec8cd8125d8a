import { spawnSync } from "child_process";
import * as path from "path";
import Ajv from "ajv";
import { Manifest } from "../../plan/manifests";

export interface SchemaResult {
    readonly id: string;
    readonly status: "valid" | "invalid" | "no-schema";
    readonly error?: string;
}

/** Validates manifests with kubernetes-models (1.34) and the CRD model packages, in a child process (they are ES modules). */
export function validateWithModels(manifests: readonly Manifest[]): SchemaResult[] {
    const out = spawnSync(process.execPath, [path.join(__dirname, "fixtures", "validate-manifests.mjs")], {
        input: JSON.stringify(manifests),
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (out.status !== 0) {
        throw new Error(`manifest validation failed to run: ${out.stderr}`);
    }
    return JSON.parse(out.stdout) as SchemaResult[];
}

/**
 * Envoy Gateway publishes no model package: the part of BackendTrafficPolicy (gateway.envoyproxy.io
 * /v1alpha1) the workloads use, transcribed from the API reference of the release the platform pins
 * (v1.5: site/content/en/v1.5/api/extension_types.md, ConsistentHash), strict about unknown fields.
 */
/** Gateway API Duration (the type of Envoy Gateway's timeouts and intervals). */
const gwDuration = { type: "string", pattern: "^([0-9]{1,5}(h|m|s|ms)){1,4}$" } as const;
const backendTrafficPolicySchema = {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
        apiVersion: { const: "gateway.envoyproxy.io/v1alpha1" },
        kind: { const: "BackendTrafficPolicy" },
        metadata: { type: "object", required: ["name", "namespace"] },
        spec: {
            type: "object",
            additionalProperties: false,
            required: ["targetRefs"],
            properties: {
                targetRefs: {
                    type: "array",
                    minItems: 1,
                    items: {
                        type: "object",
                        additionalProperties: false,
                        required: ["group", "kind", "name"],
                        properties: { group: { const: "gateway.networking.k8s.io" }, kind: { enum: ["Gateway", "HTTPRoute", "GRPCRoute"] }, name: { type: "string", minLength: 1 }, sectionName: { type: "string" } },
                    },
                },
                // v1.5 Timeout, Retry, CircuitBreaker and HealthCheck.passive (issue 13: the cards' failure policies).
                timeout: {
                    type: "object",
                    additionalProperties: false,
                    properties: {
                        tcp: { type: "object", additionalProperties: false, properties: { connectTimeout: gwDuration } },
                        http: { type: "object", additionalProperties: false, properties: { connectionIdleTimeout: gwDuration, maxConnectionDuration: gwDuration, requestTimeout: gwDuration } },
                    },
                },
                retry: {
                    type: "object",
                    additionalProperties: false,
                    properties: {
                        numRetries: { type: "integer", minimum: 0 },
                        retryOn: {
                            type: "object",
                            additionalProperties: false,
                            properties: {
                                triggers: {
                                    type: "array",
                                    items: { enum: ["5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable"] },
                                },
                                httpStatusCodes: { type: "array", items: { type: "integer", minimum: 100, maximum: 600 } },
                            },
                        },
                        perRetry: {
                            type: "object",
                            additionalProperties: false,
                            properties: {
                                timeout: gwDuration,
                                backOff: { type: "object", additionalProperties: false, properties: { baseInterval: gwDuration, maxInterval: gwDuration } },
                            },
                        },
                    },
                },
                circuitBreaker: {
                    type: "object",
                    additionalProperties: false,
                    properties: Object.fromEntries(
                        ["maxConnections", "maxPendingRequests", "maxParallelRequests", "maxParallelRetries", "maxRequestsPerConnection"].map((k) => [k, { type: "integer", minimum: 0, maximum: 4294967295 }]),
                    ),
                },
                healthCheck: {
                    type: "object",
                    additionalProperties: false,
                    properties: {
                        passive: {
                            type: "object",
                            additionalProperties: false,
                            properties: {
                                splitExternalLocalOriginErrors: { type: "boolean" },
                                interval: gwDuration,
                                consecutiveLocalOriginFailures: { type: "integer", minimum: 0 },
                                consecutiveGatewayErrors: { type: "integer", minimum: 0 },
                                consecutive5XxErrors: { type: "integer", minimum: 0 },
                                baseEjectionTime: gwDuration,
                                maxEjectionPercent: { type: "integer", minimum: 0, maximum: 100 },
                            },
                        },
                    },
                },
                loadBalancer: {
                    type: "object",
                    additionalProperties: false,
                    required: ["type"],
                    properties: {
                        type: { enum: ["ConsistentHash", "LeastRequest", "Random", "RoundRobin"] },
                        consistentHash: {
                            type: "object",
                            additionalProperties: false,
                            required: ["type"],
                            properties: {
                                // v1.5.x: SourceIP, Header, Cookie (Headers came in v1.6, QueryParams later).
                                type: { enum: ["SourceIP", "Header", "Cookie"] },
                                header: { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", minLength: 1 } } },
                                cookie: {
                                    type: "object",
                                    additionalProperties: false,
                                    required: ["name"],
                                    properties: { name: { type: "string", minLength: 1 }, ttl: { type: "string" }, attributes: { type: "object" } },
                                },
                                tableSize: { type: "integer", minimum: 2, maximum: 5000011 },
                            },
                            // The CRD's CEL rules: the field for the chosen type is set, the others are not.
                            allOf: [
                                { if: { properties: { type: { const: "Header" } } }, then: { required: ["header"] }, else: { not: { required: ["header"] } } },
                                { if: { properties: { type: { const: "Cookie" } } }, then: { required: ["cookie"] }, else: { not: { required: ["cookie"] } } },
                            ],
                        },
                    },
                    if: { properties: { type: { const: "ConsistentHash" } } },
                    then: { required: ["consistentHash"] },
                    else: { not: { required: ["consistentHash"] } },
                },
            },
        },
    },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateBtp = ajv.compile(backendTrafficPolicySchema);

export function validateBackendTrafficPolicy(m: unknown): string | null {
    return validateBtp(m) ? null : ajv.errorsText(validateBtp.errors);
}

/**
 * Istio publishes no model package either: PeerAuthentication and AuthorizationPolicy
 * (security.istio.io/v1) as the API reference of the pinned release (1.28) defines the fields the
 * workloads use, strict about unknown fields (istio.io/latest/docs/reference/config/security/).
 */
const strings = { type: "array", items: { type: "string", minLength: 1 } } as const;
const selectorSchema = { type: "object", additionalProperties: false, properties: { matchLabels: { type: "object", additionalProperties: { type: "string" } } } } as const;
const mtlsMode = { type: "object", additionalProperties: false, properties: { mode: { enum: ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"] } } } as const;
const peerAuthenticationSchema = {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
        apiVersion: { const: "security.istio.io/v1" },
        kind: { const: "PeerAuthentication" },
        metadata: { type: "object", required: ["name", "namespace"] },
        spec: {
            type: "object",
            additionalProperties: false,
            properties: { selector: selectorSchema, mtls: mtlsMode, portLevelMtls: { type: "object", additionalProperties: mtlsMode } },
        },
    },
} as const;
const authorizationPolicySchema = {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
        apiVersion: { const: "security.istio.io/v1" },
        kind: { const: "AuthorizationPolicy" },
        metadata: { type: "object", required: ["name", "namespace"] },
        spec: {
            type: "object",
            additionalProperties: false,
            properties: {
                selector: selectorSchema,
                action: { enum: ["ALLOW", "DENY", "AUDIT", "CUSTOM"] },
                rules: {
                    type: "array",
                    items: {
                        type: "object",
                        additionalProperties: false,
                        properties: {
                            from: {
                                type: "array",
                                items: {
                                    type: "object",
                                    additionalProperties: false,
                                    required: ["source"],
                                    properties: {
                                        source: {
                                            type: "object",
                                            additionalProperties: false,
                                            properties: Object.fromEntries(
                                                ["principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"].map((k) => [k, strings]),
                                            ),
                                        },
                                    },
                                },
                            },
                            to: {
                                type: "array",
                                items: {
                                    type: "object",
                                    additionalProperties: false,
                                    required: ["operation"],
                                    properties: {
                                        operation: {
                                            type: "object",
                                            additionalProperties: false,
                                            properties: {
                                                ...Object.fromEntries(["hosts", "notHosts", "methods", "notMethods", "paths", "notPaths"].map((k) => [k, strings])),
                                                // Ports are strings of port numbers.
                                                ports: { type: "array", items: { type: "string", pattern: "^[0-9]{1,5}$" } },
                                                notPorts: { type: "array", items: { type: "string", pattern: "^[0-9]{1,5}$" } },
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
} as const;
const validatePeerAuth = ajv.compile(peerAuthenticationSchema);
const validateAuthz = ajv.compile(authorizationPolicySchema);

export function validatePeerAuthentication(m: unknown): string | null {
    return validatePeerAuth(m) ? null : ajv.errorsText(validatePeerAuth.errors);
}

export function validateAuthorizationPolicy(m: unknown): string | null {
    return validateAuthz(m) ? null : ajv.errorsText(validateAuthz.errors);
}
