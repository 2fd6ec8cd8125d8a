import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GcpProfile } from "../../data/profiles/gcp";
import { pgbouncerNames, regionZones } from "../../data/naming/gcp";
import { PgBouncerSettings } from "./pgbouncer-pool";

// The pool arithmetic is pure (the capacity model reads it too); re-exported for the component's users.
export { pgbouncerSettings } from "./pgbouncer-pool";
export type { PgBouncerSettings } from "./pgbouncer-pool";

/** PgBouncer's listen port (its default; clients set `DATABASE_PORT`). */
export const pgbouncerPort = 6432;

/** Where Google's health checkers (and the passthrough load balancer's probes) come from. */
export const healthCheckSourceRanges = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** Container-Optimized OS, stable channel: a minimal, auto-updating host that runs Docker. */
export const cosImage = "projects/cos-cloud/global/images/family/cos-stable";

/** The container runs as `nobody`; the password file on tmpfs is readable by that uid only. */
const containerUid = 65534;

export interface PgBouncerConfig {
    readonly databaseHost: string;
    readonly databaseName: string;
    readonly databaseUser: string;
    readonly settings: PgBouncerSettings;
    /** Cloud SQL's server CA (PEM): with it the server hop is `verify-ca`, without it `require`. */
    readonly serverCaCert?: string;
}

/** `pgbouncer.ini`: transaction pooling, SCRAM for clients, TLS to Cloud SQL. */
export function pgbouncerIni(c: PgBouncerConfig): string {
    const verify = c.serverCaCert !== undefined && c.serverCaCert.includes("BEGIN CERTIFICATE");
    return [
        "[databases]",
        `${c.databaseName} = host=${c.databaseHost} port=5432 dbname=${c.databaseName}`,
        "",
        "[pgbouncer]",
        "listen_addr = 0.0.0.0",
        `listen_port = ${pgbouncerPort}`,
        // TCP only: the container's root filesystem is read-only.
        "unix_socket_dir =",
        "auth_type = scram-sha-256",
        "auth_file = /run/pgbouncer/userlist.txt",
        "pool_mode = transaction",
        `max_client_conn = ${c.settings.maxClientConnPerInstance}`,
        `default_pool_size = ${c.settings.defaultPoolSize}`,
        // The per-instance server cap is the pool: the capacity model sums exactly this number.
        `max_db_connections = ${c.settings.defaultPoolSize}`,
        "reserve_pool_size = 0",
        `server_tls_sslmode = ${verify ? "verify-ca" : "require"}`,
        ...(verify ? ["server_tls_ca_file = /etc/pgbouncer/server-ca.pem"] : []),
        // Drivers send these at startup; transaction pooling cannot keep them per session.
        "ignore_startup_parameters = extra_float_digits,options",
        "server_idle_timeout = 300",
        "log_connections = 0",
        "log_disconnections = 0",
        "",
    ].join("\n");
}

/** Registry host of an image reference, when Docker must log in to it (Artifact Registry, gcr.io). */
export function registryHostOf(image: string): string | undefined {
    const host = image.split("/")[0];
    return /(^|\.)(pkg\.dev|gcr\.io)$/.test(host) ? host : undefined;
}

/** The Artifact Registry repository of an image (`{location}-docker.pkg.dev/{project}/{repo}/…`). */
export function artifactRepositoryOf(image: string): { location: string; project: string; repository: string } | undefined {
    const m = /^([a-z0-9-]+)-docker\.pkg\.dev\/([a-z][-a-z0-9]{4,28}[a-z0-9])\/([a-z0-9][-a-z0-9._]*)\//.exec(image);
    return m ? { location: m[1], project: m[2], repository: m[3] } : undefined;
}

export interface CloudInitInput {
    readonly ini: string;
    readonly serverCaCert?: string;
    /** Digest-pinned image. */
    readonly image: string;
    /** `projects/{p}/secrets/{id}` of the database user's password. */
    readonly passwordSecret: string;
    readonly databaseUser: string;
    readonly fileDescriptorLimit: number;
}

const indent = (text: string, n: number) =>
    text
        .split("\n")
        .map((l) => (l === "" ? "" : " ".repeat(n) + l))
        .join("\n");

/**
 * The VM's cloud-init `user-data`: the config files, a boot script that reads the password from
 * Secret Manager with the metadata server's token into tmpfs (never on disk, never in metadata),
 * and a systemd unit that runs the pinned image with `docker run --network host`. (COS's container
 * declaration, the konlet startup agent, is deprecated; Google's migration guide points to cloud-init.)
 */
export function pgbouncerCloudInit(c: CloudInitInput): string {
    const registry = registryHostOf(c.image);
    const fetchSecret = [
        "#!/bin/bash",
        "set -euo pipefail",
        "umask 077",
        "mkdir -p /run/pgbouncer",
        "md=http://metadata.google.internal/computeMetadata/v1",
        "token=$(curl -sf -H 'Metadata-Flavor: Google' \"$md/instance/service-accounts/default/token\" | sed -n 's/.*\"access_token\" *: *\"\\([^\"]*\\)\".*/\\1/p')",
        `data=$(curl -sf -H "Authorization: Bearer $token" "https://secretmanager.googleapis.com/v1/${c.passwordSecret}/versions/latest:access" | tr -d '\\n ' | sed -n 's/.*"data":"\\([^"]*\\)".*/\\1/p')`,
        "password=$(printf '%s' \"$data\" | base64 -d)",
        // The program generates alphanumeric passwords; anything else (a hand rotation) stops here, loudly.
        "case \"$password\" in ''|*[!A-Za-z0-9]*) echo 'db password empty or not alphanumeric' >&2; exit 1;; esac",
        `printf '"%s" "%s"\\n' '${c.databaseUser}' "$password" > /run/pgbouncer/userlist.txt`,
        `chown ${containerUid}:${containerUid} /run/pgbouncer /run/pgbouncer/userlist.txt`,
        "chmod 0400 /run/pgbouncer/userlist.txt",
        "chmod 0500 /run/pgbouncer",
        "",
    ].join("\n");
    const unit = [
        "[Unit]",
        "Description=PgBouncer, transaction pooling to Cloud SQL",
        "Wants=network-online.target",
        "After=network-online.target",
        "StartLimitIntervalSec=0",
        "",
        "[Service]",
        // COS's root filesystem is read-only; docker-credential-gcr writes its config under HOME.
        "Environment=HOME=/home/cloudservice",
        "ExecStartPre=/bin/bash /etc/pgbouncer/fetch-secret.sh",
        ...(registry ? [`ExecStartPre=/usr/bin/docker-credential-gcr configure-docker --registries=${registry}`] : []),
        "ExecStartPre=-/usr/bin/docker rm -f pgbouncer",
        `ExecStart=/usr/bin/docker run --rm --name pgbouncer --network host --user ${containerUid}:${containerUid} --read-only ` +
            `--ulimit nofile=${c.fileDescriptorLimit}:${c.fileDescriptorLimit} -v /etc/pgbouncer:/etc/pgbouncer:ro -v /run/pgbouncer:/run/pgbouncer:ro ` +
            `--entrypoint pgbouncer ${c.image} /etc/pgbouncer/pgbouncer.ini`,
        "ExecStop=/usr/bin/docker stop -t 30 pgbouncer",
        "Restart=always",
        "RestartSec=5",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
    const file = (path: string, permissions: string, content: string) => [`- path: ${path}`, `  permissions: "${permissions}"`, "  owner: root", "  content: |", indent(content, 4)].join("\n");
    const files = [
        file("/etc/pgbouncer/pgbouncer.ini", "0644", c.ini),
        file("/etc/pgbouncer/fetch-secret.sh", "0700", fetchSecret),
        ...(c.serverCaCert ? [file("/etc/pgbouncer/server-ca.pem", "0644", c.serverCaCert.trim() + "\n")] : []),
        file("/etc/systemd/system/pgbouncer.service", "0644", unit),
    ];
    // The `cloudservice` user gives docker-credential-gcr a writable HOME (COS's documented pattern).
    return ["#cloud-config", "", "users:", "- name: cloudservice", "  uid: 2000", "", "write_files:", files.join("\n"), "", "runcmd:", "- systemctl daemon-reload", "- systemctl start pgbouncer.service", ""].join("\n");
}

export interface PgBouncerArgs {
    /** Short unit name (`notification`): physical names are `{unit}-pgbouncer-{region}[-role]`. */
    readonly unit: string;
    readonly project: string;
    readonly region: string;
    /** Digest-pinned PgBouncer image (the stack's `images.pgbouncer`). */
    readonly image: string;
    readonly settings: PgBouncerSettings;
    readonly profile: GcpProfile["pgbouncer"];
    readonly databaseHost: pulumi.Input<string>;
    /** Cloud SQL's server CA certificates (the instance's `serverCaCerts`). */
    readonly serverCaCerts: pulumi.Input<readonly { readonly cert?: string }[]>;
    readonly databaseName: string;
    readonly databaseUser: string;
    /** `projects/{p}/secrets/{id}` of the user's password (the identity already reads it). */
    readonly passwordSecretId: pulumi.Input<string>;
    readonly serviceAccountEmail: pulumi.Input<string>;
    readonly networkId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    /** Source ranges of the Postgres clients (the region's VPC connector). */
    readonly clientRanges: readonly string[];
    /** The region's CMEK key (boot disks). */
    readonly keyId: pulumi.Input<string>;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    /** The key grant the boot disks wait for. */
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * PgBouncer in transaction mode (seed 001 §4.1) on a regional managed instance group of
 * Container-Optimized OS VMs behind an internal passthrough Network Load Balancer: Postgres clients
 * connect over TCP to `host:6432`. Fixed size (the server pool is a known number), spread over three
 * zones, autohealed on a TCP check; no external IP, shielded VMs, CMEK boot disks; firewall admits
 * 6432 from the client range and Google's health checkers only. Stateless: nothing to protect.
 */
export class PgBouncer extends pulumi.ComponentResource {
    /** The load balancer's internal IP, what clients use as `DATABASE_HOST`. */
    readonly host: pulumi.Output<string>;
    readonly port: number = pgbouncerPort;

    constructor(name: string, args: PgBouncerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:PgBouncer", name, {}, opts);
        let names: ReturnType<typeof pgbouncerNames>;
        let zones: string[];
        try {
            names = pgbouncerNames(args.unit, args.region);
            // The profile's zone count bounds the rollout surge (one VM per zone), which the server pool must fit.
            zones = regionZones(args.region).slice(0, args.profile.zones);
        } catch (e) {
            throw new pulumi.ResourceError((e as Error).message, this);
        }
        const child = { parent: this, provider: args.provider };
        const member = pulumi.interpolate`serviceAccount:${args.serviceAccountEmail}`;
        const labels = { ...args.labels, role: "pgbouncer" };

        // Least privilege: write its logs and metrics, pull its image; the password grant is in Identities.
        const grants: pulumi.Resource[] = ["roles/logging.logWriter", "roles/monitoring.metricWriter"].map(
            (role) => new gcp.projects.IAMMember(`${name}-${role.split("/")[1]}`, { project: args.project, role, member }, child),
        );
        const repo = artifactRepositoryOf(args.image);
        if (repo) {
            grants.push(new gcp.artifactregistry.RepositoryIamMember(`${name}-image-reader`, { ...repo, role: "roles/artifactregistry.reader", member }, child));
        }

        const userData = pulumi.all([args.databaseHost, args.serverCaCerts, args.passwordSecretId]).apply(([host, cas, secret]) => {
            const ca = cas.map((c) => c.cert ?? "").find((c) => c.includes("BEGIN CERTIFICATE"));
            const ini = pgbouncerIni({ databaseHost: host, databaseName: args.databaseName, databaseUser: args.databaseUser, settings: args.settings, serverCaCert: ca });
            return pgbouncerCloudInit({ ini, serverCaCert: ca, image: args.image, passwordSecret: secret, databaseUser: args.databaseUser, fileDescriptorLimit: args.profile.fileDescriptorLimit });
        });

        const template = new gcp.compute.RegionInstanceTemplate(
            `${name}-template`,
            {
                // A prefix, not a name: every change is a new template the group rolls to, then the old one goes.
                namePrefix: names.templatePrefix,
                region: args.region,
                description: "PgBouncer (transaction pooling) in front of Cloud SQL",
                machineType: args.profile.machineType,
                labels,
                disks: [
                    {
                        boot: true,
                        autoDelete: true,
                        sourceImage: cosImage,
                        diskType: "pd-balanced",
                        diskSizeGb: 10,
                        diskEncryptionKey: { kmsKeySelfLink: args.keyId },
                    },
                ],
                // No accessConfigs: no external IP. Image pulls and Secret Manager go through Private Google Access.
                networkInterfaces: [{ subnetwork: args.subnetId }],
                serviceAccount: {
                    email: args.serviceAccountEmail,
                    // Secret Manager accepts only the cloud-platform scope; the identity's roles are the limit.
                    scopes: ["https://www.googleapis.com/auth/cloud-platform"],
                },
                shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
                scheduling: { automaticRestart: true, onHostMaintenance: "MIGRATE", preemptible: false },
                metadata: {
                    "user-data": userData,
                    "google-logging-enabled": "true",
                    "google-monitoring-enabled": "true",
                    "enable-oslogin": "TRUE",
                    "block-project-ssh-keys": "TRUE",
                },
            },
            { ...child, dependsOn: args.dependsOn },
        );

        const healthCheck = new gcp.compute.RegionHealthCheck(
            `${name}-hc`,
            {
                name: names.healthCheck,
                region: args.region,
                description: "PgBouncer accepts TCP on 6432",
                checkIntervalSec: 5,
                timeoutSec: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
                tcpHealthCheck: { port: pgbouncerPort },
            },
            child,
        );

        const mig = new gcp.compute.RegionInstanceGroupManager(
            `${name}-mig`,
            {
                name: names.mig,
                region: args.region,
                baseInstanceName: names.baseInstanceName,
                description: "PgBouncer VMs, fixed size: the server pool is instances × default_pool_size",
                versions: [{ name: "pgbouncer", instanceTemplate: template.selfLink }],
                targetSize: args.profile.instances,
                distributionPolicyZones: zones,
                distributionPolicyTargetShape: "EVEN",
                // Boot, image pull and the secret read take a minute or two before the first check counts.
                autoHealingPolicies: { healthCheck: healthCheck.id, initialDelaySec: 300 },
                updatePolicy: {
                    type: "PROACTIVE",
                    minimalAction: "REPLACE",
                    instanceRedistributionType: "PROACTIVE",
                    replacementMethod: "SUBSTITUTE",
                    // Never below the fixed size; a regional group surges by at least one VM per zone.
                    maxSurgeFixed: zones.length,
                    maxUnavailableFixed: 0,
                    minReadySec: 30,
                },
            },
            { ...child, dependsOn: grants },
        );

        const backend = new gcp.compute.RegionBackendService(
            `${name}-backend`,
            {
                name: names.backend,
                region: args.region,
                description: "PgBouncer, internal passthrough TCP",
                protocol: "TCP",
                loadBalancingScheme: "INTERNAL",
                sessionAffinity: "NONE",
                // A replaced VM keeps its open client connections this long before the group deletes it.
                connectionDrainingTimeoutSec: 300,
                healthChecks: healthCheck.id,
                backends: [{ group: mig.instanceGroup, balancingMode: "CONNECTION" }],
            },
            child,
        );

        const address = new gcp.compute.Address(
            `${name}-ip`,
            {
                name: names.address,
                region: args.region,
                subnetwork: args.subnetId,
                addressType: "INTERNAL",
                purpose: "GCE_ENDPOINT",
                description: "PgBouncer's internal load balancer address (DATABASE_HOST)",
                labels,
            },
            child,
        );

        new gcp.compute.ForwardingRule(
            `${name}-rule`,
            {
                name: names.forwardingRule,
                region: args.region,
                description: "PgBouncer, internal passthrough Network Load Balancer",
                loadBalancingScheme: "INTERNAL",
                ipProtocol: "TCP",
                ports: [String(pgbouncerPort)],
                ipAddress: address.address,
                network: args.networkId,
                subnetwork: args.subnetId,
                backendService: backend.id,
                // Clients (the region's Cloud Run services) are in this region.
                allowGlobalAccess: false,
                labels,
            },
            child,
        );

        const target = { network: args.networkId, direction: "INGRESS", priority: 1000, targetServiceAccounts: [args.serviceAccountEmail] };
        new gcp.compute.Firewall(
            `${name}-fw-clients`,
            {
                name: names.firewallClients,
                description: "Postgres clients (the VPC connector) to PgBouncer",
                ...target,
                sourceRanges: [...args.clientRanges],
                allows: [{ protocol: "tcp", ports: [String(pgbouncerPort)] }],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
            },
            child,
        );
        new gcp.compute.Firewall(
            `${name}-fw-health`,
            {
                name: names.firewallHealth,
                description: "Google health checkers to PgBouncer",
                ...target,
                sourceRanges: [...healthCheckSourceRanges],
                allows: [{ protocol: "tcp", ports: [String(pgbouncerPort)] }],
            },
            child,
        );

        this.host = address.address;
        this.registerOutputs({ host: this.host, port: this.port });
    }
}
