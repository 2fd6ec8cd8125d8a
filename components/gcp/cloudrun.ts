import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { cloudRunMaxConcurrency } from "../../capacity/gcp";
import { CloudRunRole, ReplicaRange } from "../../data/catalog/types";


/** Validates one role's settings against what Cloud Run accepts; throws on the first problem. */
export function validateCloudRunRole(role: CloudRunRole, range: ReplicaRange): void {
    if (role.concurrency < 1 || role.concurrency > cloudRunMaxConcurrency) {
        throw new Error(`${role.name}: concurrency ${role.concurrency} outside 1..${cloudRunMaxConcurrency}`);
    }
    if (role.timeoutSeconds < 1 || role.timeoutSeconds > 3600) {
        throw new Error(`${role.name}: timeout ${role.timeoutSeconds}s outside 1..3600`);
    }
    if (range.min > range.max) {
        throw new Error(`${role.name}: min instances ${range.min} above max ${range.max}`);
    }
}

/** A role whose process runs loops rather than answering requests: its CPU stays allocated. */
export function isBackground(role: CloudRunRole): boolean {
    return role.consumes.length === 0 && role.ingress === "internal";
}

/** Instance bounds after the feature flag: a role behind a flag that is off keeps min 0. */
export function effectiveInstances(role: CloudRunRole, range: ReplicaRange): ReplicaRange {
    return role.featureFlag ? { min: 0, max: range.max } : range;
}

export interface SecretEnv {
    /** Environment variable name. */
    readonly env: string;
    /** Secret id (short name or full id) in the same project. */
    readonly secret: pulumi.Input<string>;
}

export interface CloudRunServiceArgs {
    readonly serviceName: string;
    readonly region: string;
    readonly role: CloudRunRole;
    readonly instances: ReplicaRange;
    readonly image: string;
    readonly serviceAccountEmail: pulumi.Input<string>;
    readonly connectorId: pulumi.Input<string>;
    readonly keyId: pulumi.Input<string>;
    readonly healthPath: string;
    readonly containerPort: number;
    /** Plain configuration (no credentials: the policy pack checks). */
    readonly env: Readonly<Record<string, pulumi.Input<string>>>;
    /** Credentials, mounted from Secret Manager by reference. */
    readonly secretEnv: readonly SecretEnv[];
    /** Identities allowed to invoke the service (Pub/Sub push, peers). */
    readonly invokers: readonly pulumi.Input<string>[];
    /** ID-token audiences accepted besides the run.app URL (the internal load balancer's host, for peer callers). */
    readonly customAudiences?: readonly string[];
    readonly deletionProtection: boolean;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * One Cloud Run (v2) service of a role (seed 001 §3): its own identity, bounds, concurrency, timeout,
 * startup and liveness probes (GA; no Preview field), egress through the VPC connector (all traffic,
 * so vendor calls leave by the NAT's reserved IPs and Postgres reaches PgBouncer's internal load
 * balancer), internal-only ingress (the API: internal + load balancer), CMEK, secrets by reference.
 */
export class CloudRunService extends pulumi.ComponentResource {
    readonly service: gcp.cloudrunv2.Service;
    readonly uri: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: CloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:CloudRunService", name, {}, opts);
        const { role } = args;
        try {
            validateCloudRunRole(role, args.instances);
        } catch (e) {
            throw new pulumi.ResourceError((e as Error).message, this);
        }
        const child = { parent: this, provider: args.provider };
        const lbFronted = role.ingress === "load-balancer";
        const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
            httpGet: { path, port: args.containerPort },
            periodSeconds,
            failureThreshold,
            timeoutSeconds: 3,
        });
        this.service = new gcp.cloudrunv2.Service(
            `${name}-service`,
            {
                name: args.serviceName,
                location: args.region,
                ingress: lbFronted ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_INTERNAL_ONLY",
                // The external load balancer cannot mint identity tokens, so the API's invoker check is
                // off; its ingress setting admits only the load balancer and the VPC. Every other
                // service keeps IAM invocation (the peers' entry behind the internal load balancer too:
                // "internal" ingress admits internal Application Load Balancers).
                invokerIamDisabled: lbFronted,
                // GA field (gcloud run services update --add-custom-audiences; not Beta in the provider schema).
                ...(args.customAudiences && args.customAudiences.length > 0 ? { customAudiences: [...args.customAudiences] } : {}),
                deletionProtection: args.deletionProtection,
                launchStage: "GA",
                labels: { role: role.name },
                template: {
                    serviceAccount: args.serviceAccountEmail,
                    encryptionKey: args.keyId,
                    executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
                    maxInstanceRequestConcurrency: role.concurrency,
                    timeout: `${role.timeoutSeconds}s`,
                    sessionAffinity: role.sessionAffinity,
                    scaling: { minInstanceCount: args.instances.min, maxInstanceCount: args.instances.max },
                    vpcAccess: { connector: args.connectorId, egress: "ALL_TRAFFIC" },
                    labels: { role: role.name },
                    containers: [
                        {
                            name: role.name,
                            image: args.image,
                            ports: { containerPort: args.containerPort, name: "http1" },
                            resources: {
                                limits: { cpu: role.cpu, memory: role.memory },
                                startupCpuBoost: role.startupCpuBoost,
                                cpuIdle: !isBackground(role),
                            },
                            envs: [
                                ...Object.entries(args.env).map(([k, v]) => ({ name: k, value: v })),
                                ...args.secretEnv.map((s) => ({ name: s.env, valueSource: { secretKeyRef: { secret: s.secret, version: "latest" } } })),
                            ],
                            // 24 × 5 s: two minutes for migrations check and pool warm-up before liveness acts.
                            startupProbe: probe(args.healthPath, 5, 24),
                            // Liveness checks the process only (case study §27.5). No readiness probe: it is a
                            // Preview field and the services are GA (capacity's adjust/cloud-run-readiness).
                            livenessProbe: probe(args.healthPath, 10, 3),
                        },
                    ],
                },
                traffics: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }],
                // Only attested release images deploy: the project's Binary Authorization policy (components/gcp/release.ts).
                binaryAuthorization: { useDefault: true },
            },
            // Release (issue 12): the image comes from the stack config (the release writes its digest there after
            // Cloud Deploy rolled it out); the traffic split between revisions is Cloud Deploy's, never reset by `pulumi up`.
            { ...child, dependsOn: args.dependsOn, ignoreChanges: ["traffics"] },
        );
        this.uri = this.service.uri;
        this.name = this.service.name;
        if (args.invokers.length > 0) {
            new gcp.cloudrunv2.ServiceIamBinding(
                `${name}-invokers`,
                { name: this.service.name, location: args.region, role: "roles/run.invoker", members: args.invokers.map((m) => pulumi.interpolate`serviceAccount:${m}`) },
                child,
            );
        }
        this.registerOutputs({ uri: this.uri, name: this.name });
    }
}
