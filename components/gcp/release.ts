import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../../data/catalog/types";
import {
    binaryAuthorizationEnforcement,
    canaryPhaseId,
    cloudDeployPlan,
    cloudDeployStages,
    preProductionTargets,
    rollbackGate,
    stablePhaseId,
} from "../../data/catalog/release";

/**
 * Release safety of a stack's Cloud Run side (seed 001 §6 §12, seed 000 §8):
 * - `ImageAdmission`: the project's Binary Authorization policy — only images attested by the release
 *   attestor (a Cloud KMS EC P-256 key, a Container Analysis note) deploy; every Cloud Run service
 *   evaluates it (`binaryAuthorization.useDefault`).
 * - `CloudDeployRelease`: the service's Cloud Deploy pipeline (dev → staging → prod, prod behind approval)
 *   with the document's canary on Cloud Run (5 % / 15 min → 50 % / 30 min → 100 %), the three rollback
 *   conditions as Cloud Monitoring alert policies the canary's analysis checks, and the automation that
 *   advances a healthy rollout and rolls a failed one back.
 */

/** The attestation's signing algorithm (Cloud KMS) and its name in the attestor's PKIX key. */
export const attestationAlgorithm = { kms: "EC_SIGN_P256_SHA256", pkix: "ECDSA_P256_SHA256" } as const;

export interface ImageAdmissionArgs {
    readonly project: string;
    readonly environment: Environment;
    /** Region of the signing key (the stack's first active region: key material stays in the residency zone). */
    readonly region: string;
    readonly protect: boolean;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

export class ImageAdmission extends pulumi.ComponentResource {
    /** The project policy; Cloud Run services are created after it. */
    readonly policy: gcp.binaryauthorization.Policy;
    readonly attestorName: pulumi.Output<string>;
    /** Key version the release signs attestations with (`gcloud beta container binauthz attestations sign-and-create --keyversion`). */
    readonly signingKeyVersion: pulumi.Output<string>;

    constructor(name: string, args: ImageAdmissionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:ImageAdmission", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const ring = new gcp.kms.KeyRing(`${name}-ring`, { name: `melmastoon-release-${args.environment}-${args.region}`, location: args.region }, { ...child, dependsOn: args.dependsOn, protect: args.protect });
        // Asymmetric signing keys do not rotate on a schedule (Cloud KMS refuses rotationPeriod on them): a new version is a new attestor key.
        const key = new gcp.kms.CryptoKey(
            `${name}-attestor-key`,
            { name: "release-attestor", keyRing: ring.id, purpose: "ASYMMETRIC_SIGN", versionTemplate: { algorithm: attestationAlgorithm.kms, protectionLevel: "HSM" } },
            { ...child, protect: args.protect },
        );
        const version = gcp.kms.getKMSCryptoKeyVersionOutput({ cryptoKey: key.id, version: 1 }, { parent: this, provider: args.provider });
        this.signingKeyVersion = pulumi.interpolate`${key.id}/cryptoKeyVersions/1`;
        const note = new gcp.containeranalysis.Note(
            `${name}-note`,
            { name: `release-${args.environment}`, attestationAuthority: { hint: { humanReadableName: `learning-platform ${args.environment} release (signed, SBOM attached)` } } },
            { ...child, dependsOn: args.dependsOn },
        );
        const attestor = new gcp.binaryauthorization.Attestor(
            `${name}-attestor`,
            {
                name: `release-${args.environment}`,
                description: "Images the release workflow signed with cosign and attested after attaching the CycloneDX SBOM",
                attestationAuthorityNote: {
                    noteReference: note.name,
                    publicKeys: [
                        {
                            id: version.apply((v) => `//cloudkms.googleapis.com/v1/${v.id}`),
                            pkixPublicKey: { publicKeyPem: version.apply((v) => v.publicKeys[0]?.pem ?? ""), signatureAlgorithm: attestationAlgorithm.pkix },
                        },
                    ],
                },
            },
            child,
        );
        this.attestorName = attestor.name;
        this.policy = new gcp.binaryauthorization.Policy(
            `${name}-policy`,
            {
                description: `Only attested release images (${args.environment})`,
                // Google-maintained system images (e.g. Cloud Run's own) stay admissible.
                globalPolicyEvaluationMode: "ENABLE",
                defaultAdmissionRule: {
                    evaluationMode: "REQUIRE_ATTESTATION",
                    enforcementMode: binaryAuthorizationEnforcement[args.environment],
                    requireAttestationsBies: [attestor.name],
                },
            },
            child,
        );
        this.registerOutputs({ attestorName: this.attestorName, signingKeyVersion: this.signingKeyVersion });
    }
}

/** Cloud Monitoring PromQL of the three rollback conditions (pure; the tests compare them with the document). */
export function rollbackQueries(serviceName: string): { errorRate: string; p95VersusBaseline: string } {
    const sel = (extra = "") => `{monitored_resource="cloud_run_revision",service_name="${serviceName}"${extra}}`;
    const w = `${rollbackGate.errorWindowMinutes}m`;
    return {
        // Per revision: the canary is the revision whose errors cross 1 % over 5 minutes.
        errorRate: `sum by (revision_name) (rate(run_googleapis_com:request_count${sel(',response_code_class="5xx"')}[${w}])) / sum by (revision_name) (rate(run_googleapis_com:request_count${sel()}[${w}])) > ${rollbackGate.maxErrorRatePercent / 100}`,
        // Per revision p95 against the service's p95 of the hour before the rollout (the baseline).
        p95VersusBaseline: `histogram_quantile(0.95, sum by (revision_name, le) (rate(run_googleapis_com:request_latencies_bucket${sel()}[${w}]))) > ${rollbackGate.maxP95VersusBaseline} * scalar(histogram_quantile(0.95, sum by (le) (rate(run_googleapis_com:request_latencies_bucket${sel()}[1h] offset 1h))))`,
    };
}

export interface CloudDeployReleaseArgs {
    readonly project: string;
    /** The runbook section on releases and rollback: every rollback alert links it (issue 13). */
    readonly runbookUrl: string;
    readonly projectNumber: pulumi.Input<string>;
    readonly environment: Environment;
    /** Cloud Deploy's region (the stack's first active GCP region). */
    readonly region: string;
    /** Active regions of this stack: the own-environment target deploys to each. */
    readonly activeRegions: readonly string[];
    /** Cloud Run service names of the request-serving role the rollback conditions watch (the API). */
    readonly apiServiceName: string;
    /** Public host and health path the synthetic check probes. */
    readonly publicHost: string;
    readonly healthPath: string;
    /** Runtime identities of the Cloud Run services (the execution account deploys revisions that run as them). */
    readonly runtimeServiceAccounts: readonly pulumi.Input<string>[];
    readonly unit: string;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** Target id of an environment's stage (`notification-prod`). */
export const targetIdOf = (unit: string, env: Environment): string => `${unit}-${env}`;

export class CloudDeployRelease extends pulumi.ComponentResource {
    readonly pipelineName: pulumi.Output<string>;
    readonly alertPolicyNames: pulumi.Output<string>[];

    constructor(name: string, args: CloudDeployReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:CloudDeployRelease", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const after = { ...child, dependsOn: args.dependsOn };
        const project = args.project;

        // --- identities: the execution account (render, deploy, verify, analyse) and the automation's ---
        const exec = new gcp.serviceaccount.Account(`${name}-exec-sa`, { accountId: `${args.unit}-deploy-exec`, displayName: "Cloud Deploy execution (notification rollouts)" }, child);
        const automationSa = new gcp.serviceaccount.Account(`${name}-automation-sa`, { accountId: `${args.unit}-deploy-auto`, displayName: "Cloud Deploy automation (advance / rollback)" }, child);
        const agent = pulumi.interpolate`serviceAccount:service-${args.projectNumber}@gcp-sa-clouddeploy.iam.gserviceaccount.com`;
        const execMember = pulumi.interpolate`serviceAccount:${exec.email}`;
        const autoMember = pulumi.interpolate`serviceAccount:${automationSa.email}`;
        // Project roles: jobs, Cloud Run revisions and traffic, reading the alert policies the analysis checks.
        for (const [suffix, role] of [
            ["job-runner", "roles/clouddeploy.jobRunner"],
            ["run-developer", "roles/run.developer"],
            ["monitoring-viewer", "roles/monitoring.viewer"],
        ] as const) {
            new gcp.projects.IAMMember(`${name}-exec-${suffix}`, { project, role, member: execMember }, after);
        }
        // Automation: advances and rolls back rollouts of this project's pipelines, nothing else.
        new gcp.projects.IAMMember(`${name}-automation-operator`, { project, role: "roles/clouddeploy.operator", member: autoMember }, after);
        // A revision runs as its role's identity: the execution account may act as those accounts only.
        args.runtimeServiceAccounts.forEach((email, i) => {
            new gcp.serviceaccount.IAMMember(`${name}-exec-acts-as-${i}`, { serviceAccountId: pulumi.interpolate`projects/${project}/serviceAccounts/${email}`, role: "roles/iam.serviceAccountUser", member: execMember }, child);
        });
        // The Cloud Deploy service agent runs jobs as the execution account and automations as theirs.
        const execId = pulumi.interpolate`projects/${project}/serviceAccounts/${exec.email}`;
        const automationId = pulumi.interpolate`projects/${project}/serviceAccounts/${automationSa.email}`;
        new gcp.serviceaccount.IAMMember(`${name}-agent-acts-as-exec`, { serviceAccountId: execId, role: "roles/iam.serviceAccountUser", member: agent }, child);
        new gcp.serviceaccount.IAMMember(`${name}-agent-acts-as-automation`, { serviceAccountId: automationId, role: "roles/iam.serviceAccountUser", member: agent }, child);
        new gcp.serviceaccount.IAMMember(`${name}-automation-acts-as-exec`, { serviceAccountId: execId, role: "roles/iam.serviceAccountUser", member: autoMember }, child);

        // --- the three rollback conditions (seed 001 §6) ---
        const q = rollbackQueries(args.apiServiceName);
        const rollbackDoc = (subject: string) => ({
            mimeType: "text/markdown",
            subject,
            content: `Cloud Deploy's automation rolls the canary back while this fires (seed 001 §6).\n\nRunbook: ${args.runbookUrl}`,
            links: [{ displayName: "Runbook", url: args.runbookUrl }],
        });
        const promql = (logical: string, displayName: string, query: string) =>
            new gcp.monitoring.AlertPolicy(
                `${name}-${logical}`,
                {
                    displayName,
                    combiner: "OR",
                    severity: "ERROR",
                    conditions: [{ displayName, conditionPrometheusQueryLanguage: { query, duration: "0s", evaluationInterval: "60s" } }],
                    userLabels: { service: args.unit, purpose: "rollback" },
                    documentation: rollbackDoc(displayName),
                },
                after,
            );
        const errorRate = promql("alert-error-rate", `${args.unit} canary error rate > ${rollbackGate.maxErrorRatePercent} % over ${rollbackGate.errorWindowMinutes} min`, q.errorRate);
        const latency = promql("alert-p95", `${args.unit} canary p95 > ${rollbackGate.maxP95VersusBaseline}x baseline`, q.p95VersusBaseline);
        const uptime = new gcp.monitoring.UptimeCheckConfig(
            `${name}-synthetic`,
            {
                displayName: `${args.unit} synthetic health`,
                timeout: "10s",
                period: "60s",
                httpCheck: { path: args.healthPath, port: 443, useSsl: true, validateSsl: true, requestMethod: "GET", acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }] },
                monitoredResource: { type: "uptime_url", labels: { project_id: project, host: args.publicHost } },
            },
            after,
        );
        const synthetic = new gcp.monitoring.AlertPolicy(
            `${name}-alert-synthetic`,
            {
                displayName: `${args.unit} synthetic check failed`,
                combiner: "OR",
                severity: "ERROR",
                conditions: [
                    {
                        displayName: "synthetic check failing",
                        conditionThreshold: {
                            filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.label.check_id="${uptime.uptimeCheckId}"`,
                            comparison: "COMPARISON_GT",
                            thresholdValue: 1,
                            duration: "60s",
                            aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.host"] }],
                        },
                    },
                ],
                userLabels: { service: args.unit, purpose: "rollback" },
                documentation: rollbackDoc(`${args.unit} synthetic check failed`),
            },
            after,
        );
        const policies = [errorRate, latency, synthetic];
        this.alertPolicyNames = policies.map((p) => p.name);

        // --- targets and pipeline ---
        const stages = cloudDeployStages(args.environment);
        const targets = stages.map((env) => {
            const own = env === args.environment;
            const locations = own ? args.activeRegions.map((r) => `projects/${project}/locations/${r}`) : [`projects/${preProductionTargets[env === "dev" ? "dev" : "staging"].project}/locations/${preProductionTargets[env === "dev" ? "dev" : "staging"].region}`];
            return new gcp.clouddeploy.Target(
                `${name}-target-${env}`,
                {
                    name: targetIdOf(args.unit, env),
                    location: args.region,
                    description: `${args.unit} on Cloud Run, ${env}`,
                    requireApproval: (cloudDeployPlan.approvalRequired as readonly string[]).includes(env),
                    run: { location: locations[0] },
                    executionConfigs: [{ usages: ["RENDER", "DEPLOY", "VERIFY", "PREDEPLOY", "POSTDEPLOY", "ANALYSIS"], serviceAccount: exec.email, executionTimeout: "3600s" }],
                },
                after,
            );
        });
        const analysis = (soakMinutes: number) => ({
            // The analysis runs the whole soak: any rollback alert firing on the canary fails it.
            duration: `${soakMinutes * 60}s`,
            googleCloud: { alertPolicyChecks: [{ id: "rollback-conditions", alertPolicies: policies.map((p) => p.name) }] },
        });
        const pipeline = new gcp.clouddeploy.DeliveryPipeline(
            `${name}-pipeline`,
            {
                name: args.unit,
                location: args.region,
                description: `${args.unit}: ${stages.join(" → ")}; prod canary ${cloudDeployPlan.canary.map((p) => `${p.percent} % / ${p.soakMinutes} min`).join(" → ")} → 100 %`,
                serialPipeline: {
                    stages: stages.map((env) => ({
                        targetId: targetIdOf(args.unit, env),
                        profiles: [env],
                        strategy: {
                            canary: {
                                runtimeConfig: { cloudRun: { automaticTrafficControl: true } },
                                customCanaryDeployment: {
                                    phaseConfigs: [
                                        // No predeploy migration here: Cloud Deploy's execution environment has no VPC path to
                                        // Cloud SQL. The release workflow runs each region's migration job (a targeted `pulumi up`)
                                        // and waits for it before it creates the release (seed 001 §6: migrations before the new revision).
                                        ...cloudDeployPlan.canary.map((p) => ({
                                            phaseId: canaryPhaseId(p.percent),
                                            percentage: p.percent,
                                            verify: true,
                                            analysis: analysis(p.soakMinutes),
                                        })),
                                        { phaseId: stablePhaseId, percentage: 100, verify: true, postdeploy: { actions: ["synthetic-check"] } },
                                    ],
                                },
                            },
                        },
                    })),
                },
            },
            { ...after, dependsOn: [...targets, ...policies] },
        );
        this.pipelineName = pipeline.name;

        new gcp.clouddeploy.Automation(
            `${name}-automation`,
            {
                name: `${args.unit}-rollouts`,
                location: args.region,
                deliveryPipeline: pipeline.name,
                serviceAccount: automationSa.email,
                description: "Advance a canary phase whose soak analysis passed; roll back one whose analysis, verify or post-deploy check failed",
                selector: { targets: [{ id: "*" }] },
                rules: [
                    { advanceRolloutRule: { id: "advance-after-soak", sourcePhases: cloudDeployPlan.canary.map((p) => canaryPhaseId(p.percent)) } },
                    { repairRolloutRule: { id: "rollback-on-failure", jobs: ["verify", "analysis", "postdeploy", "deploy"], repairPhases: [{ rollback: {} }] } },
                ],
            },
            { ...child, dependsOn: [pipeline] },
        );
        this.registerOutputs({ pipelineName: this.pipelineName });
    }
}
