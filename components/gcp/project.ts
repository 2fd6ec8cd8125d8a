import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** APIs the platform uses; enabled explicitly so a fresh project plans and applies in one pass. */
export const requiredApis = [
    "compute.googleapis.com",
    "servicenetworking.googleapis.com",
    "vpcaccess.googleapis.com",
    "cloudkms.googleapis.com",
    "sqladmin.googleapis.com",
    "redis.googleapis.com",
    "pubsub.googleapis.com",
    "secretmanager.googleapis.com",
    "run.googleapis.com",
    "storage.googleapis.com",
    "dns.googleapis.com",
    "billingbudgets.googleapis.com",
    // Issue 15: the peers' Workload Identity Federation (pools, STS token exchange, ID tokens) and the
    // internal load balancer's Certificate Manager certificate.
    "iam.googleapis.com",
    "sts.googleapis.com",
    "iamcredentials.googleapis.com",
    "certificatemanager.googleapis.com",
    // Release (issue 12): signed-image admission, its attestation notes, the rollout pipeline, its alert policies.
    "binaryauthorization.googleapis.com",
    "containeranalysis.googleapis.com",
    "clouddeploy.googleapis.com",
    "monitoring.googleapis.com",
] as const;

/** Service agents that encrypt with the platform's CMEK keys, by the API that owns them. */
export const cmekAgents = {
    sql: "sqladmin.googleapis.com",
    pubsub: "pubsub.googleapis.com",
    secretmanager: "secretmanager.googleapis.com",
    redis: "redis.googleapis.com",
    run: "run.googleapis.com",
} as const;
export type CmekAgent = keyof typeof cmekAgents | "storage" | "compute";

export interface ProjectArgs {
    readonly project: string;
    readonly provider: gcp.Provider;
}

/**
 * The project-level pieces every region needs: the enabled APIs and the service agents that use the
 * CMEK keys. Agents are created with `ServiceIdentity` (they do not exist until first use, and a key
 * grant to a missing agent fails); Cloud Storage's agent exists with the project and Compute Engine's
 * with its API, so their emails are the deterministic ones from the project number.
 */
export class ProjectServices extends pulumi.ComponentResource {
    readonly agentEmails: Readonly<Record<CmekAgent, pulumi.Output<string>>>;
    readonly projectNumber: pulumi.Output<string>;
    readonly apis: gcp.projects.Service[];

    constructor(name: string, args: ProjectArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:ProjectServices", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        this.apis = requiredApis.map(
            (api) =>
                new gcp.projects.Service(
                    `${name}-${api.split(".")[0]}`,
                    // Turning an API off on destroy would break whatever else uses the project.
                    { project: args.project, service: api, disableOnDestroy: false, disableDependentServices: false },
                    child,
                ),
        );
        const computeApi = this.apis[requiredApis.indexOf("compute.googleapis.com")];
        const project = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this, provider: args.provider });
        this.projectNumber = project.apply((p) => p.number);
        const agent = (key: keyof typeof cmekAgents) =>
            new gcp.projects.ServiceIdentity(`${name}-agent-${key}`, { project: args.project, service: cmekAgents[key] }, { ...child, dependsOn: this.apis }).email;
        this.agentEmails = {
            sql: agent("sql"),
            pubsub: agent("pubsub"),
            secretmanager: agent("secretmanager"),
            redis: agent("redis"),
            run: agent("run"),
            storage: pulumi.interpolate`service-${this.projectNumber}@gs-project-accounts.iam.gserviceaccount.com`,
            // Compute Engine's agent (CMEK boot disks of the PgBouncer VMs) exists once the API is on:
            // the email waits for the API so the key grant never names a missing agent.
            compute: pulumi.all([this.projectNumber, computeApi.id]).apply(([n]) => `service-${n}@compute-system.iam.gserviceaccount.com`),
        };
        this.registerOutputs({ projectNumber: this.projectNumber, agentEmails: this.agentEmails });
    }
}
